import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Volume } from '../../src/grid/volume.js';
import {
  gridForStructure, labelMaps, oracleProbabilities, oracleProbabilitiesAsync, simulateMap, simulateMapAsync, simulateTrainingSample, SIGMA_PER_RESOLUTION,
} from '../../src/simulate/index.js';
import { envelopeStats } from '../../src/simulate/noise.js';
import { atom, residue, structureOf } from './fixtures.js';

function correlation(a: Float32Array, b: Float32Array): number {
  let sa = 0, sb = 0;
  for (let i = 0; i < a.length; i++) { sa += a[i]; sb += b[i]; }
  const ma = sa / a.length, mb = sb / b.length;
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) { const x = a[i] - ma, y = b[i] - mb; ab += x * y; aa += x * x; bb += y * y; }
  return ab / Math.sqrt(aa * bb);
}

// A tiny phosphate-sugar fragment (coordinates in A), non-grid-aligned.
const tiny = structureOf(residue('U', 'rna', [
  atom('P', 'P', 10.13, 11.27, 9.61), atom('OP1', 'O', 11.4, 12.0, 9.9), atom('OP2', 'O', 9.1, 11.9, 8.8),
  atom("O5'", 'O', 9.7, 10.5, 10.9), atom("C5'", 'C', 10.5, 9.5, 11.5), atom("C4'", 'C', 9.8, 8.9, 12.7),
  atom('N1', 'N', 8.0, 7.7, 13.6),
], 'U'));

test('simulated map matches an independent all-atoms x all-voxels Gaussian sum (r > 0.99)', () => {
  const resolutionA = 3.0;
  const vol = simulateMap(tiny, { resolutionA, voxelSizeA: 0.7, padA: 5 });
  // Reference: written independently here, no cut-off, Peng 1996 f_e(0) weights typed in from the paper.
  const f0: Record<string, number> = { P: 5.4876, O: 1.9834, C: 2.5088, N: 2.2135 };
  const s = 0.225 * resolutionA;
  const ref = new Float32Array(vol.data.length);
  const [nz, ny, nx] = vol.shape;
  const atoms = tiny.chains[0].residues[0].atoms;
  for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) {
    const [x, y, z] = Volume.indexToAngstrom(vol, i, j, k);
    let v = 0;
    for (const a of atoms) v += f0[a.element] * Math.exp(-((x - a.x) ** 2 + (y - a.y) ** 2 + (z - a.z) ** 2) / (2 * s * s)) / (2 * Math.PI * s * s) ** 1.5;
    ref[(k * ny + j) * nx + i] = v;
  }
  const r = correlation(vol.data, ref);
  assert.ok(r > 0.99, `correlation ${r}`);
  // Mass: 3-sigma truncation keeps ~97% of each Gaussian's integral.
  let m = 0, mr = 0;
  for (let i = 0; i < ref.length; i++) { m += vol.data[i]; mr += ref[i]; }
  assert.ok(m / mr > 0.95 && m / mr < 1.0, `mass ratio ${m / mr}`);
  // Highest voxel sits next to the phosphorus (heaviest scatterer).
  let best = 0;
  for (let i = 1; i < vol.data.length; i++) if (vol.data[i] > vol.data[best]) best = i;
  const bi = best % nx, bj = Math.floor(best / nx) % ny, bk = Math.floor(best / (nx * ny));
  const [bx, by, bz] = Volume.indexToAngstrom(vol, bi, bj, bk);
  const dP = Math.hypot(bx - 10.13, by - 11.27, bz - 9.61);
  assert.ok(dP < 0.7, `peak ${dP.toFixed(2)} A from P`);
});

function secondMomentSigma(vol: Volume, c: [number, number, number]): number {
  const [nz, ny, nx] = vol.shape;
  let m = 0, m2 = 0;
  for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) {
    const v = vol.data[(k * ny + j) * nx + i];
    const [x, y, z] = Volume.indexToAngstrom(vol, i, j, k);
    m += v; m2 += v * ((x - c[0]) ** 2 + (y - c[1]) ** 2 + (z - c[2]) ** 2);
  }
  return Math.sqrt(m2 / m / 3);
}

test('peak width follows sigma = 0.225 x resolution, B-factor adds B/(8 pi^2) to sigma^2', () => {
  const c: [number, number, number] = [3.3, 4.1, 5.2];
  const one = structureOf(residue('X', 'other', [atom('C1', 'C', ...c, 40)]));
  assert.ok(Math.abs(SIGMA_PER_RESOLUTION - 0.225) < 0.001);
  for (const resolutionA of [2.5, 4, 6]) {
    const vol = simulateMap(one, { resolutionA, voxelSizeA: 0.5, padA: 8, cutoffSigma: 6 });
    const s = secondMomentSigma(vol, c);
    assert.ok(Math.abs(s / (0.225 * resolutionA) - 1) < 0.01, `res ${resolutionA}: sigma ${s}`);
  }
  const blurred = simulateMap(one, { resolutionA: 4, voxelSizeA: 0.5, padA: 8, cutoffSigma: 6, bFactor: 'file' });
  const expected = Math.sqrt((0.225 * 4) ** 2 + 40 / (8 * Math.PI ** 2));
  assert.ok(Math.abs(secondMomentSigma(blurred, c) / expected - 1) < 0.01);
  const uniform = simulateMap(one, { resolutionA: 4, voxelSizeA: 0.5, padA: 8, cutoffSigma: 6, bFactor: 40 });
  assert.deepEqual(uniform.data, blurred.data);
  // Default 3-sigma cut-off: truncated 3-D Gaussian has a slightly smaller second moment (~0.93 sigma).
  const cut = secondMomentSigma(simulateMap(one, { resolutionA: 4, voxelSizeA: 0.5 }), c);
  assert.ok(cut / 0.9 > 0.9 && cut / 0.9 < 0.96, `truncated ${cut / 0.9}`);
});

