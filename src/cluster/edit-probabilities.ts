/**
 * Section 8 of the reference: the thresholds and edits CryoREAD applies to the stage-2 probabilities
 * before clustering. CryoREAD edits its arrays in place; here the edits go to a copy and the
 * caller's maps are never touched.
 */
import { BASE_CHANNELS, ProbabilityMaps } from '../grid/probability-maps.js';
import type { Volume } from '../grid/volume.js';
import { InputError } from '../util/errors.js';
import type { ClusterParams } from './params.js';

/**
 * Returns edited copies of all 8 channels:
 * - sugar, phosphate: values <= threshold, NaN, or where the map density <= 0 become 0;
 * - A/UT/C/G: computed from the unedited channels: 0 where base-region < baseThreshold, 0 where the type is
 *   not the argmax of the four types and below baseTypeKeepProbability, then <= baseFloor and density <= 0 -> 0;
 * - base region: <= baseThreshold -> 0, then <= baseFloor and density <= 0 -> 0;
 * - protein: copied unchanged; where it is >= params.proteinSuppression (> 0) and above the sugar, phosphate
 *   and base-region probabilities, every nucleic-acid channel is zeroed (not in CryoREAD; see ClusterParams).
 * `density` (same grid) is used only as the mask density > 0; pass null to skip the mask.
 */
export function editProbabilities(prob: ProbabilityMaps, density: Volume | null, params: ClusterParams): ProbabilityMaps {
  const n = prob.shape[0] * prob.shape[1] * prob.shape[2];
  if (density && density.data.length !== n) {
    throw new InputError(
      'CLUSTER_GRID',
      `clusterNodes: density map has ${density.data.length} voxels but the probability maps have ${n}; resample the map onto the probability grid first`,
    );
  }
  const mask = density?.data ?? null;
  const src = prob.channels;
  const supp = params.proteinSuppression > 0 ? Math.fround(params.proteinSuppression) : Infinity;
  /** Voxel i is protein, not nucleic acid (the unedited channels decide). */
  const isProtein = (i: number): boolean => {
    const pr = src.protein[i];
    return pr >= supp && pr > src.sugar[i] && pr > src.phosphate[i] && pr > src.base[i];
  };
  const out = ProbabilityMaps.clone(prob);
  const ch = out.channels;

  const backbone: [Float32Array, number][] = [
    [ch.phosphate, Math.fround(params.phosphateThreshold)],
    [ch.sugar, Math.fround(params.sugarThreshold)],
  ];
  for (const [a, thr] of backbone) {
    for (let i = 0; i < n; i++) {
      const v = a[i];
      if (!(v > thr) || (mask && !(mask[i] > 0)) || isProtein(i)) a[i] = 0;
    }
  }

  // Base types: argmax and the "no base" mask come from the unedited channels.
  const types = BASE_CHANNELS.map((c) => src[c]);
  const outTypes = BASE_CHANNELS.map((c) => ch[c]);
  const baseRegion = src.base;
  // Thresholds compared in float32, so a stored 0.1 counts as "<= 0.1" like CryoREAD's float64 arrays.
  const baseThr = Math.fround(params.baseThreshold), keepP = Math.fround(params.baseTypeKeepProbability), baseFloor = Math.fround(params.baseFloor);
  for (let i = 0; i < n; i++) {
    let best = 0, bestV = types[0][i];
    for (let k = 1; k < 4; k++) {
      const v = types[k][i];
      if (v > bestV) { best = k; bestV = v; }
    }
    const noBase = !(baseRegion[i] >= baseThr);
    const masked = (mask !== null && !(mask[i] > 0)) || isProtein(i);
    for (let k = 0; k < 4; k++) {
      const v = types[k][i];
      let keep = !noBase && !masked && v > baseFloor;
      if (keep && k !== best && v < keepP) keep = false;
      outTypes[k][i] = keep ? v : 0;
    }
  }
  const b = ch.base;
  const floor = Math.fround(Math.max(params.baseThreshold, params.baseFloor));
  for (let i = 0; i < n; i++) {
    if (!(b[i] > floor) || (mask && !(mask[i] > 0)) || isProtein(i)) b[i] = 0;
  }
  return out;
}
