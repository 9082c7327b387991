export { clusterNodes } from './cluster-nodes.js';
export type { ClusterResult, SeedAssignment } from './cluster-nodes.js';
export { NodeSet } from './node-set.js';
export { NODE_CLASSES, defaultClusterParams } from './params.js';
export type { ClusterParams, NodeClass } from './params.js';
export { editProbabilities } from './edit-probabilities.js';
export { GaussianKernel } from './kernel.js';
