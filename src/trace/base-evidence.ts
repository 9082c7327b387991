/**
 * Base-type evidence per sugar node (reference section 13). The pool of base points is the A, UT, C,
 * G and base-region nodes together; a pool point's vector is the four edited base-type probabilities
 * at its voxel. Per sugar: the vector of the pool point nearest the sugar (x0.5 beyond 10 A), plus
 * `phosphatePairEvidenceWeight` x the vector of the pool point minimising the distance sum to the
 * sugar's two phosphates (x0.5 beyond 20 A). CryoREAD's weight is 2 (it adds the pair term from its
 * forward and from its reverse phosphate table, which normally name the same pair); the default here
 * is 0, see TraceParams. Per path, no global tables (CryoREAD's let later paths overwrite shared keys).
 * The base anchor (for building) is the nearest pool point within `baseAnchorMaxA` (CryoREAD: no cut-off).
 */
import type { ClusterResult } from '../cluster/cluster-nodes.js';
import { NeighbourGrid } from '../grid/neighbour-grid.js';
import { BASE_CHANNELS } from '../grid/probability-maps.js';
import { Volume } from '../grid/volume.js';
import { argminDistanceSum, type Xyz } from './nearest-sum.js';
import type { TraceParams } from './params.js';
import type { BaseEvidence } from './types.js';

export interface BasePool {
  count: number;
  x: Float32Array;
  y: Float32Array;
  z: Float32Array;
  /** 4 values per point [A, UT, C, G]. */
  vec: Float32Array;
  grid: NeighbourGrid;
}

export function makeBasePool(cluster: ClusterResult): BasePool {
  const sets = [cluster.nodes.A, cluster.nodes.UT, cluster.nodes.C, cluster.nodes.G, cluster.nodes.base];
  const count = sets.reduce((s, ns) => s + ns.count, 0);
  const x = new Float32Array(count), y = new Float32Array(count), z = new Float32Array(count), vec = new Float32Array(4 * count);
  const pm = cluster.editedProbabilities;
  const vols = BASE_CHANNELS.map((c) => Volume.create(pm, pm.channels[c]));
  let k = 0;
  for (const ns of sets) {
    for (let i = 0; i < ns.count; i++, k++) {
      x[k] = ns.x[i]; y[k] = ns.y[i]; z[k] = ns.z[i];
      for (let t = 0; t < 4; t++) vec[4 * k + t] = Volume.valueAtAngstrom(vols[t], x[k], y[k], z[k], 0);
    }
  }
  const pts = { count, x, y, z };
  return { count, x, y, z, vec, grid: new NeighbourGrid(pts, 4) };
}

function addVec(out: number[], pool: BasePool, i: number, w: number): void {
  for (let t = 0; t < 4; t++) out[t] += w * pool.vec[4 * i + t];
}

export function baseEvidence(pool: BasePool, s: Xyz, p5: Xyz | null, p3: Xyz | null, p: TraceParams): { evidence: BaseEvidence; anchor: Xyz | null } {
  const ev = [0, 0, 0, 0];
  let anchor: Xyz | null = null;
  if (pool.count) {
    const nb = pool.grid.nearest(s[0], s[1], s[2], Infinity);
    if (nb.index >= 0) {
      addVec(ev, pool, nb.index, nb.distanceA > p.baseEvidenceFarA ? 0.5 : 1);
      if (nb.distanceA <= p.baseAnchorMaxA) anchor = [pool.x[nb.index], pool.y[nb.index], pool.z[nb.index]];
    }
    if (p5 && p3 && p.phosphatePairEvidenceWeight > 0) {
      const best = argminDistanceSum(pool.grid, p5, p3, Infinity);
      if (best.index >= 0) addVec(ev, pool, best.index, p.phosphatePairEvidenceWeight * (best.sumA > p.basePairFarA ? 0.5 : 1));
    }
  }
  return { evidence: ev as BaseEvidence, anchor };
}
