/**
 * clusterNodes: CryoREAD's "LDP" stage (reference sections 8 and 9). Applies the probability edits
 * to copies, then runs mean shift + merge separately for the seven point classes.
 */
import { inspect } from 'node:util';
import type { ProbabilityChannel } from '../grid/probability-maps.js';
import type { ProbabilityMaps } from '../grid/probability-maps.js';
import { Volume } from '../grid/volume.js';
import type { StageContext } from '../util/progress.js';
import { report, throwIfAborted } from '../util/progress.js';
import { editProbabilities } from './edit-probabilities.js';
import { meanShiftSeeds } from './mean-shift.js';
import { dropSmallNodes, mergePoints } from './merge.js';
import { NodeSet } from './node-set.js';
import { ClusterParams, defaultClusterParams, NODE_CLASSES, NodeClass } from './params.js';

/** Which seed voxels became which node (needed by the sugar graph, section 10.1). */
export interface SeedAssignment {
  /** Linear voxel index of each seed on the probability grid, ascending. */
  voxel: Int32Array;
  /** Node index that absorbed the seed, or -1 when it was dropped. */
  owner: Int32Array;
}

export interface ClusterResult {
  nodes: Record<NodeClass, NodeSet>;
  /** The section-8 edited copies of the probability maps (the caller's maps are untouched). */
  editedProbabilities: ProbabilityMaps;
  seeds: Record<NodeClass, SeedAssignment>;
  params: ClusterParams;
  timingsMs: Record<NodeClass | 'edit', number>;
  warnings: string[];
}

const CHANNEL_OF: Record<NodeClass, ProbabilityChannel> = {
  phosphate: 'phosphate', sugar: 'sugar', A: 'A', UT: 'UT', C: 'C', G: 'G', base: 'base',
};

/**
 * @param prob stage-2 probabilities (or oracle maps); never modified.
 * @param density map on the same grid, used only as the mask density > 0 (null: no mask).
 */
export async function clusterNodes(
  prob: ProbabilityMaps,
  density: Volume | null,
  params: Partial<ClusterParams> = {},
  ctx?: StageContext,
): Promise<ClusterResult> {
  const p: ClusterParams = { ...defaultClusterParams, ...params };
  const t0 = performance.now();
  const edited = editProbabilities(prob, density, p);
  const timingsMs = { edit: performance.now() - t0 } as ClusterResult['timingsMs'];
  const nodes = {} as Record<NodeClass, NodeSet>;
  const seeds = {} as Record<NodeClass, SeedAssignment>;
  const warnings: string[] = [];
  for (let c = 0; c < NODE_CLASSES.length; c++) {
    const cls = NODE_CLASSES[c];
    const stage = `cluster/${cls}`;
    throwIfAborted(ctx, stage);
    const t1 = performance.now();
    const ms = await meanShiftSeeds(edited.channels[CHANNEL_OF[cls]], edited, {
      bandwidthA: p.bandwidthA, convergenceA2: p.convergenceA2, maxIterations: p.maxIterations, adoptRadiusA: p.adoptRadiusA, kernelOnGrid: p.kernelOnGrid, stage,
    }, ctx);
    if (ms.capped > 0) warnings.push(`${stage}: ${ms.capped} of ${ms.seedVoxel.length} starting points did not settle on a density peak within ${p.maxIterations} steps (flat or noisy map regions; harmless when few)`);
    const n = ms.seedVoxel.length;
    // Converged positions to Angstroms (the only index -> A mapping is Volume.indexToAngstrom).
    const ax = new Float32Array(n), ay = new Float32Array(n), az = new Float32Array(n);
    const v: [number, number, number] = [0, 0, 0];
    for (let i = 0; i < n; i++) {
      Volume.indexToAngstrom(edited, ms.fx[i], ms.fy[i], ms.fz[i], v);
      ax[i] = v[0]; ay[i] = v[1]; az[i] = v[2];
    }
    // Adopted seeds sit exactly on their source's point: merge the distinct points only, then give each
    // adopted seed its source's node (same result, without O(k^2) tie chains among identical points).
    const reps: number[] = [];
    const repOf = new Int32Array(n).fill(-1);
    for (let i = 0; i < n; i++) if (ms.source[i] === i) { repOf[i] = reps.length; reps.push(i); }
    const pick = <T extends Float32Array | Float64Array>(a: T, mk: (k: number) => T) => { const o = mk(reps.length); reps.forEach((s, k) => { o[k] = a[s]; }); return o; };
    const f32 = (k: number) => new Float32Array(k);
    const repMerge = mergePoints(pick(ax, f32), pick(ay, f32), pick(az, f32), pick(ms.density, (k) => new Float64Array(k)), p.mergeDistanceA, p.minDensityFraction);
    const owner = new Int32Array(n);
    for (let i = 0; i < n; i++) owner[i] = repMerge.owner[repOf[ms.source[i]]];
    const merged = dropSmallNodes({ nodeSeed: Int32Array.from(repMerge.nodeSeed, (k) => reps[k]), owner }, p.minSeedFraction);
    // Normalised density d / max + 0.01 (CryoREAD: (d - min) / (max - min) + 0.01 with min over all seeds;
    // see merge.ts for why the minimum is taken as 0: on clean maps the weakest true node would get 0.01).
    let dmax = 0;
    for (let i = 0; i < n; i++) dmax = Math.max(dmax, ms.density[i]);
    const ns = NodeSet.create(merged.nodeSeed.length);
    for (let k = 0; k < ns.count; k++) {
      const s = merged.nodeSeed[k];
      ns.x[k] = ax[s]; ns.y[k] = ay[s]; ns.z[k] = az[s];
      ns.density[k] = (dmax > 0 ? ms.density[s] / dmax : 1) + 0.01;
    }
    for (let i = 0; i < n; i++) if (merged.owner[i] >= 0) ns.seedCount[merged.owner[i]]++;
    nodes[cls] = ns;
    seeds[cls] = { voxel: ms.seedVoxel, owner: merged.owner };
    timingsMs[cls] = performance.now() - t1;
    report(ctx, 'cluster', c + 1, NODE_CLASSES.length, `${cls}: ${ns.count} nodes from ${n} seeds`);
  }
  const result: ClusterResult = { nodes, editedProbabilities: edited, seeds, params: p, timingsMs, warnings };
  // Short summary for notebooks (tslab prints a cell's value with console.log).
  Object.defineProperty(result, inspect.custom, {
    enumerable: false,
    value: () => `ClusterResult ${NODE_CLASSES.map((c) => `${c} ${nodes[c].count}`).join(', ')} nodes`,
  });
  return result;
}
