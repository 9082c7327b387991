/**
 * cryoread-ts public API. Core data types and file I/O are exported flat; each pipeline stage is
 * also available as a namespace (e.g. `cluster.clusterNodes`, `trace.traceBackbones`) so stage
 * modules can keep short names without colliding.
 */
export { Volume, type GridFrame, type Vec3, type VolumeStats } from './grid/volume.js';
export { ProbabilityMaps, PROBABILITY_CHANNELS, BASE_CHANNELS, type ProbabilityChannel } from './grid/probability-maps.js';
export { NeighbourGrid, pointSetFromArray, type PointSet3 } from './grid/neighbour-grid.js';
export { prepareMap, type PreparedMap } from './grid/prepare.js';
export { resampleToGrid } from './grid/resample.js';
export { Structure, type Chain, type Residue, type Atom } from './structure/model.js';
export { readMrc, readMrcHeader, parseMrc, writeMrc, mrcBytes, type MrcMap } from './io/mrc.js';
export { readStructure, parseStructure, writeStructure } from './io/structure-file.js';
export { pdbString } from './io/pdb.js';
export { mmcifString } from './io/mmcif.js';
export { readFasta, parseFasta, type FastaRecord } from './io/fasta.js';
export * from './util/errors.js';
export type { StageContext, ProgressEvent } from './util/progress.js';
export type { BackbonePath, TracedNode } from './trace/types.js';
export type { CoarseChain, CoarseResidue } from './build/types.js';
export { runPipeline } from './pipeline/run-pipeline.js';
export { evaluateModel } from './evaluate/index.js';
export { refineModel, validateModel } from './refine/index.js';

export * as simulate from './simulate/index.js';
export * as detect from './detect/index.js';
export * as cluster from './cluster/index.js';
export * as trace from './trace/index.js';
export * as sequence from './sequence/index.js';
export * as build from './build/index.js';
export * as evaluate from './evaluate/index.js';
export * as pipeline from './pipeline/index.js';
export * as refine from './refine/index.js';
