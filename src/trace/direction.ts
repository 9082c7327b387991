/**
 * Chain direction (5' -> 3') of a traced path from geometry. CryoREAD does not decide it (its
 * paths run in routing order; section 14 only picks the better-scoring letter order).
 *
 * Two signals, measured on real structures (gemmi; RNA: 6V5B, 1EHZ, 4QLN, 3OWZ, 4W90, n = 434
 * nucleotides; DNA: 1BNA, 1JJP, 4OPJ, 5UGO, 3BEP, n = 101) with S = centroid of the sugar atoms (the
 * sugar node), P atoms and base centroids:
 * 1. distance asymmetry: the sugar is farther from its own (5') phosphate than from the next (3') one,
 *    because C5' sits between the ring and P(5'). d(S, P5') - d(S, P3'), S = all primed atoms (the
 *    oracle's sugar class): +0.77 +- 0.15 A (RNA, 99.8 % positive), +0.27 +- 0.18 A (DNA, 96 %);
 *    S = ring atoms only: +0.76 +- 0.16 A (RNA) and +0.75 +- 0.23 A (DNA), 100 % positive.
 *    (C4'-P distances are nearly symmetric, 3.87 vs 3.80 A, so C4'-based rules do not work.)
 * 2. chirality: the triple product (P5' - S) x (P3' - S) . (B - S), normalised, is positive for 98 %
 *    (RNA, mean 0.81) and 92 % (DNA, mean 0.45) of nucleotides (the sugar is chiral).
 * On oracle maps of 6V5B this orders 98-99 % of adjacent path steps 5' -> 3' (test/trace).
 * Each consecutive sugar pair with a bridging phosphate votes clamp((d(s_k+1, P) - d(s_k, P)) / 0.75, -1, 1)
 * and each sugar with both phosphates and a base anchor votes the normalised triple product; a positive
 * sum means the routing order is 5' -> 3'. Confidence = |sum| / number of votes (0 without votes).
 */
import type { Xyz } from './nearest-sum.js';

export interface DirectionInput {
  sugar: Xyz[];
  /** Phosphate between sugar k-1 and k (routing order), or null. */
  prevP: (Xyz | null)[];
  /** Phosphate between sugar k and k+1, or null. */
  nextP: (Xyz | null)[];
  base: (Xyz | null)[];
}

const sub = (a: Xyz, b: Xyz): [number, number, number] => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const norm = (a: Xyz) => Math.hypot(a[0], a[1], a[2]);
const dist = (a: Xyz, b: Xyz) => norm(sub(a, b));

/** Per-sugar direction vote (sum of its signals, positive = routing order is 5'->3') and the vote count. */
export function directionVotes(inp: DirectionInput): { score: Float64Array; votes: Int32Array } {
  const n = inp.sugar.length;
  const score = new Float64Array(n), votes = new Int32Array(n); // per sugar node (small), summed votes
  for (let k = 0; k < n; k++) {
    const S = inp.sugar[k], p5 = inp.prevP[k], p3 = inp.nextP[k], B = inp.base[k];
    if (p3 && k + 1 < n) {
      const v = Math.max(-1, Math.min(1, (dist(inp.sugar[k + 1], p3) - dist(S, p3)) / 0.75));
      score[k] += v; votes[k]++;
    }
    if (p5 && p3 && B) {
      const a = sub(p5, S), b = sub(p3, S), c = sub(B, S);
      const cx = a[1] * b[2] - a[2] * b[1], cy = a[2] * b[0] - a[0] * b[2], cz = a[0] * b[1] - a[1] * b[0];
      const den = norm(a) * norm(b) * norm(c);
      if (den > 0) { score[k] += (cx * c[0] + cy * c[1] + cz * c[2]) / den; votes[k]++; }
    }
  }
  return { score, votes };
}

export function decideDirection(inp: DirectionInput): { direction: 1 | -1; confidence: number } {
  const { score, votes } = directionVotes(inp);
  let s = 0, v = 0;
  for (let k = 0; k < score.length; k++) { s += score[k]; v += votes[k]; }
  return { direction: s < 0 ? -1 : 1, confidence: v ? Math.min(1, Math.abs(s) / v) : 0 };
}

/**
 * Where a path changes direction (a routing link that joins two strands end to end): returns the
 * index c of the best cut (between nodes c and c+1), or -1. A cut qualifies when the summed votes on
 * both sides have opposite signs and the smaller magnitude is at least `minVote`; both sides keep at
 * least `minNodes` nodes. The cut is then moved, within 2 links, to the longest link (`linkLengthA`).
 */
export function directionBreak(score: Float64Array, linkLengthA: ArrayLike<number>, minNodes: number, minVote: number): number {
  const n = score.length;
  const prefix = new Float64Array(n + 1); // prefix sums of per-node votes along one path (small); float64 so long sums do not drift
  for (let k = 0; k < n; k++) prefix[k + 1] = prefix[k] + score[k];
  const total = prefix[n];
  let best = -1, bestGain = minVote;
  for (let c = minNodes - 1; c <= n - minNodes - 1; c++) {
    const L = prefix[c + 1], R = total - L;
    if (L * R >= 0) continue;
    const gain = Math.min(Math.abs(L), Math.abs(R));
    if (gain > bestGain) { bestGain = gain; best = c; }
  }
  if (best < 0) return -1;
  let cut = best;
  for (let c = Math.max(minNodes - 1, best - 2); c <= Math.min(n - minNodes - 1, best + 2); c++) {
    if (linkLengthA[c] > linkLengthA[cut]) cut = c;
  }
  return cut;
}
