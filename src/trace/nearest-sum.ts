/** Point of a set minimising d(a, p) + d(b, p), found with a neighbour grid (shared by sections 12 and 13). */
import type { NeighbourGrid } from '../grid/neighbour-grid.js';

export type Xyz = readonly [number, number, number];

/**
 * Index minimising the distance sum to `a` and `b` (ties: lower index), skipping `exclude`d indices,
 * or -1 when the set is empty. Any point with sum <= S lies within S / 2 of the midpoint, so one query
 * around the midpoint with the best sum found so far is exact.
 */
export function argminDistanceSum(grid: NeighbourGrid, a: Xyz, b: Xyz, searchA: number, exclude?: (i: number) => boolean): { index: number; sumA: number } {
  const m: Xyz = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2];
  const P = grid.points;
  const start = grid.nearest(m[0], m[1], m[2], searchA, exclude);
  if (start.index < 0) return { index: -1, sumA: Infinity };
  const sum = (i: number) => Math.hypot(P.x[i] - a[0], P.y[i] - a[1], P.z[i] - a[2]) + Math.hypot(P.x[i] - b[0], P.y[i] - b[1], P.z[i] - b[2]);
  let best = start.index, bestSum = sum(best);
  grid.forEachWithin(m[0], m[1], m[2], bestSum / 2 + 1e-9, (i) => {
    if (exclude && exclude(i)) return;
    const s = sum(i);
    if (s < bestSum || (s === bestSum && i < best)) { best = i; bestSum = s; }
  });
  return { index: best, sumA: bestSum };
}
