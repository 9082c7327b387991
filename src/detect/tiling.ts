/**
 * Box tiling of reference §5.2: starts 0, stride, 2 stride, ... along each axis; a box that would reach
 * the end of the axis is shifted to end exactly at it (start = dim - box, clamped at 0); boxes bigger
 * than the map are zero-padded. Works in voxel indices of one grid (this is grid bookkeeping, not geometry).
 */
import { InputError } from '../util/errors.js';
import { KEEP_FRACTION } from './params.js';

/** A box start corner [x, y, z] in voxels. */
export type BoxStart = readonly [number, number, number];

/**
 * Box start positions along one axis of `dim` voxels. CryoREAD shifts every start whose box reaches the
 * end to `dim - box`, which can repeat the same start several times; duplicates give the same output
 * (average and maximum of equal values), so they are dropped here.
 */
export function axisStarts(dim: number, boxSize: number, strideVoxels: number): number[] {
  const out: number[] = [];
  for (let s = 0; s < dim; s += strideVoxels) {
    const start = s + boxSize >= dim ? Math.max(0, dim - boxSize) : s;
    if (out[out.length - 1] !== start) out.push(start);
    if (start !== s) break; // every later start shifts to the same place
  }
  return out;
}

/** All box starts [x, y, z] for a grid of shape [nz, ny, nx], z slowest. */
export function boxStarts(shape: readonly [number, number, number], boxSize: number, strideVoxels: number): BoxStart[] {
  checkTiling(boxSize, strideVoxels);
  const [nz, ny, nx] = shape;
  const xs = axisStarts(nx, boxSize, strideVoxels), ys = axisStarts(ny, boxSize, strideVoxels), zs = axisStarts(nz, boxSize, strideVoxels);
  const out: BoxStart[] = [];
  for (const z of zs) for (const y of ys) for (const x of xs) out.push([x, y, z]);
  return out;
}

export function checkTiling(boxSize: number, strideVoxels: number): void {
  if (!Number.isInteger(boxSize) || boxSize < 1) throw new InputError('DETECT_BOX', `detect: boxSize = ${boxSize} must be a positive integer (the model's box edge, 64)`);
  if (!Number.isInteger(strideVoxels) || strideVoxels < 1 || strideVoxels > boxSize) {
    throw new InputError('DETECT_STRIDE', `detect: strideVoxels = ${strideVoxels} must be an integer in 1..${boxSize} (boxes must overlap or touch; CryoREAD uses 32)`);
  }
}

/** Minimum number of passing voxels (or entries) for a box to be kept: strictly more than KEEP_FRACTION of boxSize^3. */
export function keepCount(boxSize: number): number {
  return Math.floor(KEEP_FRACTION * boxSize ** 3) + 1;
}

/**
 * Stage-1 keep rule: true when more than 0.1 % of the box's boxSize^3 voxels are above `threshold`
 * (the padded part counts in the denominator, not as voxels). Stops as soon as the count is reached.
 */
export function boxHasDensity(
  data: Float32Array,
  shape: readonly [number, number, number],
  start: BoxStart,
  boxSize: number,
  threshold: number,
): boolean {
  const [nz, ny, nx] = shape;
  const need = keepCount(boxSize);
  const x1 = Math.min(nx, start[0] + boxSize), y1 = Math.min(ny, start[1] + boxSize), z1 = Math.min(nz, start[2] + boxSize);
  let n = 0;
  for (let z = start[2]; z < z1; z++) {
    for (let y = start[1]; y < y1; y++) {
      const row = (z * ny + y) * nx;
      for (let i = row + start[0], end = row + x1; i < end; i++) if (data[i] > threshold) n++;
      if (n >= need) return true;
    }
  }
  return false;
}

/** Density threshold of the keep rule: the normalised contour, or 0 when the contour is <= 0. */
export function densityKeepThreshold(contourNormalised: number): number {
  return contourNormalised > 0 ? contourNormalised : 0;
}

/** Box starts that pass the stage-1 keep rule. */
export function planBoxes(
  data: Float32Array,
  shape: readonly [number, number, number],
  contourNormalised: number,
  boxSize: number,
  strideVoxels: number,
): { kept: BoxStart[]; total: number } {
  const all = boxStarts(shape, boxSize, strideVoxels);
  const threshold = densityKeepThreshold(contourNormalised);
  const kept = all.filter((s) => boxHasDensity(data, shape, s, boxSize, threshold));
  return { kept, total: all.length };
}
