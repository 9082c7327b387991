/**
 * Volume: a density (or probability) grid in real space.
 *
 * Layout: `data[(z * ny + y) * nx + x]` (x fastest), `shape = [nz, ny, nx]`.
 * Frame: voxel (x, y, z) index i_x, i_y, i_z sits at Cartesian position
 *   X = originA[0] + i_x * voxelSizeA[0], Y = originA[1] + i_y * voxelSizeA[1], Z = originA[2] + i_z * voxelSizeA[2]
 * (Angstroms). This module holds the only index <-> Angstrom mapping of the project: every other stage
 * works in Cartesian Angstroms and calls these functions.
 */
import { inspect } from 'node:util';
import { InputError } from '../util/errors.js';

export type Vec3 = [number, number, number];

export interface GridFrame {
  /** [nz, ny, nx]: number of voxels along z, y, x (x varies fastest in memory). */
  readonly shape: readonly [number, number, number];
  /** Voxel size along [x, y, z] in Angstroms. */
  readonly voxelSizeA: readonly [number, number, number];
  /** Cartesian position [x, y, z] (Angstroms) of voxel index (0, 0, 0). */
  readonly originA: readonly [number, number, number];
}

export interface Volume extends GridFrame {
  /** Voxel values, [z][y][x] with x fastest. Length nz * ny * nx. */
  readonly data: Float32Array;
}

export interface VolumeStats {
  min: number;
  max: number;
  mean: number;
  /** Root-mean-square deviation from the mean (CCP4 'RMS'). */
  rms: number;
}

class VolumeImpl implements Volume {
  constructor(
    readonly data: Float32Array,
    readonly shape: readonly [number, number, number],
    readonly voxelSizeA: readonly [number, number, number],
    readonly originA: readonly [number, number, number],
  ) {}
  [inspect.custom](): string {
    return Volume.describe(this);
  }
}

export namespace Volume {
  /** Creates a volume; allocates zeros when `data` is omitted. Checks that the sizes agree. */
  export function create(
    frame: GridFrame,
    data?: Float32Array,
  ): Volume {
    const [nz, ny, nx] = frame.shape;
    for (const n of frame.shape) {
      if (!Number.isInteger(n) || n <= 0) throw new InputError('VOLUME_SHAPE', `Volume.create: shape ${JSON.stringify(frame.shape)} must be positive integers`);
    }
    for (const v of frame.voxelSizeA) {
      if (!(v > 0) || !Number.isFinite(v)) throw new InputError('VOLUME_VOXEL', `Volume.create: voxelSizeA ${JSON.stringify(frame.voxelSizeA)} must be positive and finite`);
    }
    const n = nz * ny * nx;
    const d = data ?? new Float32Array(n);
    if (d.length !== n) throw new InputError('VOLUME_LENGTH', `Volume.create: data length ${d.length} != nz*ny*nx = ${n}`);
    return new VolumeImpl(d, [nz, ny, nx], [...frame.voxelSizeA] as Vec3, [...frame.originA] as Vec3);
  }

  /** A zero volume on the same grid as `frame`. */
  export function zerosLike(frame: GridFrame): Volume {
    return create(frame);
  }

  /** Copy of the frame only (shape, voxel size, origin). */
  export function frameOf(v: GridFrame): GridFrame {
    return { shape: [...v.shape] as Vec3, voxelSizeA: [...v.voxelSizeA] as Vec3, originA: [...v.originA] as Vec3 };
  }

  /** Linear offset of voxel (ix, iy, iz) in `data`. No bounds check. */
  export function offset(frame: GridFrame, ix: number, iy: number, iz: number): number {
    return (iz * frame.shape[1] + iy) * frame.shape[2] + ix;
  }

  /** Cartesian position (Angstroms) of a (possibly fractional) voxel index [ix, iy, iz]. */
  export function indexToAngstrom(frame: GridFrame, ix: number, iy: number, iz: number, out: Vec3 = [0, 0, 0]): Vec3 {
    out[0] = frame.originA[0] + ix * frame.voxelSizeA[0];
    out[1] = frame.originA[1] + iy * frame.voxelSizeA[1];
    out[2] = frame.originA[2] + iz * frame.voxelSizeA[2];
    return out;
  }

