import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Volume } from '../../src/grid/volume.js';
import { cropToOccupied } from '../../src/grid/crop.js';
import { normalizeDensity, topDensity } from '../../src/grid/normalize.js';
import { lowPercentileContour, prepareMap } from '../../src/grid/prepare.js';
import { readMrc } from '../../src/io/mrc.js';
import { AbortError, InputError } from '../../src/util/errors.js';
import type { ProgressEvent } from '../../src/util/progress.js';
import { sharedDataOrSkip } from '../helpers/shared-data.js';

function boxVolume(): Volume {
  // 8 x 7 x 6 (x, y, z) at 0.5 A; occupied x 2..5, y 1..3, z 3..4, with the LAST planes (x=5, y=3, z=4) occupied.
  const v = Volume.create({ shape: [6, 7, 8], voxelSizeA: [0.5, 0.5, 0.5], originA: [10, 20, 30] });
  for (let z = 3; z <= 4; z++) for (let y = 1; y <= 3; y++) for (let x = 2; x <= 5; x++) v.data[Volume.offset(v, x, y, z)] = 1 + x + 10 * y + 100 * z;
  v.data[Volume.offset(v, 0, 0, 0)] = 1e-7; // below the 1e-6 threshold: not occupied
  return v;
}

test('cropToOccupied keeps the last occupied plane on every axis and shifts the origin', () => {
  const v = boxVolume();
  const before = v.data.slice();
  const { volume: c, offsetVoxels } = cropToOccupied(v);
  assert.deepEqual(v.data, before);
  assert.deepEqual(offsetVoxels, [2, 1, 3]);
  assert.deepEqual(c.shape, [2, 3, 4]); // CryoREAD's [min, max) slice would give [1, 2, 3]
  assert.deepEqual(c.originA, [10 + 2 * 0.5, 20 + 1 * 0.5, 30 + 3 * 0.5]);
  for (let z = 3; z <= 4; z++) for (let y = 1; y <= 3; y++) for (let x = 2; x <= 5; x++) {
    const [X, Y, Z] = Volume.indexToAngstrom(v, x, y, z);
    assert.equal(Volume.valueAtAngstrom(c, X, Y, Z), 1 + x + 10 * y + 100 * z, `voxel ${x},${y},${z} at the same Angstrom position`);
  }
  assert.throws(() => cropToOccupied(Volume.create({ shape: [2, 2, 2], voxelSizeA: [1, 1, 1], originA: [0, 0, 0] })), (e: unknown) => e instanceof InputError && e.code === 'MAP_EMPTY');
});

/** Hand-computed case. Positives span [1, 201] -> 200 bins of width 1, bin k = [1+k, 2+k). */
function histogramCase(): Float32Array {
  const vals: number[] = [0, 0, -3, -0.5]; // zeros and negatives are ignored by the histogram
  vals.push(1); // min, bin 0
  for (let i = 0; i < 999; i++) vals.push(1.5); // bin 0: 1000 values, ln 1000 = 6.9078
  vals.push(51.5, 51.5); // bin 50: ln 2 = 0.6931
  vals.push(101.5, 101.5); // bin 100: ln 2 = 0.6931
  vals.push(201); // max, bin 199: ln 1 = 0
  // total = 8.2940, 0.98 * total = 8.1281; cumulative 6.9078 (bin 0), 7.6009 (bin 50), 8.2940 (bin 100) > 8.1281
  // -> T = left edge of bin 100 = 101. (With raw counts instead of logs T would be 1.)
  return Float32Array.from(vals);
}

test('topDensity follows the log-count histogram rule (hand-computed cases)', () => {
  assert.equal(topDensity(histogramCase()), 101);
  // Ten bins of 10 values each (ln 10 each) plus the max alone: cumulative crosses 0.98 at the 10th bin, T = 1 + 9.
  const vals: number[] = [];
  for (let k = 0; k < 10; k++) for (let i = 0; i < 10; i++) vals.push(1 + k + (i === 0 && k === 0 ? 0 : 0.5));
  vals.push(201);
  assert.equal(topDensity(Float32Array.from(vals)), 10);
  assert.equal(topDensity(new Float32Array([0, -1, 0])), 0);
  assert.equal(topDensity(new Float32Array([2, 2, 2])), 2); // single value: numpy's widened range puts it in bin 100, left edge = 2
});

test('normalizeDensity: negatives to 0, clip at T, scale to [0, 1], contour / T', () => {
  const data = histogramCase();
  const v = Volume.create({ shape: [1, 1, data.length], voxelSizeA: [1, 1, 1], originA: [0, 0, 0] }, data.slice());
  const n = normalizeDensity(v, 50.5);
  assert.deepEqual(v.data, data, 'input untouched');
  assert.equal(n.topDensity, 101);
  assert.equal(n.contourNormalised, 50.5 / 101);
  const out = n.volume.data;
  assert.equal(out[0], 0);
  assert.equal(out[2], 0, 'negative -> 0');
  assert.ok(Math.abs(out[5] - 1.5 / 101) < 1e-7);
  assert.ok(Math.abs(out[1004] - 51.5 / 101) < 1e-7);
  assert.equal(out[1006], 1, '101.5 clipped to T');
  assert.equal(out[data.length - 1], 1, 'max clipped to T');
  assert.throws(() => normalizeDensity(Volume.create({ shape: [1, 1, 2], voxelSizeA: [1, 1, 1], originA: [0, 0, 0] }, new Float32Array([-1, 0])), 0), (e: unknown) => e instanceof InputError && e.code === 'MAP_EMPTY');
});

