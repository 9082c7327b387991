/**
 * Optimal rigid superposition (rotation + translation, never a reflection) of paired 3-D points,
 * by Horn's closed-form quaternion method: the rotation is the unit quaternion of the largest
 * eigenvalue of a 4x4 symmetric matrix built from the weighted cross-covariance. This solves the
 * same least-squares problem as SVD-based Kabsch with the reflection correction, and a quaternion
 * always encodes a proper rotation (det = +1), so chirality is preserved by construction.
 */
import type { Vec3 } from '../grid/volume.js';
import { InputError } from '../util/errors.js';
import { eigenSymmetric } from './eigen-symmetric.js';

/** Maps a point p to R p + t (Angstroms). */
export interface RigidTransform {
  /** 3x3 rotation, row-major (length 9), det = +1. */
  rotation: number[];
  /** Translation in Angstroms, applied after the rotation. */
  translation: Vec3;
}

export interface KabschResult extends RigidTransform {
  /** Weighted root-mean-square deviation after superposition, Angstroms. */
  rmsdA: number;
}

/**
 * Rigid transform that best maps `mobile[i]` onto `target[i]` in the weighted least-squares sense:
 * minimises sum_i w_i |R mobile_i + t - target_i|^2. `weights` default to 1. With one point (or all
 * points collinear) the rotation is not unique: a valid proper rotation is still returned.
 */
export function kabsch(mobile: ArrayLike<Vec3>, target: ArrayLike<Vec3>, weights?: ArrayLike<number>): KabschResult {
  const n = mobile.length;
  if (n !== target.length) throw new InputError('KABSCH_LENGTH', `kabsch: mobile has ${n} points but target has ${target.length}; pass paired lists`);
  if (weights && weights.length !== n) throw new InputError('KABSCH_WEIGHTS', `kabsch: weights has ${weights.length} entries for ${n} points`);
  if (n === 0) throw new InputError('KABSCH_EMPTY', 'kabsch: no points to superpose; pass at least one pair');
  let wSum = 0;
  const ca = [0, 0, 0];
  const cb = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i] : 1;
    if (!(w >= 0) || !Number.isFinite(w)) throw new InputError('KABSCH_WEIGHTS', `kabsch: weight ${i} = ${w} must be finite and >= 0`);
    wSum += w;
    for (let k = 0; k < 3; k++) { ca[k] += w * mobile[i][k]; cb[k] += w * target[i][k]; }
  }
  if (!(wSum > 0)) throw new InputError('KABSCH_WEIGHTS', 'kabsch: weights sum to 0; give at least one point a positive weight');
  for (let k = 0; k < 3; k++) { ca[k] /= wSum; cb[k] /= wSum; }
  // Cross-covariance S[a][b] = sum w (mobile - ca)_a (target - cb)_b
  const s = new Float64Array(9);
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i] : 1;
    if (w === 0) continue;
    const ax = mobile[i][0] - ca[0], ay = mobile[i][1] - ca[1], az = mobile[i][2] - ca[2];
    const bx = target[i][0] - cb[0], by = target[i][1] - cb[1], bz = target[i][2] - cb[2];
    s[0] += w * ax * bx; s[1] += w * ax * by; s[2] += w * ax * bz;
    s[3] += w * ay * bx; s[4] += w * ay * by; s[5] += w * ay * bz;
    s[6] += w * az * bx; s[7] += w * az * by; s[8] += w * az * bz;
  }
  const [sxx, sxy, sxz, syx, syy, syz, szx, szy, szz] = s;
  const nMat = [
    sxx + syy + szz, syz - szy, szx - sxz, sxy - syx,
    syz - szy, sxx - syy - szz, sxy + syx, szx + sxz,
    szx - sxz, sxy + syx, -sxx + syy - szz, syz + szy,
    sxy - syx, szx + sxz, syz + szy, -sxx - syy + szz,
  ];
  const eig = eigenSymmetric(nMat, 4);
  const rotation = quaternionToMatrix(eig.vectors[0]);
  const rca = rotate(rotation, ca as Vec3);
  const translation: Vec3 = [cb[0] - rca[0], cb[1] - rca[1], cb[2] - rca[2]];
  const t: RigidTransform = { rotation, translation };
  let e = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i] : 1;
    const p = applyTransform(t, mobile[i]);
    e += w * ((p[0] - target[i][0]) ** 2 + (p[1] - target[i][1]) ** 2 + (p[2] - target[i][2]) ** 2);
  }
  return { rotation, translation, rmsdA: Math.sqrt(e / wSum) };
}

/** Rotation matrix (row-major) of a quaternion (w, x, y, z); normalises it first. */
export function quaternionToMatrix(q: ArrayLike<number>): number[] {
  const len = Math.hypot(q[0], q[1], q[2], q[3]) || 1;
  const w = q[0] / len, x = q[1] / len, y = q[2] / len, z = q[3] / len;
  return [
    w * w + x * x - y * y - z * z, 2 * (x * y - w * z), 2 * (x * z + w * y),
    2 * (x * y + w * z), w * w - x * x + y * y - z * z, 2 * (y * z - w * x),
    2 * (x * z - w * y), 2 * (y * z + w * x), w * w - x * x - y * y + z * z,
  ];
}

/** R p (no translation). */
export function rotate(rotation: ArrayLike<number>, p: ArrayLike<number>): Vec3 {
  return [
    rotation[0] * p[0] + rotation[1] * p[1] + rotation[2] * p[2],
    rotation[3] * p[0] + rotation[4] * p[1] + rotation[5] * p[2],
    rotation[6] * p[0] + rotation[7] * p[1] + rotation[8] * p[2],
  ];
}

/** R p + t. */
export function applyTransform(t: RigidTransform, p: ArrayLike<number>): Vec3 {
  const r = rotate(t.rotation, p);
  return [r[0] + t.translation[0], r[1] + t.translation[1], r[2] + t.translation[2]];
}

/** The inverse rigid transform: p = R^T (q - t). */
export function invertTransform(t: RigidTransform): RigidTransform {
  const r = t.rotation;
  const rt = [r[0], r[3], r[6], r[1], r[4], r[7], r[2], r[5], r[8]];
  const mt = rotate(rt, t.translation);
  return { rotation: rt, translation: [-mt[0], -mt[1], -mt[2]] };
}

/** Determinant of a row-major 3x3 matrix (a rotation has +1, a reflection -1). */
export function det3(m: ArrayLike<number>): number {
  return m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
}
