import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { bFactorLowPass, fourierFilter } from '../../src/simulate/fourier.js';
import { simulateRealisticMap } from '../../src/simulate/realism.js';
import { simulateMap } from '../../src/simulate/simulate-map.js';
import { readStructure } from '../../src/io/structure-file.js';
import { Volume, type GridFrame } from '../../src/grid/volume.js';
import { sharedDataOrSkip } from '../helpers/shared-data.js';

const frame: GridFrame = { shape: [20, 24, 30], voxelSizeA: [1, 1, 1], originA: [0, 0, 0] };

function corr(a: Float32Array, b: Float32Array): number {
  let ma = 0, mb = 0;
  for (let i = 0; i < a.length; i++) { ma += a[i]; mb += b[i]; }
  ma /= a.length; mb /= b.length;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < a.length; i++) { const x = a[i] - ma, y = b[i] - mb; sab += x * y; saa += x * x; sbb += y * y; }
  return sab / Math.sqrt(saa * sbb);
}

test('fourierFilter: identity round trip; a 4 A low-pass keeps a 10 A wave and removes a 2.5 A wave', () => {
  const n = 20 * 24 * 30;
  const slow = new Float32Array(n), fast = new Float32Array(n);
  for (let k = 0; k < 20; k++) for (let j = 0; j < 24; j++) for (let i = 0; i < 30; i++) {
    const o = Volume.offset(frame, i, j, k);
    slow[o] = Math.sin((2 * Math.PI * i) / 10) * Math.exp(-((i - 15) ** 2 + (j - 12) ** 2 + (k - 10) ** 2) / 200);
    fast[o] = Math.sin((2 * Math.PI * i) / 2.5) * Math.exp(-((i - 15) ** 2 + (j - 12) ** 2 + (k - 10) ** 2) / 200);
  }
  const mix = slow.map((v, i) => v + fast[i]);
  const [same, lp] = fourierFilter(mix, frame, [() => 1, bFactorLowPass({ bFactorA2: 0, resolutionA: 4, edge: 0 })]);
  let err = 0;
  for (let i = 0; i < n; i++) err = Math.max(err, Math.abs(same[i] - mix[i]));
  assert.ok(err < 1e-5, `round trip error ${err}`);
  assert.ok(corr(lp, slow) > 0.98, `low-passed map vs the 10 A wave: CC ${corr(lp, slow)}`);
  assert.ok(Math.abs(corr(lp, fast)) < 0.1, `low-passed map vs the 2.5 A wave: CC ${corr(lp, fast)}`);
  // B-factor falloff: exp(-B s^2 / 4) at s = 1/10 A^-1 for B = 100 is exp(-0.25)
  const [damped] = fourierFilter(slow, frame, [bFactorLowPass({ bFactorA2: 100, resolutionA: 3, edge: 0 })]);
  let num = 0, den = 0;
  for (let i = 0; i < n; i++) { num += damped[i] * slow[i]; den += slow[i] * slow[i]; }
  assert.ok(Math.abs(num / den - Math.exp(-0.25)) < 0.05, `amplitude ratio ${num / den} vs ${Math.exp(-0.25)}`);
});

test('simulateRealisticMap: Fourier model agrees with the Gaussian model; masks zero what they should; scale and offset applied', (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const s = readStructure(join(dir, 'structures', 'rnapolis_1ATO.pdb'));
  const common = { resolutionA: 4, voxelSizeA: 1, noiseSnr: 0, localAmplitudeJitter: 0, seed: 3 };
  const gauss = simulateMap(s, { resolutionA: 4, voxelSizeA: 1, padA: 8 });
  const four = simulateRealisticMap(s, { ...common, densityModel: 'fourier', experimentBA2: 40, sharpenBA2: 0 });
  assert.deepEqual(four.shape, gauss.shape);
  const cc = corr(four.data, gauss.data);
  assert.ok(cc > 0.85, `Fourier vs Gaussian model CC ${cc.toFixed(3)}`);
  // sharpening raises high-frequency content: the sharpened map correlates less with the blurred Gaussian one
  const sharp = simulateRealisticMap(s, { ...common, densityModel: 'fourier', experimentBA2: 40, sharpenBA2: 120 });
  assert.ok(corr(sharp.data, gauss.data) < cc, 'sharpened map is less like the smooth one');
  // contour mask: zeros below the contour, untouched above
  const masked = simulateRealisticMap(s, { ...common, densityModel: 'gaussian', noiseSnr: 2, mask: 'contour', maskQuantile: 0.3 });
  let zeros = 0, minNonZero = Infinity;
  for (const v of masked.data) { if (v === 0) zeros++; else if (v < minNonZero) minNonZero = v; }
  assert.ok(zeros / masked.data.length > 0.5, `contour-masked map has ${(100 * zeros / masked.data.length).toFixed(0)} % zeros`);
  assert.ok(minNonZero > 0, 'every kept voxel is above a positive contour');
  // zone mask: nothing farther than the radius from an atom
  const zone = simulateRealisticMap(s, { ...common, densityModel: 'gaussian', noiseSnr: 2, mask: 'zone', zoneRadiusA: 3 });
  const atoms = s.chains.flatMap((c) => c.residues.flatMap((r) => r.atoms));
  const p: [number, number, number] = [0, 0, 0];
  let outside = 0;
  for (let k = 0; k < zone.shape[0]; k += 3) for (let j = 0; j < zone.shape[1]; j += 3) for (let i = 0; i < zone.shape[2]; i += 3) {
    if (zone.data[Volume.offset(zone, i, j, k)] === 0) continue;
    Volume.indexToAngstrom(zone, i, j, k, p);
    if (!atoms.some((a) => Math.hypot(a.x - p[0], a.y - p[1], a.z - p[2]) <= 3.01)) outside++;
  }
  assert.equal(outside, 0, 'no density beyond the zone radius');
  // raw scale and offset
  const scaled = simulateRealisticMap(s, { ...common, densityModel: 'gaussian', amplitudeScale: 1000, offset: 0 });
  const base = simulateRealisticMap(s, { ...common, densityModel: 'gaussian', amplitudeScale: 1, offset: 0 });
  assert.ok(Math.abs(scaled.data[1234] - 1000 * base.data[1234]) <= 1e-3 * Math.abs(scaled.data[1234]) + 1e-6);
});
