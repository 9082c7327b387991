/**
 * Alignment of a run of path nodes to one oriented sequence by dynamic programming (reference
 * section 15.3, our own implementation). Moves, for node i (1..L) and residue j (1..N):
 *  - diagonal: node i takes residue j, score + 100 x p_i(base of j) minus a geometric penalty when
 *    the distance to the last assigned node is implausible for the residues between them;
 *  - vertical: node i is skipped (a spurious node, at most 2 in a row); free when geometry says it
 *    lies between its neighbours, else penalised;
 *  - horizontal: residue j is skipped (a nucleotide missing from the trace), -25 per residue, 4x
 *    per residue beyond the first min(3, floor(0.15 L)) of one run (x20 when the nodes around the
 *    skip are < 8 A apart);
 *  - optional jumps (node i takes any residue, fixed cost) and local ends.
 * Exact: the state carries what the rest of the score depends on (nodes and residues skipped
 * since the last assigned node), so the DP returns the optimum of this scoring model (checked
 * against exhaustive enumeration in test/sequence/align-exhaustive.test.ts). Complexity
 * O(L x N x S) time and O(L x N x S) bytes of back-pointers (+ two rows of scores), S = R + 1 +
 * 2 (Hg + 1) states per cell: R = 3 residues skipped in a run, Hg = 1 for node distances up to
 * 15 A, so S = 8 for normal geometry; a 20-node window against 3000 nt is ~0.5 M state updates,
 * ~1.4x the time of the former inexact DP (bench/sequence).
 * Candidates: the best `topK` end states on distinct diagonals are traced back (O(L + N) each),
 * never every column (the original traces all N, O(N^2) per window).
 * Departures from the original: the original keeps "the last assigned node" and the running
 * residue-skip count per cell from the chosen predecessor (not optimal); its skip penalty grows with
 * the count over the whole window (25 c once c > floor(0.15 L)), ours per run (see alignSpan),
 * which keeps the state small. The last node's missing successor distance is not read out of
 * bounds (treated as "no successor"), and a trace without any assigned node is discarded instead
 * of carrying a stale interval start.
 */
import type { AlignmentCandidate } from './types.js';
import { UNKNOWN_BASE } from './records.js';

export interface SpanInput {
  /** Normalised base probabilities per node, [A, UT, C, G] x L (row-major). */
  probabilities: Float32Array;
  /** Sugar positions per node, x,y,z x L (Angstroms). */
  positionsA: Float32Array;
  /** Number of nodes. */
  length: number;
}

export interface AlignOptions {
  topK: number;
  residueSkipPenalty: number;
  /** Minimum cost of skipping a node whose geometry is normal (score units). @default 80 */
  nodeSkipPenalty?: number;
  /**
   * Local in the nodes too (Smith-Waterman style): an alignment may start at any node (earlier
   * nodes unassigned, free) and end at any node. Used for whole-path alignments, where a path may
   * carry only a stretch of one record. @default false
   */
  local?: boolean;
  /**
   * Cost of each node left unassigned before the first or after the last assigned node (score
   * units). A path that covers a whole short chain then cannot slide off the record's end for
   * free, which its true placement never does. @default 0
   */
  endNodeSkipPenalty?: number;
  /**
   * Allows jumps: node i may take any residue after node i - 1 took any other (a path that the
   * trace ran across a junction from one strand into another), at this cost (score units). The
   * mapping is then monotone only between jumps; callers split it there. Off when undefined.
   */
  jumpPenalty?: number;
}

function dist(pos: Float32Array, a: number, b: number): number {
  const dx = pos[3 * a] - pos[3 * b], dy = pos[3 * a + 1] - pos[3 * b + 1], dz = pos[3 * a + 2] - pos[3 * b + 2];
  return Math.sqrt(dx * dx + dy * dy + dz * dz);
}

/**
 * Match score of a node whose normalised base probability for the residue's base is p: 100 x p
 * as in the original (a perfect call scores 100). A log-odds score was tried (it discriminates
 * shifted placements better per node) but with noisy calls the expected score of a true placement
 * is then close to 0 and the gap/skip/fragment penalties, which are calibrated on this scale,
 * dominate; on real geometry with 50 % correct calls it lowered sequence recall.
 */
