/**
 * Per-residue rigid-body parametrisation: each moving nucleotide gets a rotation vector w (about its
 * centroid) and a translation t; x_a = R(w) (x0_a - c) + c + t. The gradient with respect to w is
 * exact: d(R v)/dw = -R [v]x J_r(w) (right Jacobian of SO(3)), so dE/dw = J_r(w)^T sum_a v_a x (R^T g_a).
 * What CryoREAD's Coot step does residue by residue (reference section 21), here for all residues at
 * once under the same target (so links and clashes between neighbours count).
 */
import type { RefineTopology } from './topology.js';

export interface RigidBodies {
  /** Residue indices (into topo.residues) that move. */
  residues: number[];
  /** Centroid of each body at the reference coordinates. */
  centres: Float64Array; // residue centres, 3 per residue (not voxels)
  /** Reference coordinates (full xyz). */
  ref: Float64Array; // reference coordinates, 3 per atom (not voxels)
}

export function rigidBodies(topo: RefineTopology, xyz: Float64Array): RigidBodies {
  const residues: number[] = [];
  topo.residues.forEach((r, i) => { if (r.movable) residues.push(i); });
  const centres = new Float64Array(3 * residues.length); // 3 per residue
  residues.forEach((ri, b) => {
    const r = topo.residues[ri];
    for (let a = r.start; a < r.end; a++) for (let u = 0; u < 3; u++) centres[3 * b + u] += xyz[3 * a + u] / (r.end - r.start);
  });
  return { residues, centres, ref: Float64Array.from(xyz) }; // reference coordinates, 3 per atom
}

export function rotationMatrix(wx: number, wy: number, wz: number, R: Float64Array): void {
  const th = Math.hypot(wx, wy, wz);
  if (th < 1e-12) { R.set([1, 0, 0, 0, 1, 0, 0, 0, 1]); return; }
  const kx = wx / th, ky = wy / th, kz = wz / th, c = Math.cos(th), s = Math.sin(th), t = 1 - c;
  R.set([t * kx * kx + c, t * kx * ky - s * kz, t * kx * kz + s * ky, t * kx * ky + s * kz, t * ky * ky + c, t * ky * kz - s * kx, t * kx * kz - s * ky, t * ky * kz + s * kx, t * kz * kz + c]);
}

/** Right Jacobian J_r(w) = I - (1 - cos th)/th^2 [w]x + (th - sin th)/th^3 [w]x^2. */
function rightJacobian(wx: number, wy: number, wz: number, J: Float64Array): void {
  const th2 = wx * wx + wy * wy + wz * wz, th = Math.sqrt(th2);
  let a: number, b: number;
  if (th < 1e-6) { a = 0.5; b = 1 / 6; } else { a = (1 - Math.cos(th)) / th2; b = (th - Math.sin(th)) / (th2 * th); }
  const W = [0, -wz, wy, wz, 0, -wx, -wy, wx, 0];
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
    let w2 = 0;
    for (let k = 0; k < 3; k++) w2 += W[3 * i + k] * W[3 * k + j];
    J[3 * i + j] = (i === j ? 1 : 0) - a * W[3 * i + j] + b * w2;
  }
}

/** Coordinates for body parameters q = [w0, t0, w1, t1, ...] (6 per body), into `xyz` (a full copy of ref for fixed atoms). */
export function rigidCoordinates(topo: RefineTopology, bodies: RigidBodies, q: Float64Array, xyz: Float64Array): void {
  xyz.set(bodies.ref);
  const R = new Float64Array(9); // 3x3 rotation scratch
  bodies.residues.forEach((ri, b) => {
    const r = topo.residues[ri];
    rotationMatrix(q[6 * b], q[6 * b + 1], q[6 * b + 2], R);
    const cx = bodies.centres[3 * b], cy = bodies.centres[3 * b + 1], cz = bodies.centres[3 * b + 2];
    for (let a = r.start; a < r.end; a++) {
      const vx = bodies.ref[3 * a] - cx, vy = bodies.ref[3 * a + 1] - cy, vz = bodies.ref[3 * a + 2] - cz;
      xyz[3 * a] = R[0] * vx + R[1] * vy + R[2] * vz + cx + q[6 * b + 3];
      xyz[3 * a + 1] = R[3] * vx + R[4] * vy + R[5] * vz + cy + q[6 * b + 4];
      xyz[3 * a + 2] = R[6] * vx + R[7] * vy + R[8] * vz + cz + q[6 * b + 5];
    }
  });
}

/** Chain rule: the atom gradient `g` (full xyz) into the body-parameter gradient `gq`. */
export function rigidGradient(topo: RefineTopology, bodies: RigidBodies, q: Float64Array, g: Float64Array, gq: Float64Array): void {
  const R = new Float64Array(9), J = new Float64Array(9); // 3x3 rotation and Jacobian scratch
  bodies.residues.forEach((ri, b) => {
    const r = topo.residues[ri];
    rotationMatrix(q[6 * b], q[6 * b + 1], q[6 * b + 2], R);
    rightJacobian(q[6 * b], q[6 * b + 1], q[6 * b + 2], J);
    const cx = bodies.centres[3 * b], cy = bodies.centres[3 * b + 1], cz = bodies.centres[3 * b + 2];
    let tx = 0, ty = 0, tz = 0, mx = 0, my = 0, mz = 0;
    for (let a = r.start; a < r.end; a++) {
      const gx = g[3 * a], gy = g[3 * a + 1], gz = g[3 * a + 2];
      tx += gx; ty += gy; tz += gz;
      // h = R^T g
      const hx = R[0] * gx + R[3] * gy + R[6] * gz, hy = R[1] * gx + R[4] * gy + R[7] * gz, hz = R[2] * gx + R[5] * gy + R[8] * gz;
      const vx = bodies.ref[3 * a] - cx, vy = bodies.ref[3 * a + 1] - cy, vz = bodies.ref[3 * a + 2] - cz;
      mx += vy * hz - vz * hy; my += vz * hx - vx * hz; mz += vx * hy - vy * hx;
    }
    gq[6 * b] = J[0] * mx + J[3] * my + J[6] * mz;
    gq[6 * b + 1] = J[1] * mx + J[4] * my + J[7] * mz;
    gq[6 * b + 2] = J[2] * mx + J[5] * my + J[8] * mz;
    gq[6 * b + 3] = tx; gq[6 * b + 4] = ty; gq[6 * b + 5] = tz;
  });
}
