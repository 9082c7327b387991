/**
 * Noise and smooth random fields for simulated maps: separable Gaussian low-pass of a grid,
 * unit-variance coloured noise, the "molecular envelope" used to define SNR, and a smooth per-atom
 * amplitude factor that mimics local resolution / occupancy variation.
 */
import type { GridFrame } from '../grid/volume.js';
import { Rng } from '../util/random.js';
import { runSteps, type Steps } from './steps.js';

/** An independent stream derived from a user seed (so adding a noise component does not shift others). */
export function subRng(seed: number, stream: number): Rng {
  return new Rng((Math.imul(seed | 0, 0x85ebca6b) ^ Math.imul(stream + 1, 0x9e3779b1)) >>> 0);
}

/**
 * In-place separable Gaussian blur with standard deviation `sigmaA` (Angstroms, per axis in voxels
 * sigmaA / voxelSize). Taps that fall off the grid are dropped and the kernel renormalised.
 */
export function gaussianBlurInPlace(data: Float32Array, frame: GridFrame, sigmaA: number): void {
  runSteps(gaussianBlurSteps(data, frame, sigmaA), undefined, 'simulate/blur');
}

/**
 * gaussianBlurInPlace as steps (one per axis). Cache-friendly: along y and z whole rows / planes are
 * combined (contiguous memory), using one scratch copy of the volume.
 */
export function* gaussianBlurSteps(data: Float32Array, frame: GridFrame, sigmaA: number): Steps<void> {
  if (!(sigmaA > 0)) return;
  const [nz, ny, nx] = frame.shape;
  const dims = [nx, ny, nz];
  const src = new Float32Array(data.length);
  for (let axis = 0; axis < 3; axis++) {
    const n = dims[axis];
    const s = sigmaA / frame.voxelSizeA[axis];
    const r = Math.max(1, Math.ceil(3 * s));
    const w = new Float64Array(2 * r + 1);
    for (let t = -r; t <= r; t++) w[t + r] = Math.exp(-0.5 * (t * t) / (s * s));
    // 1 / (sum of the kernel taps that fall inside the grid), per position along the axis.
    const invNorm = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let ws = 0;
      for (let t = Math.max(-r, -i); t <= Math.min(r, n - 1 - i); t++) ws += w[t + r];
      invNorm[i] = 1 / ws;
    }
    src.set(data);
    // Block = contiguous run combined per tap: 1 voxel (x), one row (y), one plane (z).
    const block = axis === 0 ? 1 : axis === 1 ? nx : nx * ny;
    const outer = axis === 0 ? ny * nz : axis === 1 ? nz : 1;
    const outerStride = n * block;
    if (axis === 0) {
      for (let o = 0; o < outer; o++) {
        const base = o * nx;
        for (let i = 0; i < n; i++) {
          const lo = Math.max(0, i - r), hi = Math.min(n - 1, i + r);
          let acc = 0;
          for (let j = lo; j <= hi; j++) acc += w[j - i + r] * src[base + j];
          data[base + i] = acc * invNorm[i];
        }
      }
    } else {
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < n; i++) {
          const out = o * outerStride + i * block;
          const lo = Math.max(0, i - r), hi = Math.min(n - 1, i + r);
          data.fill(0, out, out + block);
          for (let j = lo; j <= hi; j++) {
            const wj = w[j - i + r];
            const inp = o * outerStride + j * block;
            for (let b = 0; b < block; b++) data[out + b] += wj * src[inp + b];
          }
          const k = invNorm[i];
          for (let b = 0; b < block; b++) data[out + b] *= k;
        }
      }
    }
    yield;
  }
}

/** Zero-mean, unit-variance Gaussian noise low-passed with a Gaussian of `lengthA` (A). */
export function colouredNoise(frame: GridFrame, lengthA: number, rng: Rng): Float32Array {
  return runSteps(colouredNoiseSteps(frame, lengthA, rng), undefined, 'simulate/noise');
}

