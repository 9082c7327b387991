import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axisRotation, mat3Mul, rotatePointsAbout } from '../../src/math/rotation.js';

test('axisRotation: right-handed about the axis, orthonormal, composes; rotatePointsAbout keeps the origin', () => {
  const Rz = axisRotation([0, 0, 1], Math.PI / 2);
  const p = [{ x: 2, y: 1, z: 5 }];
  rotatePointsAbout(p, Rz, [1, 1, 0]);
  // (1, 0) about (1, 1) by +90 deg about z -> (0, 1)
  assert.ok(Math.abs(p[0].x - 1) < 1e-12 && Math.abs(p[0].y - 2) < 1e-12 && p[0].z === 5);
  const R = mat3Mul(axisRotation([0.6, 0, 0.8], 0.7), axisRotation([0, 1, 0], -1.1));
  const RRt = mat3Mul(R, [R[0], R[3], R[6], R[1], R[4], R[7], R[2], R[5], R[8]]);
  RRt.forEach((v, i) => assert.ok(Math.abs(v - (i % 4 === 0 ? 1 : 0)) < 1e-12));
  // two quarter turns = a half turn
  const half = mat3Mul(Rz, Rz);
  assert.ok(Math.abs(half[0] + 1) < 1e-12 && Math.abs(half[4] + 1) < 1e-12 && Math.abs(half[8] - 1) < 1e-12);
});
