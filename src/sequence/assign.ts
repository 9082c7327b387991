/**
 * assignSequence: the whole sequence stage. Base pairs from geometry add their partner's
 * complemented base call to each paired node's evidence (pairing.ts, not in the original) ->
 * windows -> DP candidates -> assembly under strict
 * rules; when strict rules keep nothing, soft rules; when soft keeps nothing, 'none' (the caller
 * builds the geometry-only model). The mode taken is recorded in `notes` and `mode`.
 */
import type { BackbonePath } from '../trace/types.js';
import type { StageContext } from '../util/progress.js';
import { report } from '../util/progress.js';
import { assembleFragments } from './assemble.js';
import { detectBasePairs, withPairEvidence, type NodePair } from './pairing.js';
import { encodeRecords, type SequenceRecordLike } from './records.js';
import { defaultSequenceParams, type AlignPath, type SequenceAssignment, type SequenceParams } from './types.js';
import { alignWindows, assignedCount } from './windows.js';
import { fillUnassigned } from './fill.js';

export async function assignSequence(
  paths: readonly BackbonePath[],
  fastaRecords: readonly SequenceRecordLike[],
  params: Partial<SequenceParams> = {},
  ctx?: StageContext,
): Promise<SequenceAssignment> {
  const p: SequenceParams = { ...defaultSequenceParams, ...params };
  const notes: string[] = [];
  const records = encodeRecords(fastaRecords, notes);
  const t0 = performance.now();
  // Base-pair evidence: paired nodes also carry their partner's complemented base call.
  let alignPaths: readonly AlignPath[] = paths;
  const pairs = p.pairEvidenceWeight > 0 || p.templatePairEvidenceWeight > 0 || p.pairConsistencyWeight > 0 ? detectBasePairs(paths, { templateAnchors: p.pairTemplateAnchors }) : [];
  const nTemplated = pairs.filter((q) => q.templated).length;
  if (pairs.length) notes.push(`base pairs from geometry: ${pairs.length} (${nTemplated} with template-placed bases; evidence weight ${p.pairEvidenceWeight}, ${p.templatePairEvidenceWeight} for template-placed; consistency weight ${p.pairConsistencyWeight})`);
  const evidenceWeight = (q: NodePair) => (q.templated ? p.templatePairEvidenceWeight : p.pairEvidenceWeight);
  if (pairs.some((q) => evidenceWeight(q) > 0)) alignPaths = withPairEvidence(paths, pairs, evidenceWeight, p.pairWobbleWeight, p.pairEvidenceNormalise);
  const { windows, candidates } = await alignWindows(alignPaths, records, p, ctx);
  const t1 = performance.now();
  const nCand = candidates.reduce((a, c) => a + c.length, 0);
  let mode: SequenceAssignment['mode'] = p.ruleSoft ? 'soft' : 'strict';
  let result = await assembleFragments(alignPaths, windows, candidates, records, p, !p.ruleSoft, pairs);
  if (result.fragments.length === 0 && !p.ruleSoft) {
    notes.push('strict assembly rules kept no fragment: retried with soft rules');
    mode = 'soft';
    result = await assembleFragments(alignPaths, windows, candidates, records, p, false, pairs);
  }
  if (p.fillUnassignedMinNodes > 0 && result.fragments.length > 0) {
    const filled = fillUnassigned(alignPaths, result.fragments, records, p, p.fillUnassignedMinNodes);
    if (filled.length) {
      notes.push(`sequence: ${filled.length} traced stretch(es) the assembly left unplaced aligned to the sequence nobody claimed (${filled.reduce((n, f) => n + assignedCount(f.mapping), 0)} nucleotides)`);
      result = { ...result, fragments: [...result.fragments, ...filled] };
    }
  }
  if (result.fragments.length === 0) {
    notes.push('no sequence fragment could be assigned: the model is geometry-only (sequence information not used)');
    mode = 'none';
  }
  notes.push(`sequence: ${result.fragments.length} traced fragment(s) placed on the FASTA, the best-scoring combination in which no two claim the same positions (${result.conflicts} overlapping pairs ruled out; solver ${result.solver})`);
  const t2 = performance.now();
  report(ctx, 'sequence/assemble', 1, 1);
  return {
    mode,
    fragments: result.fragments,
    records,
    windows: windows.length,
    candidates: nCand,
    notes,
    timingsMs: { align: t1 - t0, assemble: t2 - t1, realign: 0 },
  };
}