export function* colouredNoiseSteps(frame: GridFrame, lengthA: number, rng: Rng): Steps<Float32Array> {
  const n = frame.shape[0] * frame.shape[1] * frame.shape[2];
  const f = new Float32Array(n);
  for (let i = 0; i < n; i++) f[i] = rng.normal();
  yield;
  yield* gaussianBlurSteps(f, frame, lengthA);
  let sum = 0, ss = 0;
  for (let i = 0; i < n; i++) sum += f[i];
  const mean = sum / n;
  for (let i = 0; i < n; i++) { const e = f[i] - mean; ss += e * e; }
  const inv = ss > 0 ? 1 / Math.sqrt(ss / n) : 0;
  for (let i = 0; i < n; i++) f[i] = (f[i] - mean) * inv;
  return f;
}

/**
 * Mean and variance of the clean map inside its molecular envelope: voxels above
 * `fraction` x the 99th percentile of the positive values (a histogram percentile, O(N)).
 */
export function envelopeStats(data: Float32Array, fraction = 0.1): { threshold: number; mean: number; variance: number; count: number } {
  let max = 0;
  for (let i = 0; i < data.length; i++) if (data[i] > max) max = data[i];
  if (max <= 0) return { threshold: 0, mean: 0, variance: 0, count: 0 };
  const bins = 4096;
  const hist = new Uint32Array(bins);
  let pos = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v > 0) { hist[Math.min(bins - 1, Math.floor((v / max) * bins))]++; pos++; }
  }
  let acc = 0, b = 0;
  for (; b < bins; b++) { acc += hist[b]; if (acc >= 0.99 * pos) break; }
  const threshold = fraction * ((b + 1) / bins) * max;
  let sum = 0, ss = 0, count = 0;
  for (let i = 0; i < data.length; i++) if (data[i] > threshold) { sum += data[i]; count++; }
  const mean = count ? sum / count : 0;
  for (let i = 0; i < data.length; i++) if (data[i] > threshold) { const e = data[i] - mean; ss += e * e; }
  return { threshold, mean, variance: count ? ss / count : 0, count };
}

/**
 * Smooth random field sampled at points: standard normals on a lattice of spacing `lengthA`
 * (A) covering the points, trilinearly interpolated, then rescaled to zero mean and unit variance
 * over the points. Returns one value per point.
 */
export function latticeField(x: Float32Array, y: Float32Array, z: Float32Array, lengthA: number, rng: Rng): Float32Array {
  const n = x.length;
  const out = new Float32Array(n);
  if (n === 0) return out;
  let mx = Infinity, my = Infinity, mz = Infinity, Mx = -Infinity, My = -Infinity, Mz = -Infinity;
  for (let i = 0; i < n; i++) {
    mx = Math.min(mx, x[i]); my = Math.min(my, y[i]); mz = Math.min(mz, z[i]);
    Mx = Math.max(Mx, x[i]); My = Math.max(My, y[i]); Mz = Math.max(Mz, z[i]);
  }
  const L = lengthA;
  const gx = Math.floor((Mx - mx) / L) + 2, gy = Math.floor((My - my) / L) + 2, gz = Math.floor((Mz - mz) / L) + 2;
  const lat = new Float32Array(gx * gy * gz);
  for (let i = 0; i < lat.length; i++) lat[i] = rng.normal();
  for (let p = 0; p < n; p++) {
    const fx = (x[p] - mx) / L, fy = (y[p] - my) / L, fz = (z[p] - mz) / L;
    const i0 = Math.min(gx - 2, Math.floor(fx)), j0 = Math.min(gy - 2, Math.floor(fy)), k0 = Math.min(gz - 2, Math.floor(fz));
    const tx = fx - i0, ty = fy - j0, tz = fz - k0;
    let v = 0;
    for (let dk = 0; dk <= 1; dk++) for (let dj = 0; dj <= 1; dj++) for (let di = 0; di <= 1; di++) {
      const w = (di ? tx : 1 - tx) * (dj ? ty : 1 - ty) * (dk ? tz : 1 - tz);
      v += w * lat[((k0 + dk) * gy + (j0 + dj)) * gx + (i0 + di)];
    }
    out[p] = v;
  }
  let sum = 0, ss = 0;
  for (let p = 0; p < n; p++) sum += out[p];
  const mean = sum / n;
  for (let p = 0; p < n; p++) ss += (out[p] - mean) ** 2;
  const inv = ss > 0 ? 1 / Math.sqrt(ss / n) : 0;
  for (let p = 0; p < n; p++) out[p] = (out[p] - mean) * inv;
  return out;
}
