import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Volume, type Vec3 } from '../../src/grid/volume.js';
import { resampleToGrid } from '../../src/grid/resample.js';

/** Density-weighted centroid [x, y, z] in Angstroms. */
function centroidA(v: Volume): Vec3 {
  const [nz, ny, nx] = v.shape;
  let s = 0, cx = 0, cy = 0, cz = 0;
  const p: Vec3 = [0, 0, 0];
  for (let z = 0; z < nz; z++) for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
    const w = v.data[Volume.offset(v, x, y, z)];
    Volume.indexToAngstrom(v, x, y, z, p);
    s += w; cx += w * p[0]; cy += w * p[1]; cz += w * p[2];
  }
  return [cx / s, cy / s, cz / s];
}

function gaussianMap(shape: [number, number, number], voxelSizeA: Vec3, originA: Vec3, centreA: Vec3, sigmaA: number): Volume {
  const v = Volume.create({ shape, voxelSizeA, originA });
  const p: Vec3 = [0, 0, 0];
  for (let z = 0; z < shape[0]; z++) for (let y = 0; y < shape[1]; y++) for (let x = 0; x < shape[2]; x++) {
    Volume.indexToAngstrom(v, x, y, z, p);
    const r2 = (p[0] - centreA[0]) ** 2 + (p[1] - centreA[1]) ** 2 + (p[2] - centreA[2]) ** 2;
    v.data[Volume.offset(v, x, y, z)] = Math.exp(-r2 / (2 * sigmaA * sigmaA));
  }
  return v;
}

test('a Gaussian blob in a 1.3 A map stays at the same Angstrom position after resampling to 1 A (measured error < 0.004 A; issue asks 0.05)', () => {
  const centre: Vec3 = [8.37, 25.91, 30.02];
  const src = gaussianMap([36, 32, 30], [1.3, 1.3, 1.3], [-7.3, 12.1, 3.9], centre, 2.2);
  const before = src.data.slice();
  const out = resampleToGrid(src, 1);
  assert.deepEqual(src.data, before, 'input untouched');
  assert.deepEqual(out.shape, [46, 41, 39]); // floor(36*1.3), floor(32*1.3), floor(30*1.3)
  assert.deepEqual(out.voxelSizeA, [1, 1, 1]);
  assert.deepEqual(out.originA, [-7.3, 12.1, 3.9]);
  const c0 = centroidA(src);
  const c1 = centroidA(out);
  for (let i = 0; i < 3; i++) {
    assert.ok(Math.abs(c0[i] - centre[i]) < 0.05, `source centroid axis ${i}: ${c0[i]} vs ${centre[i]}`);
    assert.ok(Math.abs(c1[i] - centre[i]) < 0.01, `resampled centroid axis ${i}: ${c1[i]} vs ${centre[i]}`);
  }
  // Peak height survives (trilinear blends at most a 1.3 A neighbourhood of a 2.2 A-wide blob).
  assert.ok(Volume.stats(out).max > 0.9 && Volume.stats(out).max <= 1);
});

test('trilinear resampling is exact on a linear field and matches Volume.interpolateAngstrom', () => {
  const v = Volume.create({ shape: [8, 9, 10], voxelSizeA: [1.7, 1.2, 0.8], originA: [3, -2, 5] });
  for (let z = 0; z < 8; z++) for (let y = 0; y < 9; y++) for (let x = 0; x < 10; x++) {
    const [X, Y, Z] = Volume.indexToAngstrom(v, x, y, z);
    v.data[Volume.offset(v, x, y, z)] = 0.5 * X - 0.25 * Y + 0.1 * Z + 2;
  }
  const out = resampleToGrid(v, 1);
  assert.deepEqual(out.shape, [6, 10, 17]); // floor(8*0.8)=6, floor(9*1.2)=10, floor(10*1.7)=17
  let checked = 0;
  for (let z = 0; z < 6; z++) for (let y = 0; y < 10; y++) for (let x = 0; x < 17; x++) {
    const [X, Y, Z] = Volume.indexToAngstrom(out, x, y, z);
    const got = out.data[Volume.offset(out, x, y, z)];
    assert.ok(Math.abs(got - Volume.interpolateAngstrom(v, X, Y, Z)) < 1e-5);
    const inside = (X - 3) / 1.7 <= 9 && (Y + 2) / 1.2 <= 8 && (Z - 5) / 0.8 <= 7;
    if (inside) {
      assert.ok(Math.abs(got - (0.5 * X - 0.25 * Y + 0.1 * Z + 2)) < 1e-4);
      checked++;
    }
  }
  assert.ok(checked > 800, `${checked} interior points`);
});

