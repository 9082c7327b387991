/**
 * Cropping a volume to the box of occupied voxels (CryoREAD §3.4 "segment").
 *
 * [bug in CryoREAD] the original slices `[min, max)` on each axis, so the last occupied plane of every
 * axis is dropped. Here the box is `[min, max]` inclusive: every voxel above the threshold is kept.
 */
import { Volume, type Vec3 } from './volume.js';
import { InputError } from '../util/errors.js';

export interface CropResult {
  /** The cropped copy; its origin is moved so every kept voxel stays at the same Angstrom position. */
  volume: Volume;
  /** Index [x, y, z] of the first kept voxel in the input grid. */
  offsetVoxels: [number, number, number];
}

/**
 * Smallest box holding every voxel with value > `threshold` (CryoREAD uses 1e-6). Throws InputError
 * 'MAP_EMPTY' when no voxel qualifies. Returns a copy; the input is not modified.
 */
export function cropToOccupied(volume: Volume, threshold = 1e-6): CropResult {
  const [nz, ny, nx] = volume.shape;
  const d = volume.data;
  let x0 = nx, y0 = ny, z0 = nz, x1 = -1, y1 = -1, z1 = -1;
  let o = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      let rowMin = -1, rowMax = -1;
      for (let x = 0; x < nx; x++, o++) {
        if (d[o] > threshold) {
          if (rowMin < 0) rowMin = x;
          rowMax = x;
        }
      }
      if (rowMin < 0) continue;
      if (rowMin < x0) x0 = rowMin;
      if (rowMax > x1) x1 = rowMax;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      if (z < z0) z0 = z;
      if (z > z1) z1 = z;
    }
  }
  if (x1 < 0) {
    throw new InputError('MAP_EMPTY', `cropToOccupied: no voxel of the ${nx}x${ny}x${nz} map is above ${threshold}; check the map (all zero or negative?) or lower the contour`);
  }
  const cx = x1 - x0 + 1, cy = y1 - y0 + 1, cz = z1 - z0 + 1;
  const out = Volume.create({
    shape: [cz, cy, cx],
    voxelSizeA: volume.voxelSizeA,
    originA: Volume.indexToAngstrom(volume, x0, y0, z0) as Vec3,
  });
  for (let z = 0; z < cz; z++) {
    for (let y = 0; y < cy; y++) {
      const from = Volume.offset(volume, x0, y0 + y, z0 + z);
      out.data.set(d.subarray(from, from + cx), (z * cy + y) * cx);
    }
  }
  return { volume: out, offsetVoxels: [x0, y0, z0] };
}
