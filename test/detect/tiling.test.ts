import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axisStarts, boxHasDensity, boxStarts, densityKeepThreshold, keepCount, planBoxes } from '../../src/detect/tiling.js';
import { extractBox } from '../../src/detect/box-io.js';
import { InputError } from '../../src/util/errors.js';
import { simulatedPrepared } from './maps.js';

test('axisStarts: stride 32, last box shifted to the edge, small axes padded from 0', () => {
  assert.deepEqual(axisStarts(200, 64, 32), [0, 32, 64, 96, 128, 136]);
  assert.deepEqual(axisStarts(128, 64, 32), [0, 32, 64]);
  assert.deepEqual(axisStarts(65, 64, 32), [0, 1]);
  assert.deepEqual(axisStarts(64, 64, 32), [0]);
  assert.deepEqual(axisStarts(40, 64, 32), [0]);
  assert.deepEqual(axisStarts(100, 64, 16), [0, 16, 32, 36]);
  assert.deepEqual(boxStarts([40, 100, 70], 64, 32), [[0, 0, 0], [6, 0, 0], [0, 32, 0], [6, 32, 0], [0, 36, 0], [6, 36, 0]]);
  assert.throws(() => boxStarts([10, 10, 10], 64, 65), InputError);
  assert.throws(() => boxStarts([10, 10, 10], 64, 0), InputError);
});

test('keep rule: more than 0.1 % of 64^3 voxels (263) above the threshold, padding in the denominator', () => {
  assert.equal(keepCount(64), 263);
  assert.equal(densityKeepThreshold(0.2), 0.2);
  assert.equal(densityKeepThreshold(-1), 0);
  const shape = [30, 30, 30] as const; // a 30^3 map in a zero-padded 64^3 box
  const data = new Float32Array(30 ** 3);
  for (let i = 0; i < 262; i++) data[i * 7] = 1;
  assert.equal(boxHasDensity(data, shape, [0, 0, 0], 64, 0.5), false, '262 voxels is exactly 0.1 %, not more');
  data[5] = 1;
  assert.equal(boxHasDensity(data, shape, [0, 0, 0], 64, 0.5), true);
  assert.equal(boxHasDensity(data, shape, [0, 0, 0], 64, 1), false, 'strictly above the threshold');
});

test('extractBox zero-pads outside the grid and counts entries above a level', () => {
  const shape = [3, 4, 5] as const;
  const src = Float32Array.from({ length: 60 }, (_, i) => i + 1);
  const dst = new Float32Array(2 * 4 ** 3).fill(-1);
  const above = extractBox(src, shape, [2, 1, 0], 4, dst, 64, 30);
  assert.equal(dst[63], -1, 'writes only its own slot');
  // box voxel (x=0,y=0,z=0) = grid (2,1,0) = 1*5+2 -> value 8; (x=2,..) = grid x 4 -> 10; x=3 is outside -> 0
  assert.deepEqual([...dst.subarray(64, 68)], [8, 9, 10, 0]);
  // z=3 (grid z 3) is outside: whole slab zero; y=3 -> grid y 4 outside
  assert.ok(dst.subarray(64 + 48, 128).every((v) => v === 0));
  assert.ok(dst.subarray(64 + 12, 64 + 16).every((v) => v === 0));
  let want = 0;
  for (let z = 0; z < 3; z++) for (let y = 1; y < 4; y++) for (let x = 2; x < 5; x++) if (src[(z * 4 + y) * 5 + x] > 30) want++;
  assert.equal(above, want);
});

for (const [box, stride] of [[64, 32], [16, 8]] as const) {
  test(`kept boxes (${box}^3, stride ${stride}) cover every voxel above the contour of a simulated tRNA map`, (t) => {
    const sim = simulatedPrepared(t, 'rnatools_6TNA.pdb');
    if (!sim) return;
    const { normalised: v, contourNormalised } = sim.prepared;
    assert.ok(contourNormalised > 0.05 && contourNormalised < 0.2, `contour ${contourNormalised}`);
    const [nz, ny, nx] = v.shape;
    const { kept, total } = planBoxes(v.data, v.shape, contourNormalised, box, stride);
    assert.equal(total, boxStarts(v.shape, box, stride).length);
    const covered = new Uint8Array(v.data.length);
    for (const [x0, y0, z0] of kept) {
      for (let z = z0; z < Math.min(nz, z0 + box); z++) for (let y = y0; y < Math.min(ny, y0 + box); y++) {
        covered.fill(1, (z * ny + y) * nx + x0, (z * ny + y) * nx + Math.min(nx, x0 + box));
      }
    }
    let occupied = 0, missed = 0;
    for (let i = 0; i < v.data.length; i++) if (v.data[i] > contourNormalised) { occupied++; if (!covered[i]) missed++; }
    assert.ok(occupied > 10000, `occupied ${occupied}`);
    assert.equal(missed, 0, 'every voxel above the contour lies in a kept box');
    if (box === 64) assert.equal(kept.length, total, 'a compact molecule keeps every 64^3 box');
    else assert.ok(kept.length > 200 && kept.length < total - 40, `${kept.length} of ${total} small boxes kept (235 of 308 when written)`);
  });
}
