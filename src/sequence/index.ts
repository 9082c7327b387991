export * from './types.js';
export { assignSequence } from './assign.js';
export { chainsFromAssignment, type SequenceChains } from './to-chains.js';
export { encodeRecords, baseCode, letterOf, type SequenceRecordLike } from './records.js';
export { alignSpan, usePenalty } from './align.js';
export { makeWindows, alignWindows } from './windows.js';
export { detectBasePairs, withPairEvidence, complementEvidence, defaultBasePairParams, type BasePairParams, type NodePair, type NodeRef } from './pairing.js';
export { pairConsistency, complementarity, chanceComplementarity, type PairConsistency } from './pair-consistency.js';
