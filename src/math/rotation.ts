/**
 * Rotations about an axis (Rodrigues) and the small 3-vector helpers the model builder uses; the
 * one implementation for chi turns, base relief and phosphate torsions. Matrices are row-major,
 * applied with kabsch.ts `rotate`.
 */
import type { Vec3 } from '../grid/volume.js';
import { rotate } from './kabsch.js';

export type Mat3 = [number, number, number, number, number, number, number, number, number];

export const sub = (a: ArrayLike<number>, b: ArrayLike<number>): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
export const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
export const cross = (a: ArrayLike<number>, b: ArrayLike<number>): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
/** a / |a| (a itself when |a| = 0). */
export const unit = (a: ArrayLike<number>): Vec3 => { const n = Math.hypot(a[0], a[1], a[2]) || 1; return [a[0] / n, a[1] / n, a[2] / n]; };

/** Rotation matrix about the unit axis `k` by `theta` radians (right-handed). */
export function axisRotation(k: ArrayLike<number>, theta: number): Mat3 {
  const c = Math.cos(theta), s = Math.sin(theta), t = 1 - c;
  const x = k[0], y = k[1], z = k[2];
  return [
    t * x * x + c, t * x * y - s * z, t * x * z + s * y,
    t * x * y + s * z, t * y * y + c, t * y * z - s * x,
    t * x * z - s * y, t * y * z + s * x, t * z * z + c,
  ];
}

/** a b (row-major 3 x 3). */
export function mat3Mul(a: ArrayLike<number>, b: ArrayLike<number>): Mat3 {
  const r = new Array<number>(9) as Mat3;
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) r[3 * i + j] = a[3 * i] * b[j] + a[3 * i + 1] * b[3 + j] + a[3 * i + 2] * b[6 + j];
  return r;
}

/** Sets each point to R (from[i] - origin) + origin; `from` defaults to the points' current positions. */
export function rotatePointsAbout(points: readonly { x: number; y: number; z: number }[], R: ArrayLike<number>, origin: ArrayLike<number>, from?: readonly ArrayLike<number>[]): void {
  points.forEach((a, i) => {
    const p = from ? from[i] : [a.x, a.y, a.z];
    const [x, y, z] = rotate(R, [p[0] - origin[0], p[1] - origin[1], p[2] - origin[2]]);
    a.x = origin[0] + x; a.y = origin[1] + y; a.z = origin[2] + z;
  });
}
