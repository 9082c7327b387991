/**
 * Fourier-space filtering of a density volume: one forward 3-D FFT (the grid zero-padded to powers of
 * two per axis, as fft.js's radix-4 transform needs), any number of filters applied to copies of the
 * spectrum, one inverse FFT per filter, cropped back to the input grid.
 *
 * Used by the training-map generator (realism.ts) for what a Gaussian-atom model cannot show: a global
 * B-factor falloff, B-sharpening (negative B, which boosts high frequencies and their noise), a hard
 * FSC-like low-pass (ringing near strong density), anisotropic resolution and noise with a given power
 * spectrum. Not a CryoREAD stage (the original has no simulator).
 */
import FFT from 'fft.js';
import type { GridFrame } from '../grid/volume.js';

/** Filter value at spatial frequency (sx, sy, sz) in 1/A; s2 = |s|^2. */
export type FrequencyFilter = (s2: number, sx: number, sy: number, sz: number) => number;

function nextPow2(n: number): number {
  let p = 4;
  while (p < n) p *= 2;
  return p;
}

/** Complex 3-D spectrum of a padded grid: interleaved re/im, [z][y][x] with x fastest. */
interface Spectrum {
  readonly dims: readonly [number, number, number]; // padded [nz, ny, nx]
  readonly data: Float32Array; // a padded volume (interleaved re/im): float32 like every volume; each 1-D transform runs in fft.js's own float64 arrays
}

const ffts = new Map<number, FFT>();
function fftOf(n: number): FFT {
  let f = ffts.get(n);
  if (!f) { f = new FFT(n); ffts.set(n, f); }
  return f;
}

/** In-place 1-D transforms along one axis of an interleaved complex [nz][ny][nx] array. */
function transformAxis(data: Float32Array, dims: readonly [number, number, number], axis: 0 | 1 | 2, inverse: boolean): void {
  const [nz, ny, nx] = dims;
  const n = axis === 2 ? nx : axis === 1 ? ny : nz;
  const stride = axis === 2 ? 1 : axis === 1 ? nx : nx * ny;
  const f = fftOf(n);
  const inp = f.createComplexArray() as number[];
  const out = f.createComplexArray() as number[];
  const lines: number[] = [];
  // start offsets (in complex elements) of every line along `axis`
  if (axis === 2) for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) lines.push((k * ny + j) * nx);
  else if (axis === 1) for (let k = 0; k < nz; k++) for (let i = 0; i < nx; i++) lines.push(k * ny * nx + i);
  else for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) lines.push(j * nx + i);
  for (const start of lines) {
    for (let t = 0; t < n; t++) {
      const o = 2 * (start + t * stride);
      inp[2 * t] = data[o];
      inp[2 * t + 1] = data[o + 1];
    }
    if (inverse) f.inverseTransform(out, inp);
    else f.transform(out, inp);
    for (let t = 0; t < n; t++) {
      const o = 2 * (start + t * stride);
      data[o] = out[2 * t];
      data[o + 1] = out[2 * t + 1];
    }
  }
}

function forward(values: Float32Array, frame: GridFrame): Spectrum {
  const [nz, ny, nx] = frame.shape;
  const dims = [nextPow2(nz), nextPow2(ny), nextPow2(nx)] as const;
  const data = new Float32Array(2 * dims[0] * dims[1] * dims[2]);
  for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) {
    const src = (k * ny + j) * nx, dst = (k * dims[1] + j) * dims[2];
    for (let i = 0; i < nx; i++) data[2 * (dst + i)] = values[src + i];
  }
  for (const ax of [2, 1, 0] as const) transformAxis(data, dims, ax, false);
  return { dims, data };
}

function inverseCropped(spec: Spectrum, frame: GridFrame): Float32Array {
  const data = spec.data;
  for (const ax of [2, 1, 0] as const) transformAxis(data, spec.dims, ax, true);
  const [nz, ny, nx] = frame.shape;
  const out = new Float32Array(nz * ny * nx);
  for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) {
    const dst = (k * ny + j) * nx, src = (k * spec.dims[1] + j) * spec.dims[2];
    for (let i = 0; i < nx; i++) out[dst + i] = data[2 * (src + i)];
  }
  return out;
}

/** Signed frequency index -> spatial frequency (1/A) along an axis of n padded voxels of size v. */
function freq(t: number, n: number, v: number): number {
  return (t <= n / 2 ? t : t - n) / (n * v);
}

function applyFilter(spec: Spectrum, frame: GridFrame, filter: FrequencyFilter): Spectrum {
  const [pz, py, px] = spec.dims;
  const [vx, vy, vz] = frame.voxelSizeA;
  const data = spec.data.slice();
  for (let k = 0; k < pz; k++) {
    const sz = freq(k, pz, vz);
    for (let j = 0; j < py; j++) {
      const sy = freq(j, py, vy);
      const row = (k * py + j) * px;
      for (let i = 0; i < px; i++) {
        const sx = freq(i, px, vx);
        const w = filter(sx * sx + sy * sy + sz * sz, sx, sy, sz);
        data[2 * (row + i)] *= w;
        data[2 * (row + i) + 1] *= w;
      }
    }
  }
  return { dims: spec.dims, data };
}

/**
 * `values` (on `frame`) filtered by each of `filters` in Fourier space; one output volume per filter.
 * The input is zero-padded, so density near the box edge does not wrap around.
 */
export function fourierFilter(values: Float32Array, frame: GridFrame, filters: readonly FrequencyFilter[]): Float32Array[] {
  const spec = forward(values, frame);
  return filters.map((f) => inverseCropped(applyFilter(spec, frame, f), frame));
}

/**
 * exp(-B s^2 / 4) (the structure-factor B-factor falloff; negative B sharpens), times a low-pass at
 * 1/resolutionA with a cosine edge of relative width `edge` (0 = hard cut-off), times an extra B along
 * a unit axis (anisotropic resolution: exp(-Baxis (s.u)^2 / 4)).
 */
export function bFactorLowPass(p: { bFactorA2: number; resolutionA: number; edge?: number; axis?: readonly [number, number, number]; axisBA2?: number }): FrequencyFilter {
  const sMax = 1 / p.resolutionA;
  const edge = Math.max(0, p.edge ?? 0.1) * sMax;
  const u = p.axis ?? [0, 0, 1];
  const bAxis = p.axisBA2 ?? 0;
  return (s2, sx, sy, sz) => {
    const s = Math.sqrt(s2);
    let w = Math.exp(-p.bFactorA2 * s2 / 4);
    if (bAxis) { const d = sx * u[0] + sy * u[1] + sz * u[2]; w *= Math.exp(-bAxis * d * d / 4); }
    if (s > sMax + edge / 2) return 0;
    if (edge > 0 && s > sMax - edge / 2) w *= 0.5 * (1 + Math.cos(Math.PI * (s - (sMax - edge / 2)) / edge));
    return w;
  };
}
