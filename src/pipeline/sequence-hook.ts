/**
 * The sequence stage as the pipeline calls it (`SequenceStage`): src/sequence's assignSequence
 * (windows, DP, assembly, strict -> soft -> none) and chainsFromAssignment. Kept here so the
 * pipeline itself does not depend on src/sequence: pass `sequenceStage: assignSequenceStage` in
 * PipelineInput to use it, or any function of the same shape.
 */
import { assignSequence } from '../sequence/assign.js';
import { chainsFromAssignment } from '../sequence/to-chains.js';
import type { SequenceStage } from './types.js';

export const assignSequenceStage: SequenceStage = async (paths, records, options, ctx) => {
  const assignment = await assignSequence(paths, records, {
    fragmentSize: options.fragmentSize,
    fragmentStride: options.fragmentStride,
    topSelect: options.topSelect,
    ruleSoft: options.ruleSoft,
    pairTemplateAnchors: options.pairTemplateAnchors,
  }, ctx);
  const chains = chainsFromAssignment(paths, assignment);
  return { chains: chains.final, seqOnlyChains: chains.seqOnly, mode: assignment.mode, notes: assignment.notes };
};
