import { test } from 'node:test';
import assert from 'node:assert/strict';
import { colouredNoise, envelopeStats, gaussianBlurInPlace, latticeField, subRng } from '../../src/simulate/noise.js';
import { Rng } from '../../src/util/random.js';

test('separable blur equals a naive per-voxel convolution (anisotropic voxels, renormalised edges)', () => {
  const dims = [11, 9, 7];
  const frame = { shape: [7, 9, 11] as [number, number, number], voxelSizeA: [1, 1.3, 0.8] as [number, number, number], originA: [0, 0, 0] as [number, number, number] };
  const d = new Float32Array(7 * 9 * 11);
  const rng = new Rng(3);
  for (let i = 0; i < d.length; i++) d[i] = rng.normal();
  const ref = Float64Array.from(d);
  const sigmaA = 1.2, stride = [1, 11, 99];
  for (let axis = 0; axis < 3; axis++) {
    const s = sigmaA / frame.voxelSizeA[axis], r = Math.max(1, Math.ceil(3 * s));
    const prev = Float64Array.from(ref);
    for (let z = 0; z < 7; z++) for (let y = 0; y < 9; y++) for (let x = 0; x < 11; x++) {
      const idx = [x, y, z], o = x + 11 * y + 99 * z;
      let acc = 0, ws = 0;
      for (let t = -r; t <= r; t++) {
        const q = idx[axis] + t;
        if (q < 0 || q >= dims[axis]) continue;
        const w = Math.exp(-0.5 * t * t / (s * s));
        acc += w * prev[o + t * stride[axis]];
        ws += w;
      }
      ref[o] = acc / ws;
    }
  }
  gaussianBlurInPlace(d, frame, sigmaA);
  let maxDiff = 0;
  for (let i = 0; i < d.length; i++) maxDiff = Math.max(maxDiff, Math.abs(d[i] - ref[i]));
  assert.ok(maxDiff < 1e-6, `max diff ${maxDiff}`);
});

test('coloured noise: zero mean, unit variance, correlated over its length; lattice field unit variance', () => {
  const frame = { shape: [24, 24, 24] as [number, number, number], voxelSizeA: [1, 1, 1] as [number, number, number], originA: [0, 0, 0] as [number, number, number] };
  const f = colouredNoise(frame, 2, subRng(1, 2));
  let s = 0, ss = 0, lag = 0;
  for (let i = 0; i < f.length; i++) { s += f[i]; ss += f[i] * f[i]; if (i % 24 < 23) lag += f[i] * f[i + 1]; }
  assert.ok(Math.abs(s / f.length) < 1e-4 && Math.abs(ss / f.length - 1) < 1e-3);
  // Gaussian low-pass sigma 2 voxels: neighbour correlation exp(-1 / (4 sigma^2)) ~ 0.94.
  const rho = lag / (24 * 24 * 23);
  assert.ok(rho > 0.85 && rho < 0.97, `lag-1 correlation ${rho}`);
  const pts = Float32Array.from({ length: 500 }, (_, i) => (i * 7.3) % 40);
  const v = latticeField(pts, pts.map((x) => 40 - x), pts.map((x) => x / 2), 8, subRng(5, 1));
  let m = 0, q = 0;
  for (const x of v) { m += x; q += x * x; }
  assert.ok(Math.abs(m / 500) < 1e-5 && Math.abs(q / 500 - 1) < 1e-4);
});

test('envelope statistics pick the molecule, not the solvent', () => {
  const d = new Float32Array(1000);
  for (let i = 0; i < 100; i++) d[i] = 1 + (i % 2); // molecule: values 1 and 2
  for (let i = 100; i < 200; i++) d[i] = 0.01; // faint tails below 10% of the 99th percentile
  const e = envelopeStats(d);
  assert.equal(e.count, 100);
  assert.ok(Math.abs(e.mean - 1.5) < 1e-9 && Math.abs(e.variance - 0.25) < 1e-9);
  assert.equal(envelopeStats(new Float32Array(10)).count, 0);
});
