/**
 * Map preparation before detection, in CryoREAD's order (reference §3.2-§3.5, §5.1):
 *   resample to `voxelSizeA` -> negative-contour shift -> crop to occupied voxels -> contour sanity
 *   check -> histogram normalisation.
 * The input volume is never modified; every step works on a copy.
 */
import { Volume } from './volume.js';
import { resampleToGrid } from './resample.js';
import { cropToOccupied } from './crop.js';
import { normalizeDensity } from './normalize.js';
import { InputError } from '../util/errors.js';
import { report, throwIfAborted, type StageContext } from '../util/progress.js';

export interface PrepareParams {
  /** Density contour in raw map units (CryoREAD `--contour`). @default 0 */
  contour: number;
  /** Working voxel size in Angstroms. @default 1 (CryoREAD) */
  voxelSizeA: number;
}

export const defaultPrepareParams: PrepareParams = { contour: 0, voxelSizeA: 1 };

/** Voxels above this value count as occupied when cropping and for the contour fallback. @default 1e-6 (CryoREAD) */
export const OCCUPIED_THRESHOLD = 1e-6;

export interface PreparedMap {
  /** Resampled and cropped map in raw density units (shifted up when the contour was negative). */
  raw: Volume;
  /** Same grid as `raw`, normalised to [0, 1] (§5.1). */
  normalised: Volume;
  /** Contour used, in the units of `raw`. */
  contourRaw: number;
  /** contourRaw / topDensity. */
  contourNormalised: number;
  /** "Top density" T of `raw` (§5.1). */
  topDensity: number;
  /** What was changed on the way, one sentence each. */
  notes: string[];
}

const STAGE = 'prepare';
/** Number for a note: 6 significant digits. */
const fmt = (x: number): number => +x.toPrecision(6);

/**
 * Contour fallback of CryoREAD §3.5: the value at rank floor(n / 1000) (ascending, 0-based) of the n voxels
 * above 1e-6, about the 0.1th percentile. Returns 0 when no voxel qualifies. O(n) selection, no full sort.
 */
export function lowPercentileContour(data: Float32Array): number {
  let n = 0;
  for (let i = 0; i < data.length; i++) if (data[i] > OCCUPIED_THRESHOLD) n++;
  if (n === 0) return 0;
  const pos = new Float32Array(n);
  for (let i = 0, j = 0; i < data.length; i++) if (data[i] > OCCUPIED_THRESHOLD) pos[j++] = data[i];
  return selectKth(pos, Math.floor(n / 1000));
}

/** k-th smallest value (0-based); reorders `a` in place (Hoare quickselect, median-of-three pivot). */
function selectKth(a: Float32Array, k: number): number {
  let lo = 0, hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    const p = [a[lo], a[mid], a[hi]].sort((x, y) => x - y)[1];
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i] < p) i++;
      while (a[j] > p) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/**
 * Prepares a map for detection. `params.contour` is in raw density units. Notes record every rule that fired:
 * resampling, the negative-contour shift (§3.3: |contour| added to every voxel, contour -> 0), the crop, and the
 * contour-above-maximum replacement (§3.5).
 */
export function prepareMap(volume: Volume, params: Partial<PrepareParams> = {}, ctx?: StageContext): PreparedMap {
  const p = { ...defaultPrepareParams, ...params };
  if (!Number.isFinite(p.contour)) throw new InputError('PREPARE_CONTOUR', `prepareMap: contour = ${p.contour} must be a finite density value`);
  const notes: string[] = [];
  const total = 4;
  throwIfAborted(ctx, STAGE);

  let grid: Volume;
  if (volume.voxelSizeA.every((v) => Math.abs(v - p.voxelSizeA) < 1e-6)) {
    grid = Volume.create(Volume.frameOf(volume), volume.data.slice());
  } else {
    grid = resampleToGrid(volume, p.voxelSizeA);
    const [nz, ny, nx] = volume.shape;
    const [mz, my, mx] = grid.shape;
    notes.push(`resampled ${nx}x${ny}x${nz} at ${volume.voxelSizeA.map((v) => +v.toFixed(4)).join('/')} A to ${mx}x${my}x${mz} at ${p.voxelSizeA} A (trilinear, origin kept)`);
  }
  report(ctx, STAGE, 1, total, 'resampled');
  throwIfAborted(ctx, STAGE);

  let contour = p.contour;
  if (contour < 0) {
    const shift = -contour;
    const d = grid.data;
    for (let i = 0; i < d.length; i++) d[i] += shift;
    notes.push(`negative contour ${fmt(contour)}: added ${fmt(shift)} to every voxel and used contour 0 (CryoREAD rule)`);
    contour = 0;
  }

  const { volume: raw, offsetVoxels } = cropToOccupied(grid, OCCUPIED_THRESHOLD);
  const [cz, cy, cx] = raw.shape;
  if (raw.data.length !== grid.data.length) {
    notes.push(`cropped to the ${cx}x${cy}x${cz} box of voxels > ${OCCUPIED_THRESHOLD} (offset ${offsetVoxels.join(', ')} voxels)`);
  }
  report(ctx, STAGE, 2, total, 'cropped');
  throwIfAborted(ctx, STAGE);

  const max = Volume.stats(raw).max;
  if (max <= contour) {
    const replaced = lowPercentileContour(raw.data);
    notes.push(`contour ${fmt(contour)} is not below the map maximum ${fmt(max)}; replaced by ${fmt(replaced)}, the 0.1th percentile of positive density (CryoREAD rule)`);
    contour = replaced;
  }
  report(ctx, STAGE, 3, total, 'contour checked');
  throwIfAborted(ctx, STAGE);

  const norm = normalizeDensity(raw, contour);
  report(ctx, STAGE, 4, total, 'normalised');
  return {
    raw,
    normalised: norm.volume,
    contourRaw: contour,
    contourNormalised: norm.contourNormalised,
    topDensity: norm.topDensity,
    notes,
  };
}
