/**
 * Windows of path nodes (reference section 15.2) and their candidate alignments against every
 * record in both orientations, pooled and cut to the top `topSelect` per window.
 */
import type { BackbonePath } from '../trace/types.js';
import type { StageContext } from '../util/progress.js';
import { report, yieldToEventLoop } from '../util/progress.js';
import { alignSpan, type SpanInput } from './align.js';
import type { AlignmentCandidate, AlignPath, EncodedRecord, SequenceParams } from './types.js';

export interface Window {
  pathIndex: number;
  nodeStart: number;
  nodeCount: number;
}

/** Window starts 0, stride, 2*stride, ... while start < n - 5 (CryoREAD rule); length min(size, n - start). */
export function makeWindows(paths: readonly BackbonePath[], size: number, stride: number): Window[] {
  const out: Window[] = [];
  paths.forEach((p, pathIndex) => {
    const n = p.nodes.length;
    for (let s = 0; s < n - 5; s += stride) out.push({ pathIndex, nodeStart: s, nodeCount: Math.min(size, n - s) });
    // A path of 3-5 nodes gets one window so short fragments can still be assigned.
    if (n >= 3 && n <= 5) out.push({ pathIndex, nodeStart: 0, nodeCount: n });
  });
  return out;
}

/**
 * Match evidence (path.matchEvidence, else normalised base evidence) [A, UT, C, G] and positions of nodes
 * [start, start + count) of a path, for aligning it in `orientation` (-1: against the reversed sequence,
 * where matchEvidenceReverse / a node's baseEvidenceReverse is used when there is one).
 */
export function spanOf(path: AlignPath, start: number, count: number, orientation: 1 | -1 = 1): SpanInput {
  const probabilities = new Float32Array(4 * count);
  const positionsA = new Float32Array(3 * count);
  for (let k = 0; k < count; k++) {
    const node = path.nodes[start + k];
    const match = orientation === -1 && path.matchEvidenceReverse ? path.matchEvidenceReverse : path.matchEvidence;
    if (match) {
      probabilities.set(match.subarray(4 * (start + k), 4 * (start + k) + 4), 4 * k);
    } else {
      const e = orientation === -1 && node.baseEvidenceReverse ? node.baseEvidenceReverse : node.baseEvidence;
      const sum = e[0] + e[1] + e[2] + e[3];
      for (let b = 0; b < 4; b++) probabilities[4 * k + b] = sum > 0 ? e[b] / sum : 0.25;
    }
    positionsA[3 * k] = node.sugarA[0];
    positionsA[3 * k + 1] = node.sugarA[1];
    positionsA[3 * k + 2] = node.sugarA[2];
  }
  return { probabilities, positionsA, length: count };
}

export function assignedCount(mapping: Int32Array): number {
  let n = 0;
  for (let k = 0; k < mapping.length; k++) if (mapping[k] >= 0) n++;
  return n;
}

/**
 * Score cost per assigned node of aligning `path` in `orientation` (-1 = against the direction the
 * trace decided): directionPriorPerNode x a ramp of the path's direction confidence over
 * directionConfidenceRamp (0 below lo, 1 above hi); 0 for orientation +1.
 */
export function directionPenaltyPerNode(path: Pick<BackbonePath, 'directionConfidence'>, orientation: 1 | -1, params: Pick<SequenceParams, 'directionPriorPerNode' | 'directionConfidenceRamp'>): number {
  if (orientation === 1) return 0;
  const [lo, hi] = params.directionConfidenceRamp;
  const c = path.directionConfidence;
  const ramp = hi > lo ? Math.min(1, Math.max(0, (c - lo) / (hi - lo))) : c >= hi ? 1 : 0;
  return params.directionPriorPerNode * ramp;
}

/** Codes of a record in an orientation (-1 = reversed). Cached by the caller. */
export function orientedCodes(r: EncodedRecord, orientation: 1 | -1): Uint8Array {
  return orientation === 1 ? r.codes : r.codes.slice().reverse();
}

/** All candidates of all windows, each window's list sorted by score and cut to topSelect. */
export async function alignWindows(
  paths: readonly BackbonePath[],
  records: readonly EncodedRecord[],
  params: SequenceParams,
  ctx?: StageContext,
): Promise<{ windows: Window[]; candidates: AlignmentCandidate[][] }> {
  const windows = makeWindows(paths, params.fragmentSize, params.fragmentStride);
  const oriented = records.map((r) => ({ r, fwd: orientedCodes(r, 1), rev: orientedCodes(r, -1) }));
  const candidates: AlignmentCandidate[][] = [];
  for (let w = 0; w < windows.length; w++) {
    const win = windows[w];
    const spans = { 1: spanOf(paths[win.pathIndex], win.nodeStart, win.nodeCount, 1), [-1]: spanOf(paths[win.pathIndex], win.nodeStart, win.nodeCount, -1) };
    const pool: AlignmentCandidate[] = [];
    for (const { r, fwd, rev } of oriented) {
      for (const orientation of [1, -1] as const) {
        const found = alignSpan(spans[orientation], orientation === 1 ? fwd : rev, { topK: params.topSelect, residueSkipPenalty: params.residueSkipPenalty, endNodeSkipPenalty: params.endNodeSkipPenalty });
        const prior = directionPenaltyPerNode(paths[win.pathIndex], orientation, params);
        for (const f of found) {
          const score = f.score - prior * assignedCount(f.mapping);
          pool.push({ ...f, score, pathIndex: win.pathIndex, nodeStart: win.nodeStart, nodeCount: win.nodeCount, recordIndex: r.recordIndex, orientation });
        }
      }
    }
    pool.sort((a, b) => b.score - a.score || a.recordIndex - b.recordIndex || b.orientation - a.orientation || a.interval[0] - b.interval[0]);
    candidates.push(pool.slice(0, params.topSelect));
    if (w % 16 === 15) {
      report(ctx, 'sequence/align', w + 1, windows.length);
      await yieldToEventLoop(ctx, 'sequence/align');
    }
  }
  report(ctx, 'sequence/align', windows.length, windows.length);
  return { windows, candidates };
}
