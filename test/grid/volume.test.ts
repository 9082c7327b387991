import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Volume } from '../../src/grid/volume.js';

test('index <-> Angstrom mapping round-trips with anisotropic voxels and an origin', () => {
  const v = Volume.create({ shape: [4, 5, 6], voxelSizeA: [1.1, 1.2, 1.3], originA: [10, -5, 2.5] });
  const p = Volume.indexToAngstrom(v, 2, 3, 1);
  assert.deepEqual(p.map((x) => +x.toFixed(6)), [12.2, -1.4, 3.8]);
  const i = Volume.angstromToIndex(v, p[0], p[1], p[2]);
  assert.deepEqual(i.map((x) => +x.toFixed(6)), [2, 3, 1]);
});

test('trilinear interpolation is exact on a linear field and zero far outside', () => {
  const v = Volume.create({ shape: [3, 3, 3], voxelSizeA: [1, 1, 1], originA: [0, 0, 0] });
  for (let z = 0; z < 3; z++) for (let y = 0; y < 3; y++) for (let x = 0; x < 3; x++) v.data[Volume.offset(v, x, y, z)] = x + 2 * y + 3 * z;
  assert.ok(Math.abs(Volume.interpolateAngstrom(v, 0.5, 1.25, 1.5) - (0.5 + 2.5 + 4.5)) < 1e-6);
  assert.equal(Volume.interpolateAngstrom(v, -5, 0, 0), 0);
});

test('create rejects mismatched data and bad shapes', () => {
  assert.throws(() => Volume.create({ shape: [2, 2, 2], voxelSizeA: [1, 1, 1], originA: [0, 0, 0] }, new Float32Array(7)), /data length 7/);
  assert.throws(() => Volume.create({ shape: [0, 2, 2], voxelSizeA: [1, 1, 1], originA: [0, 0, 0] }), /positive integers/);
});
