/**
 * Phosphate attachment to a sugar path (reference section 12), in routing order. For each pair of
 * consecutive sugars the bridging phosphate is the phosphate node minimising d(s_k, p) + d(s_k+1, p),
 * accepted when that sum is <= 14 A and p lies between the sugars (the angles at both sugars are
 * not obtuse). End phosphates: the nearest phosphate within 7 A of the end sugar on the far side
 * (obtuse angle at the sugar between its neighbour and p).
 * Deviations, all on purpose:
 * - CryoREAD also requires the angle at P to be non-obtuse; with real geometry the S-P-S angle is
 *   usually slightly obtuse, so only 7 of 76 pairs of the 6V5B example pass and most attachments come
 *   from a fallback. We do not test the angle at P.
 * - CryoREAD's fallback reuses the previous residue's phosphate for a sugar with none (two residues
 *   then share one P); here a sugar without an accepted phosphate gets none (null).
 * - [bug] CryoREAD uses -1 ("none") as an array index (= the last phosphate node); here "none" is null.
 */
import type { NodeSet } from '../cluster/node-set.js';
import type { NeighbourGrid } from '../grid/neighbour-grid.js';
import { argminDistanceSum, type Xyz } from './nearest-sum.js';
import type { TraceParams } from './params.js';

export interface PathPhosphates {
  /** Phosphate node between sugar k-1 and k (routing order), or -1. prev[0] is the start phosphate. */
  prev: Int32Array;
  /** Phosphate node between sugar k and k+1, or -1. next[n-1] is the end phosphate. */
  next: Int32Array;
}

function cosAngle(at: Xyz, u: Xyz, v: Xyz): number {
  const a = [u[0] - at[0], u[1] - at[1], u[2] - at[2]], b = [v[0] - at[0], v[1] - at[1], v[2] - at[2]];
  const na = Math.hypot(a[0], a[1], a[2]), nb = Math.hypot(b[0], b[1], b[2]);
  if (na === 0 || nb === 0) return 1;
  return (a[0] * b[0] + a[1] * b[1] + a[2] * b[2]) / (na * nb);
}

export function attachPhosphates(path: number[], sugar: NodeSet, phos: NodeSet, grid: NeighbourGrid, p: TraceParams): PathPhosphates {
  const n = path.length;
  const prev = new Int32Array(n).fill(-1), next = new Int32Array(n).fill(-1);
  const S = (k: number): Xyz => [sugar.x[path[k]], sugar.y[path[k]], sugar.z[path[k]]];
  const Pp = (i: number): Xyz => [phos.x[i], phos.y[i], phos.z[i]];
  const used = new Set<number>();
  for (let k = 0; k + 1 < n; k++) {
    const a = S(k), b = S(k + 1);
    const best = argminDistanceSum(grid, a, b, p.phosphatePairSumA, (i) => used.has(i));
    if (best.index < 0 || best.sumA > p.phosphatePairSumA) continue;
    const q = Pp(best.index);
    if (cosAngle(a, b, q) < 0 || cosAngle(b, a, q) < 0) continue;
    next[k] = best.index; prev[k + 1] = best.index; used.add(best.index);
  }
  if (n >= 2) {
    const ends: [number, number, Int32Array][] = [[0, 1, prev], [n - 1, n - 2, next]];
    for (const [k, nb, arr] of ends) {
      if (arr[k] >= 0) continue;
      const s = S(k), t = S(nb);
      let best = -1, bestD = Infinity;
      grid.forEachWithin(s[0], s[1], s[2], p.phosphateCutoffA, (i, d2) => {
        if (used.has(i) || cosAngle(s, t, Pp(i)) >= 0) return;
        if (d2 < bestD || (d2 === bestD && i < best)) { best = i; bestD = d2; }
      });
      if (best >= 0) { arr[k] = best; used.add(best); }
    }
  }
  return { prev, next };
}
