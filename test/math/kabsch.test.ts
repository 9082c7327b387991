import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kabsch, applyTransform, quaternionToMatrix, det3 } from '../../src/math/kabsch.js';
import { eigenSymmetric } from '../../src/math/eigen-symmetric.js';
import { Rng } from '../../src/util/random.js';
import type { Vec3 } from '../../src/grid/volume.js';

function randomRotation(rng: Rng): number[] {
  return quaternionToMatrix([rng.normal(), rng.normal(), rng.normal(), rng.normal()]);
}

test('kabsch recovers a random rotation + translation exactly', () => {
  const rng = new Rng(11);
  for (let trial = 0; trial < 50; trial++) {
    const n = 3 + rng.int(20);
    const pts: Vec3[] = [];
    for (let i = 0; i < n; i++) pts.push([rng.uniform(-20, 20), rng.uniform(-20, 20), rng.uniform(-20, 20)]);
    const rotation = randomRotation(rng);
    const translation: Vec3 = [rng.uniform(-50, 50), rng.uniform(-50, 50), rng.uniform(-50, 50)];
    const moved = pts.map((p) => applyTransform({ rotation, translation }, p));
    const fit = kabsch(pts, moved);
    assert.ok(fit.rmsdA < 1e-9, `rmsd ${fit.rmsdA}`);
    for (let k = 0; k < 9; k++) assert.ok(Math.abs(fit.rotation[k] - rotation[k]) < 1e-9);
    for (let k = 0; k < 3; k++) assert.ok(Math.abs(fit.translation[k] - translation[k]) < 1e-8);
    assert.ok(Math.abs(det3(fit.rotation) - 1) < 1e-12);
  }
});

test('kabsch never returns a reflection, even when the target is a mirror image', () => {
  const rng = new Rng(3);
  for (let trial = 0; trial < 30; trial++) {
    const pts: Vec3[] = [];
    for (let i = 0; i < 6; i++) pts.push([rng.uniform(-5, 5), rng.uniform(-5, 5), rng.uniform(-5, 5)]);
    const mirrored = pts.map((p) => [-p[0], p[1], p[2]] as Vec3);
    const fit = kabsch(pts, mirrored);
    assert.ok(Math.abs(det3(fit.rotation) - 1) < 1e-12, `det ${det3(fit.rotation)}`);
    // A proper rotation cannot superpose a chiral point set on its mirror image.
    assert.ok(fit.rmsdA > 0.1, `rmsd ${fit.rmsdA}`);
  }
});

test('kabsch weights: a zero weight point is ignored, degenerate inputs still give a rotation', () => {
  const a: Vec3[] = [[0, 0, 0], [1, 0, 0], [0, 1, 0], [5, 5, 5]];
  const b: Vec3[] = [[10, 0, 0], [11, 0, 0], [10, 1, 0], [-40, 3, 2]];
  const fit = kabsch(a, b, [1, 1, 1, 0]);
  assert.ok(fit.rmsdA < 1e-9);
  assert.deepEqual(applyTransform(fit, [0, 0, 1]).map((v) => Math.round(v * 1e9) / 1e9), [10, 0, 1]);
  const one = kabsch([[1, 2, 3]], [[4, 5, 6]]);
  assert.ok(one.rmsdA < 1e-12);
  assert.ok(Math.abs(det3(one.rotation) - 1) < 1e-12);
  assert.throws(() => kabsch([], []), /no points/);
  assert.throws(() => kabsch([[0, 0, 0]], [[0, 0, 0], [1, 1, 1]]), /paired/);
});

test('eigenSymmetric matches A v = lambda v', () => {
  const m = [4, 1, 2, 0.5, 1, 3, 0, 1, 2, 0, 5, 2, 0.5, 1, 2, 1];
  const e = eigenSymmetric(m, 4);
  for (let k = 0; k < 4; k++) {
    for (let i = 0; i < 4; i++) {
      let av = 0;
      for (let j = 0; j < 4; j++) av += m[i * 4 + j] * e.vectors[k][j];
      assert.ok(Math.abs(av - e.values[k] * e.vectors[k][i]) < 1e-10);
    }
  }
  assert.ok(e.values[0] >= e.values[1] && e.values[1] >= e.values[2] && e.values[2] >= e.values[3]);
});