test('beyond the last old voxel the samples blend with zero (CryoREAD zero padding)', () => {
  const v = Volume.create({ shape: [1, 1, 10], voxelSizeA: [1.3, 1, 1], originA: [0, 0, 0] });
  v.data.fill(1);
  const out = resampleToGrid(v, 1);
  assert.deepEqual(out.shape, [1, 1, 13]);
  // New voxel 12 sits at old index 12/1.3 = 9.2308: 0.769 of voxel 9, 0.231 of the zero padding.
  assert.ok(Math.abs(out.data[12] - (1 - (12 / 1.3 - 9))) < 1e-6);
  assert.equal(out.data[11], 1);
});

test('a float32 voxel size just under 1.3 keeps the expected plane count; same spacing copies', () => {
  const v = Volume.create({ shape: [10, 10, 10], voxelSizeA: [Math.fround(1.3), Math.fround(1.3), Math.fround(1.3)], originA: [1, 2, 3] });
  assert.deepEqual(resampleToGrid(v, 1).shape, [13, 13, 13]);
  const same = Volume.create({ shape: [2, 2, 3], voxelSizeA: [1, 1, 1], originA: [0, 0, 0] }, Float32Array.from({ length: 12 }, (_, i) => i * 1.5));
  const copy = resampleToGrid(same, 1);
  assert.deepEqual(Array.from(copy.data), Array.from(same.data));
  assert.notEqual(copy.data, same.data);
  assert.deepEqual(resampleToGrid(same, 0.5).shape, [4, 4, 6]);
});

test('resampleOntoFrame: a smooth map on the 1 A working grid comes back onto a 1.3 A input grid (offset origin) within trilinear error, zero outside', async () => {
  const { resampleOntoFrame } = await import('../../src/grid/resample.js');
  const f = (x: number, y: number, z: number) => Math.exp(-((x - 12) ** 2 + (y - 10) ** 2 + (z - 9) ** 2) / 40);
  const src = Volume.create({ shape: [20, 24, 28], voxelSizeA: [1, 1, 1], originA: [0.5, -0.25, 1] });
  for (let z = 0; z < 20; z++) for (let y = 0; y < 24; y++) for (let x = 0; x < 28; x++) src.data[(z * 24 + y) * 28 + x] = f(0.5 + x, -0.25 + y, 1 + z);
  const target = { shape: [18, 20, 24] as [number, number, number], voxelSizeA: [1.3, 1.3, 1.3] as [number, number, number], originA: [-2.6, -1.3, 0] as [number, number, number] };
  const out = resampleOntoFrame(src, target);
  assert.deepEqual([...out.shape], [18, 20, 24]);
  let maxErr = 0, outside = 0;
  for (let z = 0; z < 18; z++) for (let y = 0; y < 20; y++) for (let x = 0; x < 24; x++) {
    const px = -2.6 + 1.3 * x, py = -1.3 + 1.3 * y, pz = 1.3 * z;
    const v = out.data[(z * 20 + y) * 24 + x];
    const inside = px >= 0.5 && px <= 27.5 && py >= -0.25 && py <= 22.75 && pz >= 1 && pz <= 20;
    if (inside) maxErr = Math.max(maxErr, Math.abs(v - f(px, py, pz)));
    else if (px < -0.5 || py < -1.25 || pz < 0) { outside++; assert.equal(v, 0); }
  }
  assert.ok(maxErr < 0.02, `max trilinear error ${maxErr}`);
  assert.ok(outside > 100);
});
