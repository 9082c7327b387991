/**
 * Map target of real-space refinement: the map cropped around the model, smoothed to the
 * resolution (Gaussian, sigma = smoothFactor x 0.225 x resolution, the molmap width of that
 * resolution: it removes detail finer than the map holds and widens the basin an atom is pulled
 * into), normalised to mean 0 / rms 1 inside the crop, sampled by trilinear interpolation with
 * its analytic gradient. Reference section 21 gives this job to Phenix (which uses the map as is).
 */
import { Volume, type GridFrame } from '../grid/volume.js';
import { gaussianBlurInPlace } from '../simulate/noise.js';
import { SIGMA_PER_RESOLUTION } from '../simulate/simulate-map.js';
import { InputError } from '../util/errors.js';

export interface MapTarget extends GridFrame {
  data: Float32Array;
}

export interface MapTargetParams {
  resolutionA: number;
  /** Smoothing sigma in units of 0.225 x resolution (0 = none; refineModel uses 0.5) */
  smoothFactor: number;
  /** Margin around the atoms kept in the crop, Angstroms. @default 10 */
  padA: number;
}

/** Crops `volume` to the box of `xyz` (flat [x,y,z,...]) plus padA, smooths and normalises it. */
export function prepareMapTarget(volume: Volume, xyz: Float64Array, p: MapTargetParams): MapTarget {
  if (!(p.resolutionA > 0)) throw new InputError('REFINE_RESOLUTION', `refine: resolutionA ${p.resolutionA} invalid; give the map resolution in Angstroms (e.g. 3.7)`);
  const [nz, ny, nx] = volume.shape;
  const lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < xyz.length; i += 3) for (let k = 0; k < 3; k++) { lo[k] = Math.min(lo[k], xyz[i + k]); hi[k] = Math.max(hi[k], xyz[i + k]); }
  const dims = [nx, ny, nz];
  const i0 = [0, 0, 0], i1 = [0, 0, 0];
  for (let k = 0; k < 3; k++) {
    i0[k] = Math.max(0, Math.floor((lo[k] - p.padA - volume.originA[k]) / volume.voxelSizeA[k]));
    i1[k] = Math.min(dims[k] - 1, Math.ceil((hi[k] + p.padA - volume.originA[k]) / volume.voxelSizeA[k]));
    if (i1[k] < i0[k]) throw new InputError('REFINE_MODEL_OUTSIDE_MAP', `refine: the model lies outside the map box along ${'xyz'[k]}; give the map the model was built in`);
  }
  const cx = i1[0] - i0[0] + 1, cy = i1[1] - i0[1] + 1, cz = i1[2] - i0[2] + 1;
  const data = new Float32Array(cx * cy * cz);
  for (let z = 0; z < cz; z++) for (let y = 0; y < cy; y++) {
    const src = ((z + i0[2]) * ny + (y + i0[1])) * nx + i0[0];
    data.set(volume.data.subarray(src, src + cx), (z * cy + y) * cx);
  }
  const frame: GridFrame = {
    shape: [cz, cy, cx], voxelSizeA: [...volume.voxelSizeA] as [number, number, number],
    originA: [0, 1, 2].map((k) => volume.originA[k] + i0[k] * volume.voxelSizeA[k]) as [number, number, number],
  };
  if (p.smoothFactor > 0) gaussianBlurInPlace(data, frame, p.smoothFactor * SIGMA_PER_RESOLUTION * p.resolutionA);
  let sum = 0, ss = 0;
  for (let i = 0; i < data.length; i++) sum += data[i];
  const mean = sum / data.length;
  for (let i = 0; i < data.length; i++) ss += (data[i] - mean) ** 2;
  const rms = Math.sqrt(ss / data.length) || 1;
  for (let i = 0; i < data.length; i++) data[i] = (data[i] - mean) / rms;
  return { ...frame, data };
}

/**
 * Trilinear value at (x, y, z) Angstroms; writes d(value)/d(x, y, z) into g[0..2]. Zero (and zero
 * gradient) outside the grid.
 */
export function sampleWithGradient(m: MapTarget, x: number, y: number, z: number, g: Float64Array): number {
  const [nz, ny, nx] = m.shape;
  const fx = (x - m.originA[0]) / m.voxelSizeA[0], fy = (y - m.originA[1]) / m.voxelSizeA[1], fz = (z - m.originA[2]) / m.voxelSizeA[2];
  const x0 = Math.floor(fx), y0 = Math.floor(fy), z0 = Math.floor(fz);
  g[0] = g[1] = g[2] = 0;
  if (x0 < 0 || y0 < 0 || z0 < 0 || x0 + 1 >= nx || y0 + 1 >= ny || z0 + 1 >= nz) return 0;
  const tx = fx - x0, ty = fy - y0, tz = fz - z0;
  const d = m.data;
  const o = (z0 * ny + y0) * nx + x0, sy = nx, sz = nx * ny;
  const c000 = d[o], c100 = d[o + 1], c010 = d[o + sy], c110 = d[o + sy + 1];
  const c001 = d[o + sz], c101 = d[o + sz + 1], c011 = d[o + sz + sy], c111 = d[o + sz + sy + 1];
  const c00 = c000 + (c100 - c000) * tx, c10 = c010 + (c110 - c010) * tx;
  const c01 = c001 + (c101 - c001) * tx, c11 = c011 + (c111 - c011) * tx;
  const c0 = c00 + (c10 - c00) * ty, c1 = c01 + (c11 - c01) * ty;
  const v = c0 + (c1 - c0) * tz;
  // d/dtx, d/dty, d/dtz of the trilinear form.
  const dx0 = (c100 - c000) + (c110 - c010 - c100 + c000) * ty;
  const dx1 = (c101 - c001) + (c111 - c011 - c101 + c001) * ty;
  const dtx = dx0 + (dx1 - dx0) * tz;
  const dty = (c10 - c00) + ((c11 - c01) - (c10 - c00)) * tz;
  const dtz = c1 - c0;
  g[0] = dtx / m.voxelSizeA[0];
  g[1] = dty / m.voxelSizeA[1];
  g[2] = dtz / m.voxelSizeA[2];
  return v;
}