test('gridForStructure: pad, snapped origin, given origin', () => {
  const g = gridForStructure(tiny, { voxelSizeA: 1, padA: 4 });
  assert.deepEqual(g.originA, [4, 3, 4]);
  assert.deepEqual(g.shape, [14, 14, 12]); // x 4..15 (max 11.4+4), y 3..16 (12+4), z 4..17 (13.6+4)
  const h = gridForStructure(tiny, { voxelSizeA: 1.05, padA: 3, originA: [1.5, 2.5, 3.5] });
  assert.deepEqual(h.originA, [1.5, 2.5, 3.5]);
  const last = Volume.indexToAngstrom(h, h.shape[2] - 1, h.shape[1] - 1, h.shape[0] - 1);
  assert.ok(last[0] >= 11.4 + 3 - 1.05 && last[1] >= 12 + 3 - 1.05 && last[2] >= 13.6 + 3 - 1.05);
  assert.throws(() => gridForStructure(tiny, { originA: [100, 0, 0] }), /originA\[0\]/);
  assert.throws(() => gridForStructure(structureOf()), /no atoms/);
});

test('noise: envelope SNR as requested, deterministic for a seed, different between seeds', () => {
  const params = { resolutionA: 3.7, voxelSizeA: 1, padA: 6 };
  const clean = simulateMap(tiny, params);
  const a = simulateMap(tiny, { ...params, noiseSnr: 2, localAmplitudeJitter: 0, seed: 7 });
  const b = simulateMap(tiny, { ...params, noiseSnr: 2, seed: 7 });
  const c = simulateMap(tiny, { ...params, noiseSnr: 2, seed: 8 });
  assert.deepEqual(a.data, b.data);
  assert.notDeepEqual(a.data, c.data);
  const env = envelopeStats(clean.data);
  let ss = 0;
  for (let i = 0; i < a.data.length; i++) ss += (a.data[i] - clean.data[i]) ** 2;
  const snr = env.variance / (ss / a.data.length);
  assert.ok(snr > 1.7 && snr < 2.3, `measured SNR ${snr}`);
  assert.throws(() => simulateMap(tiny, { resolutionA: -1 }), /resolutionA/);
  assert.throws(() => simulateMap(tiny, { bFactor: 'x' as 'file' }), /bFactor/);
});

test('local amplitude jitter changes atom amplitudes smoothly and reproducibly', () => {
  const params = { resolutionA: 3.7, padA: 6, localAmplitudeJitter: 0.5, localJitterLengthA: 3, seed: 3 };
  const clean = simulateMap(tiny, { resolutionA: 3.7, padA: 6 });
  const j1 = simulateMap(tiny, params);
  const j2 = simulateMap(tiny, params);
  assert.deepEqual(j1.data, j2.data);
  const r = correlation(clean.data, j1.data);
  assert.ok(r > 0.8 && r < 0.9999, `correlation with clean ${r}`);
});

test('simulateTrainingSample: density and labels on one grid, equal to separate calls; frame param respected', () => {
  const frame = { shape: [20, 21, 22] as [number, number, number], voxelSizeA: [0.9, 0.9, 0.9] as [number, number, number], originA: [1, 2, 3] as [number, number, number] };
  const params = { resolutionA: 3, noiseSnr: 3, seed: 4, frame, labelRadiusA: 1.7 };
  const sample = simulateTrainingSample(tiny, params);
  assert.deepEqual(sample.density.shape, [20, 21, 22]);
  assert.deepEqual(sample.labels.frame.originA, [1, 2, 3]);
  assert.deepEqual(sample.density.data, simulateMap(tiny, params).data);
  assert.deepEqual(sample.labels.phosphate, labelMaps(tiny, frame, { radiusA: 1.7 }).phosphate);
  let n = 0;
  for (const v of sample.labels.phosphate) n += v;
  assert.ok(n > 20);
});

test('async variants give the same result, report progress and stop on abort', async () => {
  const params = { resolutionA: 3.7, noiseSnr: 2, seed: 9 };
  const events: number[] = [];
  const a = await simulateMapAsync(tiny, params, { onProgress: (e) => events.push(e.done) });
  assert.deepEqual(a.data, simulateMap(tiny, params).data);
  assert.equal(events.at(-1), 7);
  const frame = gridForStructure(tiny);
  assert.deepEqual((await oracleProbabilitiesAsync(tiny, frame)).channels.base, oracleProbabilities(tiny, frame).channels.base);
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(simulateMapAsync(tiny, params, { signal: ac.signal }), /aborted/);
  assert.throws(() => simulateMap(tiny, params, { signal: ac.signal }), /aborted/);
});
