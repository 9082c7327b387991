/** The `cryoread build` pipeline as library functions: run everything, or call stages one by one. */
export { runPipeline, describePipelineResult, residueCount } from './run-pipeline.js';
export { resolvePipelineParams, defaultPipelineParams, defaultDetectionOptions, defaultSequenceOptions, type PipelineParams, type DetectionOptions, type SequenceOptions } from './params.js';
export type { PipelineInput, PipelineResult, StageTiming, PipelineStageName, SequenceStage, SequenceStageResult, OracleInput, FastaRecordLike } from './types.js';
export { detectStage, oracleStage, traceStage, noSequenceChains, guessMoleculeType } from './stages.js';
export { dropDuplicateResidues } from './dedupe.js';
export { assignSequenceStage } from './sequence-hook.js';
export { writePipelineOutputs, writeProbabilityMaps, pipelineSummary, FINAL_MODEL_NAME, type WriteOutputsOptions, type OutputFiles } from './outputs.js';
export { evaluateAgainst } from './evaluate-hook.js';
export { progressBar, progressJsonLine, ProgressThrottle, summaryTable } from './progress-format.js';
export { baseCallerPath } from './base-caller-path.js';