export function matchScore(p: number): number {
  return 100 * p;
}

/**
 * Geometric penalty for assigning a node at distance d (A) from the last assigned node when their
 * residues are g apart. Consecutive C4' atoms are 6.1 +- 0.4 A apart (5.2-6.7, 5th-95th
 * percentile, RNA and DNA, shared/data/geometry); we allow [4.4, 7.8] for g = 1 and up to
 * 7 g + 1 A for longer gaps, and charge 10 x (distance outside the range)^2. The original charges
 * 10 (d - 7)^2 only outside [4, 10] whatever g is, so a node skipped with the next node taking the
 * next residue (d ~ 11 A for g = 1) was free and alignments slipped by one residue.
 */
export function gapPenalty(d: number, g: number): number {
  const lo = g === 1 ? 4.4 : 5.0;
  const hi = g === 1 ? 7.8 : 7 * g + 1;
  const e = d < lo ? lo - d : d > hi ? d - hi : 0;
  return 10 * e * e;
}

/** Penalty for assigning a node at distance d (A) from the previous assigned node. */
export function usePenalty(d: number): number {
  return d <= 4 || d >= 10 ? 10 * (d - 7) ** 2 : 0;
}

/**
 * Factor on the residue-skip penalty when the two nodes around the skip are closer than 8 A:
 * a nucleotide cannot be missing between two sugars ~6 A apart, so such a skip is only taken when
 * the evidence is overwhelming.
 */
const TIGHT_SKIP_FACTOR = 20;

/** Most consecutive nodes that can be skipped inside an alignment (layers of the DP state). */
const MAX_NODE_SKIPS = 2;

/** Longest run of skipped residues charged the plain residue-skip penalty per residue. */
const RUN_FREE_MAX = 3;
/** Factor on the residue-skip penalty for each residue of a run beyond the free part. */
const RUN_GROWTH = 4;

/**
 * Residues of one run (consecutive residues skipped between two assigned nodes) charged the plain
 * penalty for a span of L nodes: floor(0.15 L) as the original's limit (3 for a 20-node window),
 * at most RUN_FREE_MAX so the DP state stays small on long spans.
 */
export function residueRunFree(L: number): number {
  return Math.min(RUN_FREE_MAX, Math.floor(0.15 * L));
}

/**
 * Cost of the r-th residue (1-based) of a run of residues skipped after a node, before the
 * tight-geometry factor: the plain penalty for r <= free, RUN_GROWTH x it beyond.
 */
export function residueSkipCost(r: number, free: number, penalty: number): number {
  return r <= free ? penalty : RUN_GROWTH * penalty;
}

/**
 * Residues skipped since the last assigned node that the gap penalty can tell apart at distance d:
 * gapPenalty(d, g) is the same for every g >= max(2, ceil((d - 1) / 7)), so a state counting
 * skipped residues may saturate at that g - 1.
 */
function gapRunDistinct(d: number): number {
  return Math.max(1, Math.ceil((d - 1) / 7) - 1);
}

/**
 * Aligns nodes [0, L) of `span` to `codes` (already oriented: the caller passes the reversed
 * sequence for orientation -1). Returns up to topK candidates on distinct diagonals, best first,
 * with `mapping` (residue index per node or -1), `score`, `interval`. pathIndex/nodeStart/
 * recordIndex/orientation are filled by the caller.
 *
 * Exact: the DP state is (node, residue, k = nodes skipped since the last assigned node (0..2),
 * h = residues skipped since the last assigned node, saturated at R, at Hg after a node skip),
 * which is everything the score of the rest of an alignment depends on: the geometric penalty needs the last assigned
 * node (k) and the residues between (h); the residue-skip cost needs the run length (h). h
 * saturates where neither can tell longer runs apart: R = max(free run, largest g the gap
 * penalty distinguishes at the span's node distances), R = 3 for normal geometry. The original
 * keeps one value per cell with "the last assigned node" and a running skip count taken from the
 * best predecessor, which is not optimal (a better prefix can carry a worse future); ours returns
 * the best score of the scoring model, checked against exhaustive enumeration
 * (test/sequence/align-exhaustive.test.ts). Departure from the original's scoring, so that the
 * state stays small: residue skips grow per run (RUN_GROWTH x beyond residueRunFree(L) residues in
 * one run) instead of with the running count over the whole window.
 * Time O(L x N x S), S = R + 1 + 2 (Hg + 1) (8 for normal geometry; Hg = the most residues the gap
 * penalty tells apart); memory O(L x N x S) bytes of back-pointers plus two rows of scores. An
 * alignment may start at any node and residue (leading nodes unassigned, endNodeSkipPenalty each).
 */
