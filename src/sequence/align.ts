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
}

const NEG = -1e18;

function dist(pos: Float32Array, a: number, b: number): number {
  const dx = pos[3 * a] - pos[3 * b], dy = pos[3 * a + 1] - pos[3 * b + 1], dz = pos[3 * a + 2] - pos[3 * b + 2];
  return Math.sqrt(dx * dx + dy * dy + dz * dz);
}

/** Penalty for assigning a node at distance d (A) from the previous assigned node. */
export function usePenalty(d: number): number {
  return d <= 4 || d >= 10 ? 10 * (d - 7) ** 2 : 0;
}

/**
 * Aligns nodes [0, L) of `span` to `codes` (already oriented). Returns up to topK distinct
 * candidates, best first, with `mapping` (residue index per node or -1), `score`, `interval`.
 * pathIndex/nodeStart/recordIndex/orientation are filled by the caller.
 */
export function alignSpan(span: SpanInput, codes: Uint8Array, opts: AlignOptions): Pick<AlignmentCandidate, 'mapping' | 'score' | 'interval'>[] {
  const L = span.length, N = codes.length;
  if (L === 0 || N === 0) return [];
  const W = N + 1;
  const size = (L + 1) * W;
  const score = new Float64Array(size).fill(NEG);
  const move = new Uint8Array(size); // 1 diag, 2 vert, 3 horiz
  const last = new Int32Array(size).fill(-1); // last assigned node (0-based) on the best path into the cell
  const hskip = new Uint16Array(size);
  const hLimit = Math.floor(0.15 * L);
  const P = span.probabilities, pos = span.positionsA;
  // node-node distances: a table for window-sized spans, computed on demand for long runs
  let dmat: Float64Array | null = null;
  if (L <= 64) {
    dmat = new Float64Array(L * L);
    for (let a = 0; a < L; a++) for (let b = a + 1; b < L; b++) dmat[a * L + b] = dmat[b * L + a] = dist(pos, a, b);
  }
  const nd = dmat ? (a: number, b: number) => dmat![a * L + b] : (a: number, b: number) => dist(pos, a, b);
  for (let j = 0; j <= N; j++) score[j] = 0; // free start anywhere in the sequence
  for (let i = 1; i <= L; i++) {
    const node = i - 1;
    const row = i * W, prow = (i - 1) * W;
    const dNext = node + 1 < L ? nd(node, node + 1) : NaN;
    for (let j = 1; j <= N; j++) {
      // diagonal
      let best = NEG, bm = 0, bl = -1, bh = 0;
      const dScore = score[prow + j - 1];
      if (dScore > NEG) {
        const q = last[prow + j - 1];
        const pen = q >= 0 ? usePenalty(nd(q, node)) : 0;
        const s = dScore + 100 * P[4 * node + codes[j - 1]] - pen;
        best = s; bm = 1; bl = node; bh = hskip[prow + j - 1];
      }
      // vertical: skip node
      const vScore = score[prow + j];
      if (vScore > NEG) {
        const q = last[prow + j];
        let pen = 0;
        if (q >= 0) {
          const d = nd(q, node);
          const reasonable = d <= 4 || (!Number.isNaN(dNext) && d + dNext < 10);
          pen = reasonable ? 0 : 10 * (d - 7) ** 2;
        }
        const s = vScore - pen;
        if (s >= best) { best = s; bm = 2; bl = q; bh = hskip[prow + j]; }
      }
      // horizontal: skip residue (not after the last node: candidates end at their last residue).
      // Geometry check added to the original rule: a nucleotide missing between the last assigned
      // node and the next node leaves a gap; when those two nodes are closer than 8 A (adjacent
      // nucleotides are ~6 A apart) the skip is implausible and costs 4x more.
      if (i < L) {
        const hScore = score[row + j - 1];
        const q = last[row + j - 1];
        if (hScore > NEG && q >= 0) {
          const c = hskip[row + j - 1] + 1;
          const tight = nd(q, i) < 8 ? 4 : 1;
          const s = hScore - tight * (c > hLimit ? opts.residueSkipPenalty * c : opts.residueSkipPenalty);
          if (s >= best) { best = s; bm = 3; bl = last[row + j - 1]; bh = c; }
        }
      }
      score[row + j] = best; move[row + j] = bm; last[row + j] = bl; hskip[row + j] = bh;
    }
  }
  // best end columns of the last row
  const K = Math.max(1, opts.topK);
  const ends: number[] = [];
  const lrow = L * W;
  for (let j = 1; j <= N; j++) {
    const s = score[lrow + j];
    if (!(s > -1000)) continue;
    if (ends.length < K * 2 || s > score[lrow + ends[ends.length - 1]]) {
      let k = ends.length;
      ends.push(j);
      while (k > 0 && score[lrow + ends[k - 1]] < s) { ends[k] = ends[k - 1]; k--; }
      ends[k] = j;
      if (ends.length > K * 2) ends.pop();
    }
  }
  const out: Pick<AlignmentCandidate, 'mapping' | 'score' | 'interval'>[] = [];
  const seen = new Set<string>();
  for (const jEnd of ends) {
    const mapping = new Int32Array(L).fill(-1);
    let i = L, j = jEnd, assigned = 0;
    while (i > 0) {
      const m = move[i * W + j];
      if (m === 1) { mapping[i - 1] = j - 1; assigned++; i--; j--; }
      else if (m === 2) i--;
      else if (m === 3) j--;
      else break;
    }
    if (assigned === 0) continue;
    let lo = Infinity, hi = -Infinity;
    for (let k = 0; k < L; k++) if (mapping[k] >= 0) { lo = Math.min(lo, mapping[k]); hi = Math.max(hi, mapping[k]); }
    const key = `${lo}:${hi}:${assigned}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ mapping, score: score[lrow + jEnd], interval: [lo, hi] });
    if (out.length >= K) break;
  }
  return out;
}
