/** Simulated maps, class labels and oracle probabilities from known structures. */
export { ELECTRON_SCATTERING_F0, electronScatteringWeight } from './scattering.js';
export { AtomClass, classifyAtom, baseTypeIndex, flattenAtoms, type FlatAtoms, type BaseTypeIndex } from './atom-classes.js';
export { gridForStructure, structureBounds, DEFAULT_GRID_FOR_STRUCTURE_PARAMS, type GridForStructureParams } from './grid-frame.js';
export { simulateMap, simulateMapAsync, DEFAULT_SIMULATE_PARAMS, SIGMA_PER_RESOLUTION, type SimulateParams } from './simulate-map.js';
export { labelMaps, LABEL_CLASSES, DEFAULT_LABEL_PARAMS, type LabelMaps, type LabelClass, type LabelParams } from './labels.js';
export { oracleProbabilities, oracleProbabilitiesAsync, DEFAULT_ORACLE_PARAMS, type OracleParams } from './oracle.js';
export { simulateTrainingSample, type TrainingSample, type TrainingSampleParams } from './training-sample.js';
export { gaussianBlurInPlace } from './noise.js';