function rampVolume(): Volume {
  const v = Volume.create({ shape: [10, 10, 10], voxelSizeA: [1, 1, 1], originA: [5, 6, 7] });
  for (let i = 0; i < v.data.length; i++) v.data[i] = ((i * 7919) % 1000) / 100 - 2; // -2 .. 7.99, each value 1x per 1000
  return v;
}

test('prepareMap: negative contour shifts the density up and uses contour 0', () => {
  const v = rampVolume();
  const before = v.data.slice();
  const p = prepareMap(v, { contour: -0.5 });
  assert.deepEqual(v.data, before, 'caller volume untouched');
  assert.equal(p.contourRaw, 0);
  assert.match(p.notes.join('\n'), /negative contour -0.5: added 0.5 to every voxel/);
  assert.deepEqual(p.raw.shape, [10, 10, 10]); // every row still has voxels > 1e-6
  for (const i of [0, 1, 123, 999]) assert.ok(Math.abs(p.raw.data[i] - (before[i] + 0.5)) < 1e-6);
  assert.equal(p.contourNormalised, 0);
  assert.equal(p.topDensity, topDensity(p.raw.data));
  assert.deepEqual(p.normalised.shape, p.raw.shape);
  const s = Volume.stats(p.normalised);
  assert.ok(s.min === 0 && s.max === 1);
});

test('prepareMap: a contour at or above the maximum is replaced by the 0.1th percentile of positive density', () => {
  const v = rampVolume();
  const p = prepareMap(v, { contour: 100 });
  // Positives > 1e-6: values 0.01 .. 7.99 (799 of them); rank floor(799 / 1000) = 0 -> smallest = 0.01.
  assert.ok(Math.abs(p.contourRaw - 0.01) < 1e-6, `${p.contourRaw}`);
  assert.match(p.notes.join('\n'), /contour 100 is not below the map maximum 7\.99; replaced by 0\.01,/);
  assert.ok(Math.abs(p.contourNormalised - p.contourRaw / p.topDensity) < 1e-9);
  // The percentile rule itself on a larger array: rank floor(5000/1000) = 5 of the sorted positives.
  const big = new Float32Array(6000);
  for (let i = 0; i < 5000; i++) big[i] = ((i * 4099) % 5000) + 1; // 1..5000 shuffled
  big.fill(-1, 5000);
  assert.equal(lowPercentileContour(big), 6);
});

test('prepareMap: resamples a 1.3 A map, reports progress and honours abort', () => {
  const v = Volume.create({ shape: [12, 12, 12], voxelSizeA: [1.3, 1.3, 1.3], originA: [0, 0, 0] });
  for (let z = 3; z < 9; z++) for (let y = 3; y < 9; y++) for (let x = 4; x < 8; x++) v.data[Volume.offset(v, x, y, z)] = 2;
  const events: ProgressEvent[] = [];
  const p = prepareMap(v, { contour: 1 }, { onProgress: (e) => events.push(e) });
  assert.match(p.notes[0], /resampled 12x12x12 at 1\.3\/1\.3\/1\.3 A to 15x15x15 at 1 A/);
  assert.deepEqual(p.raw.voxelSizeA, [1, 1, 1]);
  // Occupied old x 4..7 -> 5.2..9.1 A, blended one old voxel (1.3 A) beyond: new x 4..10; y, z 3..8 -> 3..11.
  assert.deepEqual(p.raw.shape, [9, 9, 7]);
  assert.deepEqual(p.raw.originA, [4, 3, 3]);
  assert.equal(p.contourRaw, 1);
  assert.deepEqual(events.map((e) => e.done), [1, 2, 3, 4]);
  const ac = new AbortController();
  ac.abort();
  assert.throws(() => prepareMap(v, {}, { signal: ac.signal }), (e: unknown) => e instanceof AbortError);
});

test('prepareMap on real maps: shapes, origins and T equal to numpy.histogram on the same data', (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const m = readMrc(join(dir, 'maps', 'tempy_emd_5168_monomer.mrc'));
  const p = prepareMap(m.volume, { contour: 5 });
  assert.deepEqual(p.raw.voxelSizeA, [1, 1, 1]);
  // 28 x 43 x 41 at 1.742 A -> 48 x 74 x 71 at 1 A, then cropped by 2 voxels on the low side of each axis.
  assert.deepEqual(p.raw.shape, [66, 70, 44]);
  [-31.098, -22.388, -88.584].forEach((o, i) => assert.ok(Math.abs(p.raw.originA[i] - o) < 1e-3));
  assert.equal(p.contourRaw, 5);
  // Reference values: numpy.histogram(bins=200) + log counts + 0.98 rule on the same resampled, cropped data.
  assert.ok(Math.abs(p.topDensity - 30.140538) < 1e-5, `T = ${p.topDensity}`);
  assert.ok(Math.abs(p.contourNormalised - 5 / p.topDensity) < 1e-12);
  const s = Volume.stats(p.normalised);
  assert.equal(s.max, 1);
  assert.equal(s.min, 0);
  assert.ok(Math.abs(s.mean - 0.0540563) < 1e-5);
  const daq = prepareMap(readMrc(join(dir, 'maps', 'daq_2566_3J6B_9.mrc')).volume);
  assert.deepEqual(daq.raw.shape, [61, 68, 45]);
  assert.ok(Math.abs(daq.topDensity - 0.4934259) < 1e-6, `T = ${daq.topDensity}`);
  [357.44, 156.44, 160.46].forEach((o, i) => assert.ok(Math.abs(daq.raw.originA[i] - o) < 1e-3));
});
