/**
 * The mean-shift kernel sums of kernel.ts precomputed on the grid: for every voxel q,
 *   S(q) = sum_x w(x - q) v(x)   and   M(q) = sum_x w(x - q) v(x) (x - q)   (offsets in voxels),
 * by separable 1-D convolutions (9 passes of 2h+1 taps instead of (2h+1)^3 per evaluation). Between
 * voxels S and M are interpolated trilinearly, so a mean-shift step costs 32 reads instead of ~1000.
 * Exact at voxel centres. mean-shift.ts uses these fields to bring each seed close to its mode and
 * finishes with exact window sums (unless a known mode is adopted). Measured on 6V5B oracle maps
 * against exact steps only: 4x faster (2.3 s vs 8.9 s, all seven classes), identical node counts,
 * phosphate nodes 0.04 A apart (max 0.08); sugar and base nodes 0.2-0.4 A apart (max 1.2 A): those
 * sit on flat-topped blobs where exact mean shift also stops at an arbitrary point of the plateau.
 * Work is restricted to the bounding box of
 * the non-zero voxels plus the kernel half-window.
 */
import type { GridFrame } from '../grid/volume.js';

export interface KernelFields {
  /** Sub-box [x0, y0, z0] and size [bx, by, bz] inside the full grid. */
  origin: [number, number, number];
  size: [number, number, number];
  s: Float32Array;
  mx: Float32Array;
  my: Float32Array;
  mz: Float32Array;
}

function taps(coef: number, voxelA: number, half: number): { w: Float64Array; wd: Float64Array; h: number } {
  const h = Math.floor(half);
  const w = new Float64Array(2 * h + 1), wd = new Float64Array(2 * h + 1);
  for (let d = -h; d <= h; d++) {
    const a = d * voxelA;
    w[d + h] = Math.exp(-coef * a * a);
    wd[d + h] = w[d + h] * d;
  }
  return { w, wd, h };
}

/**
 * out(q) = sum_d k(d) in(q + d) along one axis, zero outside. Works on whole x-rows (contiguous,
 * cache-friendly) and skips rows of zeros: along x it scatters each non-zero voxel, along y and z it
 * adds weighted copies of source rows to target rows.
 */
function convolve(src: Float32Array, out: Float32Array, size: [number, number, number], axis: 0 | 1 | 2, k: Float64Array, h: number): void {
  const [bx, by, bz] = size;
  out.fill(0);
  for (let z = 0; z < bz; z++) for (let y = 0; y < by; y++) {
    const row = (z * by + y) * bx;
    let nz = false;
    for (let x = 0; x < bx; x++) if (src[row + x] !== 0) { nz = true; break; }
    if (!nz) continue;
    if (axis === 0) {
      for (let x = 0; x < bx; x++) {
        const v = src[row + x];
        if (v === 0) continue;
        const lo = Math.max(-h, x - (bx - 1)), hi = Math.min(h, x);
        for (let d = lo; d <= hi; d++) out[row + x - d] += k[d + h] * v;
      }
    } else {
      const c = axis === 1 ? y : z, len = axis === 1 ? by : bz, stride = axis === 1 ? bx : bx * by;
      const lo = Math.max(-h, c - (len - 1)), hi = Math.min(h, c);
      for (let d = lo; d <= hi; d++) {
        const w = k[d + h];
        if (w === 0) continue;
        const dst = row - d * stride;
        for (let x = 0; x < bx; x++) out[dst + x] += w * src[row + x];
      }
    }
  }
}

export function kernelFields(data: Float32Array, frame: GridFrame, coef: number, halfWindow: readonly [number, number, number]): KernelFields | null {
  const [nz, ny, nx] = frame.shape;
  let x0 = nx, y0 = ny, z0 = nz, x1 = -1, y1 = -1, z1 = -1;
  for (let z = 0; z < nz; z++) for (let y = 0; y < ny; y++) {
    const row = (z * ny + y) * nx;
    for (let x = 0; x < nx; x++) if (data[row + x] !== 0) {
      if (x < x0) x0 = x; if (x > x1) x1 = x;
      if (y < y0) y0 = y; if (y > y1) y1 = y;
      if (z < z0) z0 = z; if (z > z1) z1 = z;
    }
  }
  if (x1 < 0) return null;
  const tx = taps(coef, frame.voxelSizeA[0], halfWindow[0]), ty = taps(coef, frame.voxelSizeA[1], halfWindow[1]), tz = taps(coef, frame.voxelSizeA[2], halfWindow[2]);
  x0 = Math.max(0, x0 - tx.h); y0 = Math.max(0, y0 - ty.h); z0 = Math.max(0, z0 - tz.h);
  x1 = Math.min(nx - 1, x1 + tx.h); y1 = Math.min(ny - 1, y1 + ty.h); z1 = Math.min(nz - 1, z1 + tz.h);
  const size: [number, number, number] = [x1 - x0 + 1, y1 - y0 + 1, z1 - z0 + 1];
  const n = size[0] * size[1] * size[2];
  const v = new Float32Array(n);
  for (let z = 0; z < size[2]; z++) for (let y = 0; y < size[1]; y++) {
    const src = ((z + z0) * ny + (y + y0)) * nx + x0, dst = (z * size[1] + y) * size[0];
    v.set(data.subarray(src, src + size[0]), dst);
  }
  const A = new Float32Array(n), B = new Float32Array(n), C = new Float32Array(n), T = new Float32Array(n);
  convolve(v, A, size, 0, tx.w, tx.h);
  convolve(v, B, size, 0, tx.wd, tx.h);
  convolve(A, C, size, 1, ty.w, ty.h);
  const s = new Float32Array(n), mz = new Float32Array(n), my = new Float32Array(n), mx = new Float32Array(n);
  convolve(C, s, size, 2, tz.w, tz.h);
  convolve(C, mz, size, 2, tz.wd, tz.h);
  convolve(A, T, size, 1, ty.wd, ty.h);
  convolve(T, my, size, 2, tz.w, tz.h);
  convolve(B, T, size, 1, ty.w, ty.h);
  convolve(T, mx, size, 2, tz.w, tz.h);
  return { origin: [x0, y0, z0], size, s, mx, my, mz };
}

/** Trilinear S, Mx, My, Mz at a fractional full-grid index; out = [S, Mx, My, Mz] (M in voxels). */
export function sampleFields(f: KernelFields, fx: number, fy: number, fz: number, out: Float64Array): Float64Array {
  const [bx, by, bz] = f.size;
  const lx = fx - f.origin[0], ly = fy - f.origin[1], lz = fz - f.origin[2];
  const ix = Math.floor(lx), iy = Math.floor(ly), iz = Math.floor(lz);
  const tx = lx - ix, ty = ly - iy, tz = lz - iz;
  out[0] = out[1] = out[2] = out[3] = 0;
  for (let dz = 0; dz <= 1; dz++) {
    const z = iz + dz;
    if (z < 0 || z >= bz) continue;
    const wz = dz ? tz : 1 - tz;
    for (let dy = 0; dy <= 1; dy++) {
      const y = iy + dy;
      if (y < 0 || y >= by) continue;
      const wyz = wz * (dy ? ty : 1 - ty);
      for (let dx = 0; dx <= 1; dx++) {
        const x = ix + dx;
        if (x < 0 || x >= bx) continue;
        const w = wyz * (dx ? tx : 1 - tx);
        if (w === 0) continue;
        const o = (z * by + y) * bx + x;
        out[0] += w * f.s[o]; out[1] += w * f.mx[o]; out[2] += w * f.my[o]; out[3] += w * f.mz[o];
      }
    }
  }
  return out;
}
