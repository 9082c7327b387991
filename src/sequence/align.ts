/**
 * Alignment of a run of path nodes to one oriented sequence by dynamic programming (reference
 * section 15.3, our own implementation). Moves, for node i (1..L) and residue j (1..N):
 *  - diagonal: node i takes residue j, score + 100 x p_i(base of j) minus a geometric penalty when
 *    the distance to the last assigned node is implausible for consecutive nucleotides;
 *  - vertical: node i is skipped (a spurious node); free when geometry says it lies between its
 *    neighbours, else penalised;
 *  - horizontal: residue j is skipped (a nucleotide missing from the trace), -25, growing once more
 *    than 15 % of L residues have been skipped.
 * The geometric rule needs "the last assigned node", which is path-dependent; like the original we
 * keep it per cell from the chosen predecessor.
 * Memory and time are O(L x N) per call. Candidates: the best `topK` end columns are traced back
 * (O(L + N) each), never every column (the original traces all N, O(N^2) per window).
 * Fixes of the original: the last node's missing successor distance is not read out of bounds
 * (treated as "no successor"), and a trace without any assigned node is discarded instead of
 * carrying a stale interval start.
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

// the fill value as float32 stores it, so `<= NEG` recognises unset cells of the Float32Array
const NEG = Math.fround(-1e18);

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

/**
 * Aligns nodes [0, L) of `span` to `codes` (already oriented). Returns up to topK candidates on
 * distinct diagonals, best first, with `mapping` (residue index per node or -1), `score`,
 * `interval`. pathIndex/nodeStart/recordIndex/orientation are filled by the caller.
 *
 * The state carries how many nodes were skipped since the last assigned one (0..2), so the
 * geometric penalties, which depend on the last assigned node, are exact: the original keeps one
 * value per cell with "the last assigned node of the best path into it", which is not optimal
 * (a path that is better so far can carry a worse last node), and with noisy base calls it made
 * the DP return scores below that of the true alignment. An alignment may start at any node and
 * residue (leading nodes unassigned, free, as in the original's free vertical moves from row 0).
 */
