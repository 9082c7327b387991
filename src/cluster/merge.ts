/**
 * Merging of converged mean-shift points into nodes (reference section 9), with a neighbour grid
 * instead of CryoREAD's O(N^2) pair loop. Same rule and order: seeds are visited in scan order;
 * a seed whose normalised density is below `minDensityFraction` is dropped (unless an earlier node
 * already absorbed it); otherwise it is compared with every later not-yet-absorbed seed within
 * `mergeDistanceA` (in index order): the lower-density one is absorbed by the higher one (ties: the
 * earlier seed is absorbed and its scan ends).
 * [quirk] CryoREAD never density-filters the last seed; here every seed is filtered (intended rule).
 * Deviation: the drop fraction is density / max density (CryoREAD: (density - min) / (max - min), min
 * over all seeds). On clean maps every seed converges to a mode, so the min-max rule gives the weakest
 * true mode a fraction of 0 and always drops it (seen on oracle maps: one node lost per class).
 * With the network's maps, stray seeds make min ~ 0 and both rules agree.
 */
import { NeighbourGrid } from '../grid/neighbour-grid.js';

export interface MergeResult {
  /** Seed index of each surviving node, ascending (scan order). */
  nodeSeed: Int32Array;
  /** Node index owning each seed (absorption chains resolved to the root), -1 for dropped seeds. */
  owner: Int32Array;
}

/** x, y, z in Angstroms per seed; density = raw kernel density. */
export function mergePoints(
  x: Float32Array,
  y: Float32Array,
  z: Float32Array,
  density: Float64Array,
  mergeDistanceA: number,
  minDensityFraction: number,
): MergeResult {
  const n = x.length;
  let dmax = 0;
  for (let i = 0; i < n; i++) dmax = Math.max(dmax, density[i]);
  const parent = new Int32Array(n).fill(-1); // seed that absorbed this seed, -1 = none
  const dropped = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const frac = dmax > 0 ? density[i] / dmax : 1;
    if (frac < minDensityFraction) dropped[i] = 1;
  }
  const grid = new NeighbourGrid({ count: n, x, y, z }, mergeDistanceA);
  const r2 = mergeDistanceA * mergeDistanceA;
  const hits: number[] = [];
  for (let i = 0; i < n; i++) {
    if (dropped[i] || parent[i] >= 0) continue;
    hits.length = 0;
    grid.forEachWithin(x[i], y[i], z[i], mergeDistanceA, (j, d2) => {
      if (j > i && d2 < r2 && parent[j] < 0) hits.push(j);
    });
    hits.sort((a, b) => a - b);
    for (const j of hits) {
      if (parent[j] >= 0) continue;
      if (density[i] > density[j]) {
        parent[j] = i;
      } else {
        parent[i] = j;
        break;
      }
    }
  }
  // Roots = surviving nodes, numbered in scan order.
  const nodeOfSeed = new Int32Array(n).fill(-1);
  let count = 0;
  for (let i = 0; i < n; i++) if (!dropped[i] && parent[i] < 0) nodeOfSeed[i] = count++;
  const nodeSeed = new Int32Array(count);
  for (let i = 0; i < n; i++) if (nodeOfSeed[i] >= 0) nodeSeed[nodeOfSeed[i]] = i;
  const owner = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    let r = i;
    while (parent[r] >= 0) r = parent[r];
    owner[i] = nodeOfSeed[r]; // -1 when the root was dropped
  }
  return { nodeSeed, owner };
}

/**
 * Removes nodes that absorbed fewer seeds than `minSeedFraction` x the median node seed count (their
 * seeds get owner -1) and renumbers the rest in scan order. See ClusterParams.minSeedFraction.
 */
export function dropSmallNodes(m: MergeResult, minSeedFraction: number): MergeResult {
  const k = m.nodeSeed.length;
  if (!(minSeedFraction > 0) || k === 0) return m;
  const counts = new Int32Array(k);
  for (const o of m.owner) if (o >= 0) counts[o]++;
  const sorted = Int32Array.from(counts).sort();
  const median = sorted[Math.floor((k - 1) / 2)];
  const keep = new Int32Array(k).fill(-1);
  let n = 0;
  for (let i = 0; i < k; i++) if (counts[i] >= minSeedFraction * median) keep[i] = n++;
  if (n === k) return m;
  const nodeSeed = new Int32Array(n);
  for (let i = 0; i < k; i++) if (keep[i] >= 0) nodeSeed[keep[i]] = m.nodeSeed[i];
  const owner = m.owner.map((o) => (o >= 0 ? keep[o] : -1));
  return { nodeSeed, owner };
}
