/**
 * Sugar graph (reference section 10): edges between sugar nodes whose seed voxels touch, pruned
 * where the segment crosses base density, extended with longer edges through sugar density, each
 * with CryoREAD's cost d / m + 1.
 */
import type { SeedAssignment } from '../cluster/cluster-nodes.js';
import { GaussianKernel } from '../cluster/kernel.js';
import type { NodeSet } from '../cluster/node-set.js';
import { NeighbourGrid } from '../grid/neighbour-grid.js';
import { Volume, type GridFrame } from '../grid/volume.js';
import type { TraceParams } from './params.js';

export const EDGE_ADJACENT = 0;
export const EDGE_EXTENSION = 1;

export interface SugarGraph {
  nodeCount: number;
  /** Edge end points (a < b), lengths (A; extension edges are penalised x3), costs and kinds. */
  a: Int32Array;
  b: Int32Array;
  lengthA: Float32Array;
  cost: Float32Array;
  kind: Uint8Array;
}

export interface SugarGraphInput {
  sugar: NodeSet;
  seeds: SeedAssignment;
  frame: GridFrame;
  /** Edited (section 8) sugar channel. */
  sugarProb: Float32Array;
  /** Unedited base-region channel (CryoREAD prunes with the raw stage-2 values). */
  baseProb: Float32Array;
}

/** The 13 "forward" offsets of the 26-neighbourhood (the other 13 are their negatives). */
function forwardOffsets(): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let dz = -1; dz <= 1; dz++) for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
    if (dz > 0 || (dz === 0 && (dy > 0 || (dy === 0 && dx > 0)))) out.push([dx, dy, dz]);
  }
  return out;
}

/** Value at the voxel nearest to a Cartesian point (CryoREAD truncates the index; rounding is the intended nearest voxel). */
function sampleAt(frame: GridFrame, data: Float32Array, x: number, y: number, z: number): number {
  return Volume.valueAtAngstrom({ ...frame, data } as Volume, x, y, z, 0);
}

export function buildSugarGraph(input: SugarGraphInput, p: TraceParams): SugarGraph {
  const { sugar, seeds, frame } = input;
  const n = sugar.count;
  const [nz, ny, nx] = frame.shape;
  const R = p.maxEdgeA;
  // 10.1 grid adjacency through a voxel hash (CryoREAD: O(N_seeds^2) pair loop). Pairs are stored
  // as (smaller, larger) node id, so none is missed ([quirk] in CryoREAD the order could lose some).
  const ownerOfVoxel = new Map<number, number>();
  for (let i = 0; i < seeds.voxel.length; i++) if (seeds.owner[i] >= 0) ownerOfVoxel.set(seeds.voxel[i], seeds.owner[i]);
  const pairs = new Set<number>();
  const offs = forwardOffsets();
  for (const [v, own] of ownerOfVoxel) {
    const x = v % nx, y = Math.floor(v / nx) % ny, z = Math.floor(v / (nx * ny));
    for (const [dx, dy, dz] of offs) {
      const xx = x + dx, yy = y + dy, zz = z + dz;
      if (xx < 0 || yy < 0 || zz < 0 || xx >= nx || yy >= ny || zz >= nz) continue;
      const o = ownerOfVoxel.get((zz * ny + yy) * nx + xx);
      if (o === undefined || o === own) continue;
      pairs.add(Math.min(o, own) * n + Math.max(o, own));
    }
  }
  const ea: number[] = [], eb: number[] = [], el: number[] = [], ek: number[] = [];
  const crossesBase = (i: number, j: number): boolean => {
    for (let s = 0; s <= 5; s++) {
      const t = s / 5;
      const x = sugar.x[i] + t * (sugar.x[j] - sugar.x[i]), y = sugar.y[i] + t * (sugar.y[j] - sugar.y[i]), z = sugar.z[i] + t * (sugar.z[j] - sugar.z[i]);
      if (sampleAt(frame, input.baseProb, x, y, z) >= p.basePruneProbability) return true;
    }
    return false;
  };
  const sorted = [...pairs].sort((u, v) => u - v);
  for (const key of sorted) {
    const i = Math.floor(key / n), j = key % n;
    const d = dist(sugar, i, j);
    if (d >= R) continue;
    if (crossesBase(i, j)) continue; // 10.2
    ea.push(i); eb.push(j); el.push(d); ek.push(EDGE_ADJACENT);
  }
  // 10.3 extension: pairs closer than R (3-D distance; [quirk] CryoREAD adds the normalised density as
  // a 4th coordinate) through sugar density at all 6 samples and away from bases, length x3.
  const grid = new NeighbourGrid(sugar, R);
  for (let i = 0; i < n; i++) {
    const near = grid.within(sugar.x[i], sugar.y[i], sugar.z[i], R);
    for (const j of near) {
      if (j <= i || pairs.has(i * n + j)) continue;
      const d = dist(sugar, i, j);
      if (d >= R) continue;
      let ok = true;
      for (let s = 0; s <= 5 && ok; s++) {
        const t = s / 5;
        const x = sugar.x[i] + t * (sugar.x[j] - sugar.x[i]), y = sugar.y[i] + t * (sugar.y[j] - sugar.y[i]), z = sugar.z[i] + t * (sugar.z[j] - sugar.z[i]);
        if (!(sampleAt(frame, input.sugarProb, x, y, z) > p.extensionSugarProbability)) ok = false;
        else if (sampleAt(frame, input.baseProb, x, y, z) >= p.basePruneProbability) ok = false;
      }
      if (ok) { ea.push(i); eb.push(j); el.push(p.extensionPenalty * d); ek.push(EDGE_EXTENSION); }
    }
  }
  // 10.4 cost d / m + 1, m = min(node density, kernel density of the sugar channel at 11 points), m >= 1e-4.
  // CryoREAD takes the density of the first end point only; the smaller of the two keeps the cost symmetric.
  const kernel = new GaussianKernel(frame, p.bandwidthA);
  const m = ea.length;
  const cost = new Float32Array(m);
  const idx: [number, number, number] = [0, 0, 0];
  for (let e = 0; e < m; e++) {
    const i = ea[e], j = eb[e];
    let mm = Math.min(sugar.density[i], sugar.density[j]);
    for (let s = 0; s <= 10; s++) {
      const t = s / 10;
      Volume.angstromToIndex(frame, sugar.x[i] + t * (sugar.x[j] - sugar.x[i]), sugar.y[i] + t * (sugar.y[j] - sugar.y[i]), sugar.z[i] + t * (sugar.z[j] - sugar.z[i]), idx);
      mm = Math.min(mm, kernel.density(input.sugarProb, idx[0], idx[1], idx[2]));
    }
    cost[e] = el[e] / Math.max(mm, 1e-4) + 1;
  }
  return { nodeCount: n, a: Int32Array.from(ea), b: Int32Array.from(eb), lengthA: Float32Array.from(el), cost, kind: Uint8Array.from(ek) };
}

export function dist(ns: NodeSet, i: number, j: number): number {
  return Math.hypot(ns.x[i] - ns.x[j], ns.y[i] - ns.y[j], ns.z[i] - ns.z[j]);
}