  /** Fractional voxel index [ix, iy, iz] of a Cartesian position (Angstroms). */
  export function angstromToIndex(frame: GridFrame, x: number, y: number, z: number, out: Vec3 = [0, 0, 0]): Vec3 {
    out[0] = (x - frame.originA[0]) / frame.voxelSizeA[0];
    out[1] = (y - frame.originA[1]) / frame.voxelSizeA[1];
    out[2] = (z - frame.originA[2]) / frame.voxelSizeA[2];
    return out;
  }

  /** Value at the voxel nearest to a Cartesian position, or `outside` when it falls off the grid. */
  export function valueAtAngstrom(v: Volume, x: number, y: number, z: number, outside = 0): number {
    const ix = Math.round((x - v.originA[0]) / v.voxelSizeA[0]);
    const iy = Math.round((y - v.originA[1]) / v.voxelSizeA[1]);
    const iz = Math.round((z - v.originA[2]) / v.voxelSizeA[2]);
    if (ix < 0 || iy < 0 || iz < 0 || ix >= v.shape[2] || iy >= v.shape[1] || iz >= v.shape[0]) return outside;
    return v.data[offset(v, ix, iy, iz)];
  }

  /** Trilinear interpolation at a Cartesian position; zero outside the grid. */
  export function interpolateAngstrom(v: Volume, x: number, y: number, z: number): number {
    const fx = (x - v.originA[0]) / v.voxelSizeA[0];
    const fy = (y - v.originA[1]) / v.voxelSizeA[1];
    const fz = (z - v.originA[2]) / v.voxelSizeA[2];
    return interpolateIndex(v, fx, fy, fz);
  }

  /** Trilinear interpolation at a fractional index; neighbours outside the grid count as zero. */
  export function interpolateIndex(v: Volume, fx: number, fy: number, fz: number): number {
    const [nz, ny, nx] = v.shape;
    const x0 = Math.floor(fx), y0 = Math.floor(fy), z0 = Math.floor(fz);
    const tx = fx - x0, ty = fy - y0, tz = fz - z0;
    let sum = 0;
    for (let dz = 0; dz <= 1; dz++) {
      const z = z0 + dz;
      if (z < 0 || z >= nz) continue;
      const wz = dz ? tz : 1 - tz;
      if (wz === 0) continue;
      for (let dy = 0; dy <= 1; dy++) {
        const y = y0 + dy;
        if (y < 0 || y >= ny) continue;
        const wy = dy ? ty : 1 - ty;
        if (wy === 0) continue;
        const row = (z * ny + y) * nx;
        for (let dx = 0; dx <= 1; dx++) {
          const xx = x0 + dx;
          if (xx < 0 || xx >= nx) continue;
          const wx = dx ? tx : 1 - tx;
          if (wx === 0) continue;
          sum += wz * wy * wx * v.data[row + xx];
        }
      }
    }
    return sum;
  }

  /** min / max / mean / rms of the data (float64 accumulators). */
  export function stats(v: { data: Float32Array }): VolumeStats {
    const d = v.data;
    let min = Infinity, max = -Infinity, sum = 0;
    for (let i = 0; i < d.length; i++) {
      const x = d[i];
      if (x < min) min = x;
      if (x > max) max = x;
      sum += x;
    }
    const mean = d.length ? sum / d.length : 0;
    let ss = 0;
    for (let i = 0; i < d.length; i++) {
      const e = d[i] - mean;
      ss += e * e;
    }
    return { min: d.length ? min : 0, max: d.length ? max : 0, mean, rms: d.length ? Math.sqrt(ss / d.length) : 0 };
  }

  /** Physical extent [x, y, z] in Angstroms (n * voxel size). */
  export function extentA(frame: GridFrame): Vec3 {
    return [frame.shape[2] * frame.voxelSizeA[0], frame.shape[1] * frame.voxelSizeA[1], frame.shape[0] * frame.voxelSizeA[2]];
  }

  /** Short summary used by notebooks (tslab prints a cell's value with console.log). */
  export function describe(v: Volume): string {
    const [nz, ny, nx] = v.shape;
    const vs = v.voxelSizeA.map((x) => +x.toFixed(3));
    const vsText = vs[0] === vs[1] && vs[1] === vs[2] ? `${vs[0]}` : vs.join('x');
    const mb = (v.data.byteLength / 1e6).toFixed(1);
    const o = v.originA.map((x) => +x.toFixed(2)).join(', ');
    return `Volume ${nx}x${ny}x${nz} @${vsText} A, origin (${o}) A, float32 ${mb} MB`;
  }
}
