/** Real-space refinement (built-in engine; external Phenix / Coot engines in engines.ts) and model validation. */
export { refineModel, defaultRefineParams, describeRefineResult, type RefineParams, type RefineResult, type RefineIteration, type RefineCycle } from './refine-model.js';
export { validateModel, formatValidation, type ValidateParams, type ValidationReport, type ValidationSummary, type ResidueValidation } from './validate.js';
export { registerSearch, defaultRegisterSearchParams, type RegisterSearchParams, type RegisterSearchResult } from './register-search.js';
export { buildTopology, applyCoordinates, defaultTopologyParams, type RefineTopology, type TopologyParams } from './topology.js';
export { geometryStats, sugarPucker, type GeometryStats, type PuckerClass } from './geometry-stats.js';
export { lbfgs, defaultLbfgsParams, type LbfgsParams, type LbfgsResult, type Objective } from './lbfgs.js';
export { invertedChirals, repairChirality } from './chirality-repair.js';
export { refineWithEngine, REFINE_ENGINES, type RefineEngine, type EngineParams, type EngineResult } from './engines.js';
export { refineAndValidate, formatRefineReport, type RefineReport } from './report.js';
export { findPhenix, findCoot, runExternalProtocol, cootScript, type ToolSearch, type ExternalStep } from './external.js';
export { maskMap, readMaskChannels, defaultMaskMapParams, type MaskMapParams } from './mask-map.js';
