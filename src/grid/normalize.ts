/**
 * Density normalisation before detection (CryoREAD §5.1, identical in both network stages):
 *   1. negative voxels -> 0;
 *   2. "top density" T from a log-count histogram of the positive values (see `topDensity`);
 *   3. values above T clipped to T, then min-max scaled to [0, 1] (min is 0 whenever any voxel was <= 0,
 *      so this is v / T);
 *   4. the contour in normalised units is contour / T.
 */
import { Volume } from './volume.js';
import { InputError } from '../util/errors.js';

/** Number of equal-width histogram bins. @default 200 (CryoREAD) */
export const TOP_DENSITY_BINS = 200;
/** Fraction of the total log count the cumulative sum must exceed. @default 0.98 (CryoREAD) */
export const TOP_DENSITY_FRACTION = 0.98;

/**
 * "Top density" of a map: histogram of the strictly positive values in 200 equal bins spanning
 * [min, max] of those values (numpy.histogram's default range); each bin count c becomes ln(c)
 * (0 for empty bins, so single-voxel bins weigh nothing); walking the bins, the first one whose
 * cumulative log count exceeds 0.98 of the total gives T = its LEFT edge. Negative values are ignored.
 * Returns 0 when no value is positive. When no bin crosses the threshold (every bin holds at most one
 * value, so all log counts are 0) the maximum is returned: CryoREAD leaves that case undefined.
 */
export function topDensity(data: Float32Array): number {
  let lo = Infinity, hi = -Infinity, count = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v > 0) {
      count++;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (count === 0) return 0;
  // numpy widens an empty range to [v - 0.5, v + 0.5].
  const first = lo === hi ? lo - 0.5 : lo;
  const last = lo === hi ? hi + 0.5 : hi;
  const nb = TOP_DENSITY_BINS;
  const step = (last - first) / nb;
  const edge = (k: number) => (k === nb ? last : first + k * step);
  const counts = new Float64Array(nb);
  const scale = nb / (last - first);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!(v > 0)) continue;
    let k = Math.floor((v - first) * scale);
    if (k >= nb) k = nb - 1;
    // Same edge correction as numpy: the bin is decided by the edges themselves, not the rounded division.
    if (k > 0 && v < edge(k)) k--;
    else if (k < nb - 1 && v >= edge(k + 1)) k++;
    counts[k]++;
  }
  let total = 0;
  for (let k = 0; k < nb; k++) {
    counts[k] = counts[k] > 0 ? Math.log(counts[k]) : 0;
    total += counts[k];
  }
  const threshold = TOP_DENSITY_FRACTION * total;
  let cum = 0;
  for (let k = 0; k < nb; k++) {
    cum += counts[k];
    if (cum > threshold) return edge(k);
  }
  return hi;
}

export interface NormalizedDensity {
  /** Same grid, values in [0, 1]. */
  volume: Volume;
  /** T in raw density units. */
  topDensity: number;
  /** contour / T. */
  contourNormalised: number;
}

/**
 * Normalises a density map as CryoREAD does before detection (steps in the file comment). Returns a new
 * volume; the input is not modified. Throws InputError 'MAP_EMPTY' when no voxel is positive.
 */
export function normalizeDensity(volume: Volume, contour: number): NormalizedDensity {
  const src = volume.data;
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = src[i] > 0 ? src[i] : 0;
  const t = topDensity(out);
  if (!(t > 0)) {
    throw new InputError('MAP_EMPTY', `normalizeDensity: the map has no positive density (max ${Volume.stats(volume).max}); check the map or its sign`);
  }
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < out.length; i++) {
    if (out[i] > t) out[i] = t;
    const v = out[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const range = max - min;
  if (range > 0) {
    const inv = 1 / range;
    for (let i = 0; i < out.length; i++) out[i] = (out[i] - min) * inv;
  } else {
    out.fill(0);
  }
  return {
    volume: Volume.create(Volume.frameOf(volume), out),
    topDensity: t,
    contourNormalised: contour / t,
  };
}