export function alignSpan(span: SpanInput, codes: Uint8Array, opts: AlignOptions): Pick<AlignmentCandidate, 'mapping' | 'score' | 'interval'>[] {
  const L = span.length, N = codes.length;
  if (L === 0 || N === 0) return [];
  const W = N + 1;
  const size = (L + 1) * W;
  const NL = MAX_NODE_SKIPS + 1;
  // Float32: scores stay below ~1e6 (100 per node), where float32 resolves 0.1; the table is the
  // stage's only large allocation (layers x nodes x residues), so single precision halves its memory.
  const score = new Float32Array(NL * size).fill(NEG);
  // layer 0: 0 = fresh start, 1+k = diagonal from layer k, 4 = horizontal, 5 = jump from the best
  // layer-0 cell of the previous row (rowArg); layers >= 1: vertical
  const from = new Uint8Array(size);
  const jump = opts.jumpPenalty;
  const rowArg = jump === undefined ? null : new Int32Array(L + 1).fill(-1);
  const hskip = new Uint16Array(size);
  // residues skipped since the last assigned node, per layer
  const hrun = new Uint16Array(NL * size);
  const hLimit = Math.floor(0.15 * L);
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
  const M = new Float64Array(4 * L);
  for (let q = 0; q < 4 * L; q++) M[q] = matchScore(P[q]);
  // A residue of unknown base (FASTA N/X) scores the node's mean: neither drawn to nor kept away.
  const MN = new Float64Array(L);
  for (let q = 0; q < L; q++) MN[q] = (M[4 * q] + M[4 * q + 1] + M[4 * q + 2] + M[4 * q + 3]) / 4;
  for (let i = 1; i <= L; i++) {
    const node = i - 1;
    const row = i * W, prow = (i - 1) * W;
    // best layer-0 cell of the previous row, for jumps
    let jumpFrom = NEG;
    if (rowArg && i > 1) {
      let bj = -1;
      for (let j = 1; j <= N; j++) if (score[prow + j] > jumpFrom) { jumpFrom = score[prow + j]; bj = j; }
      rowArg[i - 1] = bj;
    }
    const dNext = node + 1 < L ? nd(node, node + 1) : NaN;
    const hTight = node + 1 < L && dNext < 8 ? TIGHT_SKIP_FACTOR : 1;
    // skip penalties for this node by layer (distance to the last assigned node)
    const vPen: number[] = [];
    for (let k = 1; k <= MAX_NODE_SKIPS; k++) {
      const q = node - k;
      if (q < 0) { vPen.push(NaN); continue; }
      const d = nd(q, node);
      const reasonable = d <= 4 || (!Number.isNaN(dNext) && d + dNext < 10);
      // Original: 10 (d - 7)^2, only ~10 for a normal 6 A step, which lets noisy base calls pull
      // the alignment off its diagonal; a node with normal geometry costs at least nodeSkipPenalty.
      vPen.push(reasonable ? 0 : Math.max(10 * (d - 7) ** 2, skipPenaltyMin));
    }
    const dLast: number[] = [];
    for (let k = 0; k <= MAX_NODE_SKIPS; k++) {
      const q = node - 1 - k;
      dLast.push(q >= 0 ? nd(q, node) : NaN);
    }
    for (let j = 1; j <= N; j++) {
      const cell = row + j;
      // layer 0: node assigned to residue j
      const code = codes[j - 1];
      const m = code < 4 ? M[4 * node + code] : code === UNKNOWN_BASE ? MN[node] : -1e9; // code 255 = residue blocked (banned)
      let best = m - endSkip * node, bf = 0, bh = 0; // fresh start: leading nodes unassigned
      if (jumpFrom > NEG && jumpFrom + m - jump! > best) { best = jumpFrom + m - jump!; bf = 5; }
      for (let k = 0; k <= MAX_NODE_SKIPS; k++) {
        const prev = score[k * size + prow + j - 1];
        if (prev <= NEG || Number.isNaN(dLast[k])) continue;
        const sc = prev + m - gapPenalty(dLast[k], 1 + hrun[k * size + prow + j - 1]);
        if (sc > best) { best = sc; bf = 1 + k; bh = k === 0 ? hskip[prow + j - 1] : 0; }
      }
      let hr = 0;
      // horizontal: residue j skipped after this node (not after the last node). Added to the
      // original rule: when this node and the next are closer than 8 A (adjacent nucleotides are
      // ~6 A apart), a nucleotide missing between them is implausible and costs TIGHT_SKIP_FACTOR x more.
      if (i < L) {
        const prevH = score[row + j - 1];
        if (prevH > NEG) {
          const c = hskip[row + j - 1] + 1;
          const sc = prevH - hTight * (c > hLimit ? opts.residueSkipPenalty * c : opts.residueSkipPenalty);
          if (sc > best) { best = sc; bf = 4; bh = c; hr = hrun[row + j - 1] + 1; }
        }
      }
      score[cell] = best; from[cell] = bf; hskip[cell] = bh; hrun[cell] = hr;
      // layers >= 1: node skipped, residue j not yet used
      for (let k = 1; k <= MAX_NODE_SKIPS; k++) {
        const prev = score[(k - 1) * size + prow + j];
        if (prev <= NEG || Number.isNaN(vPen[k - 1])) continue;
        score[k * size + cell] = prev - vPen[k - 1];
        hrun[k * size + cell] = hrun[(k - 1) * size + prow + j];
      }
    }
  }
  // best end states: any layer of the last row (global in nodes), or any assigned cell (local)
  const K = Math.max(1, opts.topK);
  const ends: number[] = []; // state index = layer * size + cell
  const endScores: number[] = [];
  const consider = (state: number, sc: number) => {
    if (!(sc > (opts.local ? 0 : -1000))) return;
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
  if (opts.local) {
    // trailing nodes after the last assigned one pay endSkip each
    for (let i = 1; i <= L; i++) for (let j = 1; j <= N; j++) consider(i * W + j, score[i * W + j] - endSkip * (L - i));
  } else {
    for (let k = 0; k <= MAX_NODE_SKIPS; k++) for (let j = 1; j <= N; j++) consider(k * size + L * W + j, score[k * size + L * W + j]);
  }
  const out: Pick<AlignmentCandidate, 'mapping' | 'score' | 'interval'>[] = [];
  const seen = new Set<string>();
  for (let e = 0; e < ends.length; e++) {
    const state = ends[e];
    const mapping = new Int32Array(L).fill(-1);
    let k = Math.floor(state / size);
    const cell0 = state % size;
    let i = Math.floor(cell0 / W), j = cell0 % W, assigned = 0;
    while (i > 0 && j > 0) {
      if (k > 0) { k--; i--; continue; }
      const f = from[i * W + j];
      if (f === 4) { j--; continue; }
      mapping[i - 1] = j - 1;
      assigned++;
      if (f === 0) break;
      if (f === 5) { j = rowArg![i - 1]; i--; k = 0; continue; }
      k = f - 1; i--; j--;
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