export function alignSpan(span: SpanInput, codes: Uint8Array, opts: AlignOptions): Pick<AlignmentCandidate, 'mapping' | 'score' | 'interval'>[] {
  const L = span.length, N = codes.length;
  if (L === 0 || N === 0) return [];
  const W = N + 1;
  const P = span.probabilities, pos = span.positionsA;
  // small per-span tables (<= 64^2 distances, 4 + 1 scores per node): float64 is free here
  let dmat: Float64Array | null = null;
  if (L <= 64) {
    dmat = new Float64Array(L * L);
    for (let a = 0; a < L; a++) for (let b = a + 1; b < L; b++) dmat[a * L + b] = dmat[b * L + a] = dist(pos, a, b);
  }
  const nd = dmat ? (a: number, b: number) => dmat![a * L + b] : (a: number, b: number) => dist(pos, a, b);
  const skipPenaltyMin = opts.nodeSkipPenalty ?? 80;
  const endSkip = opts.endNodeSkipPenalty ?? 0;
  const rsp = opts.residueSkipPenalty;
  const runFree = residueRunFree(L);
  const jump = opts.jumpPenalty;

  // per node: distance to the node 1 + k before (k = node skips), node-skip penalties, tight factor;
  // an impossible move costs +Infinity, so unset states (-Infinity) stay unset without branches
  const KL = MAX_NODE_SKIPS + 1;
  const dLast = new Float64Array(L * KL).fill(NaN); // per node x 3 predecessors (window of <= a few hundred nodes), not voxels
  const vPen = new Float64Array(L * KL).fill(Infinity); // [node * KL + k], k >= 1: skip node with last assigned node - k
  const tight = new Float64Array(L); // one factor per node
  let Hg = 1;
  for (let node = 0; node < L; node++) {
    const dNext = node + 1 < L ? nd(node, node + 1) : NaN;
    tight[node] = node + 1 < L && dNext < 8 ? TIGHT_SKIP_FACTOR : 1;
    for (let k = 0; k < KL; k++) {
      const q = node - 1 - k;
      if (q < 0) continue;
      const d = nd(q, node);
      dLast[node * KL + k] = d;
      Hg = Math.max(Hg, gapRunDistinct(d));
    }
    for (let k = 1; k < KL; k++) {
      const q = node - k;
      if (q < 0) continue;
      const d = nd(q, node);
      const reasonable = d <= 4 || (!Number.isNaN(dNext) && d + dNext < 10);
      // Original: 10 (d - 7)^2, only ~10 for a normal 6 A step, which lets noisy base calls pull
      // the alignment off its diagonal; a node with normal geometry costs at least nodeSkipPenalty.
      vPen[node * KL + k] = reasonable ? 0 : Math.max(10 * (d - 7) ** 2, skipPenaltyMin);
    }
  }
  // States per cell, s: layer 0 (last node assigned, then h = 0..R residues skipped; R = "R or
  // more"), then layers k = 1, 2 (k nodes skipped after h = 0..Hg residues; no residue skips there,
  // so h only feeds the gap penalty and saturates at Hg).
  const R = Math.max(Hg, runFree, 1);
  const G = Hg + 1;
  const S = R + 1 + MAX_NODE_SKIPS * G;
  const layerOf = new Uint8Array(S), hOf = new Uint8Array(S);
  for (let s = 0; s < S; s++) {
    layerOf[s] = s <= R ? 0 : 1 + Math.floor((s - R - 1) / G);
    hOf[s] = s <= R ? s : (s - R - 1) % G;
  }
  const stateOf = (k: number, h: number) => (k === 0 ? h : R + 1 + (k - 1) * G + h);
  // gap penalty by (node, predecessor state): assigning node after state s of the previous row
  const gp = new Float64Array(L * S).fill(Infinity); // per node x DP state (S ~ 8): small, and scores are summed over long spans
  for (let node = 1; node < L; node++) {
    for (let s = 0; s < S; s++) {
      const d = dLast[node * KL + layerOf[s]];
      if (!Number.isNaN(d)) gp[node * S + s] = gapPenalty(d, 1 + hOf[s]);
    }
  }
  // residue-skip cost of the transition into layer-0 state h (from h - 1), and R -> R at [R + 1]
  const hCost = new Float64Array(R + 2); // one cost per residue-skip count (a handful)
  for (let h = 1; h <= R; h++) hCost[h] = residueSkipCost(h, runFree, rsp);
  hCost[R + 1] = residueSkipCost(R + 1, runFree, rsp);

  const M = new Float64Array(4 * L); // 4 match scores per node
  for (let q = 0; q < 4 * L; q++) M[q] = matchScore(P[q]);
  // A residue of unknown base (FASTA N/X) scores the node's mean: neither drawn to nor kept away.
  const MN = new Float64Array(L); // one mean score per node
  for (let q = 0; q < L; q++) MN[q] = (M[4 * q] + M[4 * q + 1] + M[4 * q + 2] + M[4 * q + 3]) / 4;

  // two rows of scores, [j * S + s]
  let prev = new Float64Array(S * W).fill(-Infinity); // accumulated DP scores, one row of S x (sequence length + 1): float64 so long sums of small penalties do not drift
  let cur = new Float64Array(S * W).fill(-Infinity); // the next row, same
  // back-pointers, [(i * W + j) * S + s]: layer 0, h = 0: 0 fresh start, 1 + s' diagonal from
  // state s', JUMP; layer 0, h >= 1: 0 from h - 1, 1 from h (saturated); layers >= 1: h of the
  // state one layer up in the previous row
  // (16-bit only when node distances are absurd: S >= 255 needs Hg > 125, d > 880 A)
  const JUMP = S < 255 ? 255 : 65535;
  const bp = S < 255 ? new Uint8Array((L + 1) * W * S) : new Uint16Array((L + 1) * W * S);
  const rowArg = jump === undefined ? null : new Int32Array(L + 1).fill(-1);

  const K = Math.max(1, opts.topK);
  const ends: number[] = []; // (i * W + j) * S + s
  const endScores: number[] = [];
  const floor = opts.local ? 0 : -1000;
  const consider = (state: number, sc: number) => {
    if (!(sc > floor)) return;
    if (ends.length < K * 4 || sc > endScores[endScores.length - 1]) {
      let k = ends.length;
      ends.push(state);
      endScores.push(sc);
      while (k > 0 && endScores[k - 1] < sc) { ends[k] = ends[k - 1]; endScores[k] = endScores[k - 1]; k--; }
      ends[k] = state;
      endScores[k] = sc;
      if (ends.length > K * 4) { ends.pop(); endScores.pop(); }
    }
  };

  const v1 = R + 1, v2 = R + 1 + G; // first state of layers 1 and 2
  for (let i = 1; i <= L; i++) {
    const node = i - 1;
    cur.fill(-Infinity);
    // best assigned cell of the previous row, for jumps
    let jumpFrom = -Infinity;
    if (rowArg && i > 1) {
      let bj = -1;
      for (let j = 1; j <= N; j++) if (prev[j * S] > jumpFrom) { jumpFrom = prev[j * S]; bj = j; }
      rowArg[i - 1] = bj;
    }
    const jumpCost = jump ?? Infinity;
    const gpo = node * S;
    const canSkipResidue = i < L; // not after the last node
    const tf = tight[node];
    const vp1 = vPen[node * KL + 1], vp2 = vPen[node * KL + 2];
    const bpRow = i * W * S;
    const lead = -endSkip * node;
    for (let j = 1; j <= N; j++) {
      const c0 = j * S, p0 = (j - 1) * S, b0 = bpRow + c0;
      // layer 0, h = 0: node assigned to residue j
      const code = codes[j - 1];
      const m = code < 4 ? M[4 * node + code] : code === UNKNOWN_BASE ? MN[node] : -1e9; // code 255 = residue blocked (banned)
      let best = m + lead, bf = 0; // fresh start: leading nodes unassigned
      const js = jumpFrom + m - jumpCost;
      if (js > best) { best = js; bf = JUMP; }
      if (i > 1) {
        for (let s = 0; s < S; s++) {
          const sc = prev[p0 + s] + m - gp[gpo + s];
          if (sc > best) { best = sc; bf = 1 + s; }
        }
      }
      cur[c0] = best;
      bp[b0] = bf;
      // layer 0, h >= 1: residue j skipped after this node (run of h residues)
      if (canSkipResidue) {
        for (let h = 1; h < R; h++) cur[c0 + h] = cur[p0 + h - 1] - tf * hCost[h];
        const a = cur[p0 + R - 1] - tf * hCost[R], b = cur[p0 + R] - tf * hCost[R + 1];
        if (b > a) { cur[c0 + R] = b; bp[b0 + R] = 1; } else cur[c0 + R] = a;
      }
      // layers >= 1: node skipped, residue j not yet used (previous row, same residue)
      if (i > 1) {
        const q0 = j * S;
        // layer 1 from layer 0: h saturates at Hg
        for (let h = 0; h <= R; h++) {
          const t = h < Hg ? h : Hg;
          const sc = prev[q0 + h] - vp1;
          if (sc > cur[c0 + v1 + t]) { cur[c0 + v1 + t] = sc; bp[b0 + v1 + t] = h; }
        }
        for (let h = 0; h < G; h++) { cur[c0 + v2 + h] = prev[q0 + v1 + h] - vp2; bp[b0 + v2 + h] = h; }
      }
    }
    // end states: local, any assigned cell (trailing nodes pay endSkip each); global, the last row
    if (opts.local) {
      const trail = endSkip * (L - i);
      for (let j = 1; j <= N; j++) if (cur[j * S] > -Infinity) consider(bpRow + j * S, cur[j * S] - trail);
    } else if (i === L) {
      for (let s = 0; s < S; s++) for (let j = 1; j <= N; j++) if (cur[j * S + s] > -Infinity) consider(bpRow + j * S + s, cur[j * S + s]);
    }
    const t = prev; prev = cur; cur = t;
  }

  const out: Pick<AlignmentCandidate, 'mapping' | 'score' | 'interval'>[] = [];
  const seen = new Set<string>();
  for (let e = 0; e < ends.length; e++) {
    const state = ends[e];
    const mapping = new Int32Array(L).fill(-1);
    let s = state % S;
    const cell = Math.floor(state / S);
    let j = cell % W;
    let i = Math.floor(cell / W), assigned = 0;
    while (i > 0 && j > 0) {
      const k = layerOf[s], h = hOf[s];
      const b = bp[(i * W + j) * S + s];
      if (k > 0) { s = stateOf(k - 1, b); i--; continue; }
      if (h > 0) { s = b === 1 ? h : h - 1; j--; continue; }
      mapping[i - 1] = j - 1;
      assigned++;
      if (b === 0) break;
      if (b === JUMP) { j = rowArg![i - 1]; i--; s = 0; continue; }
      s = b - 1; i--; j--;
    }
    if (assigned === 0) continue;
    let lo = Infinity, hi = -Infinity, firstNode = -1;
    for (let q = 0; q < L; q++) if (mapping[q] >= 0) { if (firstNode < 0) firstNode = q; lo = Math.min(lo, mapping[q]); hi = Math.max(hi, mapping[q]); }
    // One candidate per diagonal (residue offset of the first assigned node): variants of one
    // placement that differ only in a skip near an end would otherwise fill the top-K list and
    // push the true placement out when base calls are noisy.
    const key = `${lo - firstNode}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ mapping, score: endScores[e], interval: [lo, hi] });
    if (out.length >= K) break;
  }
  return out;
}
