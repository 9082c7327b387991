/**
 * Post-selection processing (reference section 17, our own formulation): consecutive selected
 * windows of a path that overlap form a run; runs on one path that continue the same record in
 * the same orientation with a plausible gap are joined (this fills the gap between them); each run
 * is re-aligned as a whole against its stretch of sequence (+- a margin), giving one consistent
 * node -> residue mapping per fragment.
 */
import type { BackbonePath } from '../trace/types.js';
import { alignSpan } from './align.js';
import type { AlignmentCandidate, AssignedFragment, EncodedRecord, SequenceParams } from './types.js';
import { orientedCodes, spanOf } from './windows.js';

interface Run {
  pathIndex: number;
  recordIndex: number;
  orientation: 1 | -1;
  nodeStart: number;
  nodeEnd: number; // exclusive
  resLo: number;
  resHi: number;
  extendBefore?: number;
  extendAfter?: number;
}

function runsOf(selected: readonly AlignmentCandidate[], pathLength: number, maxExtension: number): Run[] {
  const runs: Run[] = [];
  for (const c of selected) {
    const last = runs[runs.length - 1];
    const end = c.nodeStart + c.nodeCount;
    if (last && last.pathIndex === c.pathIndex && c.nodeStart < last.nodeEnd && last.recordIndex === c.recordIndex && last.orientation === c.orientation) {
      last.nodeEnd = Math.max(last.nodeEnd, end);
      last.resLo = Math.min(last.resLo, c.interval[0]);
      last.resHi = Math.max(last.resHi, c.interval[1]);
    } else {
      runs.push({ pathIndex: c.pathIndex, recordIndex: c.recordIndex, orientation: c.orientation, nodeStart: c.nodeStart, nodeEnd: end, resLo: c.interval[0], resHi: c.interval[1] });
    }
  }
  // join runs that continue each other along the path and the sequence
  const joined: Run[] = [];
  for (const r of runs) {
    const last = joined[joined.length - 1];
    if (last && last.pathIndex === r.pathIndex && last.recordIndex === r.recordIndex && last.orientation === r.orientation && r.resLo > last.resHi) {
      const nodeGap = Math.max(0, r.nodeStart - last.nodeEnd);
      const resGap = r.resLo - last.resHi - 1;
      if (Math.abs(resGap - nodeGap) <= Math.max(3, 0.3 * nodeGap) + (r.nodeStart < last.nodeEnd ? last.nodeEnd - r.nodeStart : 0)) {
        last.nodeEnd = Math.max(last.nodeEnd, r.nodeEnd);
        last.resHi = r.resHi;
        continue;
      }
    }
    joined.push({ ...r });
  }
  // Extend runs over unassigned neighbouring nodes (path ends fully up to maxExtension, gaps
  // between runs split in half) so the re-alignment can fill them (the gap filling of section 17).
  for (let k = 0; k < joined.length; k++) {
    const r = joined[k];
    const prev = joined[k - 1]?.pathIndex === r.pathIndex ? joined[k - 1] : undefined;
    const next = joined[k + 1]?.pathIndex === r.pathIndex ? joined[k + 1] : undefined;
    const lo = prev ? prev.nodeEnd + Math.ceil((r.nodeStart - prev.nodeEnd) / 2) : 0;
    const hi = next ? r.nodeEnd + Math.floor((next.nodeStart - r.nodeEnd) / 2) : pathLength;
    r.extendBefore = Math.min(maxExtension, Math.max(0, r.nodeStart - lo));
    r.extendAfter = Math.min(maxExtension, Math.max(0, hi - r.nodeEnd));
  }
  for (const r of joined) {
    r.nodeStart -= r.extendBefore ?? 0;
    r.nodeEnd += r.extendAfter ?? 0;
  }
  return joined;
}

/** Re-aligns each run of the selected windows of one path; returns the fragments. */
export function fragmentsFromSelection(
  path: BackbonePath,
  selected: readonly AlignmentCandidate[],
  records: readonly EncodedRecord[],
  params: SequenceParams,
): AssignedFragment[] {
  const byIndex = new Map(records.map((r) => [r.recordIndex, r]));
  const out: AssignedFragment[] = [];
  const maxExtension = 12;
  const minExcessPerNode = 8;
  for (const run of runsOf(selected, path.nodes.length, maxExtension)) {
    const rec = byIndex.get(run.recordIndex)!;
    const codes = orientedCodes(rec, run.orientation);
    const lo = Math.max(0, run.resLo - params.realignMarginResidues - (run.extendBefore ?? 0));
    const hi = Math.min(codes.length, run.resHi + 1 + params.realignMarginResidues + (run.extendAfter ?? 0));
    const count = run.nodeEnd - run.nodeStart;
    const span = spanOf(path, run.nodeStart, count);
    const [best] = alignSpan(span, codes.subarray(lo, hi), { topK: 1, residueSkipPenalty: params.residueSkipPenalty });
    if (!best) continue;
    const mapping = best.mapping.map((m) => (m >= 0 ? m + lo : -1));
    // Significance: the score must beat what the same nodes score on average against a random
    // position of this record (its base composition) by minExcessPerNode for each assigned node.
    const freq = [0, 0, 0, 0];
    for (const c of rec.codes) freq[c] += 1 / rec.codes.length;
    let nullScore = 0, assigned = 0;
    for (let k = 0; k < count; k++) {
      if (mapping[k] < 0) continue;
      assigned++;
      for (let b = 0; b < 4; b++) nullScore += 100 * span.probabilities[4 * k + b] * freq[b];
    }
    if (assigned < 3 || best.score - nullScore < minExcessPerNode * assigned) continue;
    out.push({
      pathIndex: run.pathIndex,
      nodeStart: run.nodeStart,
      nodeCount: count,
      recordIndex: run.recordIndex,
      orientation: run.orientation,
      mapping,
      score: best.score,
      interval: [best.interval[0] + lo, best.interval[1] + lo],
    });
  }
  return out;
}
