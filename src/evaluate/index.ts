/** Model evaluation against a reference: CryoREAD metrics, C4' RMSD, P recall, clashes, chirality. */
export { evaluateModel, defaultEvaluateParams, type EvaluateParams, type EvaluateOptions, type EvaluationMetrics } from './evaluate-model.js';
export { alignToRecord, fastaRegisterMaps, modelRecordsFromLetters, type RegisterMaps, type FastaRecordForRegister } from './fasta-register.js';
export { centerMetrics, type CenterMetrics, type CenterMetricParams } from './cryoread-metrics.js';
export { clashScore, defaultClashParams, type ClashParams, type ClashReport } from './clashes.js';
export { chiralityInversions, chiralityReport, c4ChiralVolume, type ChiralityReport } from './chirality.js';
export { nucleotideTable, meanAtomDistance, EVALUATION_ATOMS, type NucleotideTable } from './nucleotide-table.js';
export { formatEvaluation } from './format.js';
