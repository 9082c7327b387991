/**
 * Post-selection processing (reference section 17, our own formulation): consecutive selected
 * windows of a path that overlap form a run; runs on one path that continue the same record in
 * the same orientation with a plausible gap are joined (this fills the gap between them); each run
 * is re-aligned as a whole against its stretch of sequence (+- a margin), giving one consistent
 * node -> residue mapping per fragment.
 */
import type { BackbonePath } from '../trace/types.js';
import { alignSpan, matchScore } from './align.js';
import type { BannedInterval } from './path-dp.js';
import type { AlignmentCandidate, AssignedFragment, EncodedRecord, SequenceParams } from './types.js';
import { directionPenaltyPerNode, orientedCodes, spanOf } from './windows.js';

type Run = RealignRun;

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

/** Span of one path to re-align against a stretch of one record. */
export interface RealignRun {
  pathIndex: number;
  recordIndex: number;
  orientation: 1 | -1;
  nodeStart: number;
  nodeEnd: number;
  resLo: number;
  resHi: number;
  extendBefore?: number;
  extendAfter?: number;
}

/** Minimum score per assigned node above the random-position expectation for a fragment to count. */
const MIN_EXCESS_PER_NODE = 4;

/**
 * Re-aligns nodes [nodeStart, nodeEnd) of a path against the oriented record stretch
 * [resLo - margin - extendBefore, resHi + margin + extendAfter]; null when the best alignment is
 * not significant (score must beat what the same nodes score on average against a random
 * position of this record, given its base composition, by MIN_EXCESS_PER_NODE per assigned node).
 */
export function realignRun(path: BackbonePath, run: RealignRun, rec: EncodedRecord, params: SequenceParams, banned: readonly BannedInterval[] = []): AssignedFragment | null {
  let codes = orientedCodes(rec, run.orientation);
  const mine = banned.filter((b) => b.recordIndex === rec.recordIndex);
  if (mine.length) {
    // residues claimed elsewhere are blocked (code 255) so the margin cannot slide into them
    codes = codes.slice();
    const n = codes.length;
    for (const b of mine) for (let r = b.interval[0]; r <= b.interval[1]; r++) codes[run.orientation === 1 ? r : n - 1 - r] = 255;
  }
  const lo = Math.max(0, run.resLo - params.realignMarginResidues - (run.extendBefore ?? 0));
  const hi = Math.min(codes.length, run.resHi + 1 + params.realignMarginResidues + (run.extendAfter ?? 0));
  const count = run.nodeEnd - run.nodeStart;
  if (count <= 0 || hi <= lo) return null;
  const span = spanOf(path, run.nodeStart, count, run.orientation);
  const [best] = alignSpan(span, codes.subarray(lo, hi), { topK: 1, residueSkipPenalty: params.residueSkipPenalty, endNodeSkipPenalty: params.endNodeSkipPenalty });
  if (!best) return null;
  const mapping = best.mapping.map((m) => (m >= 0 ? m + lo : -1));
  const freq = [0, 0, 0, 0];
  for (const c of rec.codes) if (c < 4) freq[c] += 1 / rec.codes.length;
  let nullScore = 0, assigned = 0;
  for (let k = 0; k < count; k++) {
    if (mapping[k] < 0) continue;
    assigned++;
    for (let b = 0; b < 4; b++) nullScore += matchScore(span.probabilities[4 * k + b]) * freq[b];
  }
  if (assigned < 3 || best.score - nullScore < MIN_EXCESS_PER_NODE * assigned) return null;
  const prior = directionPenaltyPerNode(path, run.orientation, params) * assigned;
  return {
    pathIndex: run.pathIndex,
    nodeStart: run.nodeStart,
    nodeCount: count,
    recordIndex: run.recordIndex,
    orientation: run.orientation,
    mapping,
    score: best.score - prior,
    interval: [best.interval[0] + lo, best.interval[1] + lo],
  };
}

/** Maximum number of unassigned neighbouring nodes a run is extended over before re-alignment. */
export const MAX_EXTENSION_NODES = 12;

/** Re-aligns each run of the selected windows of one path; returns the fragments. */
export function fragmentsFromSelection(
  path: BackbonePath,
  selected: readonly AlignmentCandidate[],
  records: readonly EncodedRecord[],
  params: SequenceParams,
  banned: readonly BannedInterval[] = [],
): AssignedFragment[] {
  const byIndex = new Map(records.map((r) => [r.recordIndex, r]));
  const out: AssignedFragment[] = [];
  for (const run of runsOf(selected, path.nodes.length, MAX_EXTENSION_NODES)) {
    const rec = byIndex.get(run.recordIndex)!;
    const f = realignRun(path, run, rec, params, banned);
    if (f) out.push(f);
  }
  return out;
}
