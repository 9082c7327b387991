/**
 * Per-atom neighbourhood kernels on a grid: each atom touches only the voxels inside a sphere of
 * radius `cutoffA` around it (never all voxels x all atoms). Positions are converted once per atom with
 * Volume.angstromToIndex; distances inside the loop are index offsets times the voxel size.
 */
import { Volume, type GridFrame, type Vec3 } from '../grid/volume.js';

const scratch: Vec3 = [0, 0, 0];

/** Index range [lo, hi] (clamped to the grid) along one axis covering centre +- radius. */
function axisRange(f: number, radiusVox: number, n: number): [number, number] {
  return [Math.max(0, Math.ceil(f - radiusVox)), Math.min(n - 1, Math.floor(f + radiusVox))];
}

let bufLen = 0;
let dx2 = new Float64Array(0), dy2 = new Float64Array(0), dz2 = new Float64Array(0);
let gx = new Float64Array(0), gy = new Float64Array(0);

function ensureBuffers(m: number): void {
  if (m <= bufLen) return;
  bufLen = Math.max(m, 2 * bufLen, 32);
  dx2 = new Float64Array(bufLen); dy2 = new Float64Array(bufLen); dz2 = new Float64Array(bufLen);
  gx = new Float64Array(bufLen); gy = new Float64Array(bufLen);
}

/**
 * Adds `peak * exp(-d^2 / (2 sigma^2))` to every voxel within `cutoffA` of (x, y, z) (A).
 * Separable: the Gaussian factorises per axis, so the per-voxel work is one multiply-add.
 */
export function splatGaussian(
  data: Float32Array, frame: GridFrame, x: number, y: number, z: number, peak: number, sigmaA: number, cutoffA: number,
): void {
  const [nz, ny, nx] = frame.shape;
  const [vx, vy, vz] = frame.voxelSizeA;
  const f = Volume.angstromToIndex(frame, x, y, z, scratch);
  const [x0, x1] = axisRange(f[0], cutoffA / vx, nx);
  const [y0, y1] = axisRange(f[1], cutoffA / vy, ny);
  const [z0, z1] = axisRange(f[2], cutoffA / vz, nz);
  if (x0 > x1 || y0 > y1 || z0 > z1) return;
  ensureBuffers(Math.max(x1 - x0, y1 - y0, z1 - z0) + 1);
  const inv = -0.5 / (sigmaA * sigmaA);
  const c2 = cutoffA * cutoffA;
  for (let i = x0; i <= x1; i++) { const d = (i - f[0]) * vx; dx2[i - x0] = d * d; gx[i - x0] = Math.exp(inv * d * d); }
  for (let j = y0; j <= y1; j++) { const d = (j - f[1]) * vy; dy2[j - y0] = d * d; gy[j - y0] = Math.exp(inv * d * d); }
  for (let k = z0; k <= z1; k++) { const d = (k - f[2]) * vz; dz2[k - z0] = d * d; }
  for (let k = z0; k <= z1; k++) {
    const dzz = dz2[k - z0];
    const wz = peak * Math.exp(inv * dzz);
    for (let j = y0; j <= y1; j++) {
      const dyz = dzz + dy2[j - y0];
      if (dyz > c2) continue;
      const wyz = wz * gy[j - y0];
      const row = (k * ny + j) * nx;
      for (let i = x0; i <= x1; i++) {
        if (dyz + dx2[i - x0] <= c2) data[row + i] += wyz * gx[i - x0];
      }
    }
  }
}

/** Calls `fn(offset, d2A)` for every voxel whose centre lies within `radiusA` of (x, y, z) (A). */
export function forEachVoxelInSphere(
  frame: GridFrame, x: number, y: number, z: number, radiusA: number, fn: (offset: number, d2A: number) => void,
): void {
  const [nz, ny, nx] = frame.shape;
  const [vx, vy, vz] = frame.voxelSizeA;
  const f = Volume.angstromToIndex(frame, x, y, z, scratch);
  const fx = f[0], fy = f[1], fz = f[2];
  const [x0, x1] = axisRange(fx, radiusA / vx, nx);
  const [y0, y1] = axisRange(fy, radiusA / vy, ny);
  const [z0, z1] = axisRange(fz, radiusA / vz, nz);
  const r2 = radiusA * radiusA;
  for (let k = z0; k <= z1; k++) {
    const dz = (k - fz) * vz;
    for (let j = y0; j <= y1; j++) {
      const dy = (j - fy) * vy;
      const dyz2 = dz * dz + dy * dy;
      if (dyz2 > r2) continue;
      const row = (k * ny + j) * nx;
      for (let i = x0; i <= x1; i++) {
        const dx = (i - fx) * vx;
        const d2 = dyz2 + dx * dx;
        if (d2 <= r2) fn(row + i, d2);
      }
    }
  }
}
