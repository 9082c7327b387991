/**
 * Repairs the O3'(i)-P(i+1) linkage after rigid placement. Each nucleotide is placed rigidly on its
 * own, so at a link the O3' of one residue and the phosphate of the next rarely meet at bond
 * length: O3'-OP1/OP2 or C3'-P come closer than 2.2 A (counted as clashes) or the bond stretches.
 * Fix: bring O3'(i)...O5'(i+1) to 2.45-3.0 A apart (moving each by at most 0.75 A), put P(i+1) on the circle of points 1.60 A from both O3'(i) and O5'(i+1), at the spot that
 * keeps C3'(i) and C5'(i+1) at least ~2.5 A away (closest to the placed P otherwise), then rebuild
 * OP1/OP2 tetrahedrally around P (1.48 A, 120 deg apart), keeping their pro-R/pro-S assignment.
 */
import type { Atom, Residue } from '../structure/model.js';
import { cross, dot, sub, unit } from '../math/rotation.js';

type V = [number, number, number];
const addS = (a: V, b: V, s: number): V => [a[0] + s * b[0], a[1] + s * b[1], a[2] + s * b[2]];
const norm = (a: V) => Math.sqrt(dot(a, a));
const pos = (a: Atom): V => [a.x, a.y, a.z];
const set = (a: Atom, p: V) => { a.x = p[0]; a.y = p[1]; a.z = p[2]; };

/** P-O ester bond length, A. */
const PO_BOND_A = 1.6;
/** P-OP1/OP2 bond length, A. */
const PO_NONBRIDGING_A = 1.48;

/**
 * Adjusts P, OP1, OP2 of `next` so it links to `prev` with ideal bond lengths. Returns false (and
 * changes nothing) when the two residues are too far apart to be linked (O3'-O5' > `maxGapA`).
 */
export function repairLink(prev: Residue, next: Residue, maxGapA = 4.5): boolean {
  const find = (r: Residue, n: string) => r.atoms.find((a) => a.name === n);
  const o3 = find(prev, "O3'"), c3 = find(prev, "C3'");
  const p = find(next, 'P'), o5 = find(next, "O5'"), c5 = find(next, "C5'"), op1 = find(next, 'OP1'), op2 = find(next, 'OP2');
  if (!o3 || !c3 || !p || !o5 || !c5 || !op1 || !op2) return false;
  let a = pos(o3), b = pos(o5);
  const d0 = norm(sub(b, a));
  if (d0 > maxGapA || d0 < 1e-3) return false;
  // O3'...O5' across an ideal phosphate is ~2.5 A (O-P-O ~104 deg). Outside [2.45, 3.0] no P can
  // bond both, or the ester oxygens clash: move both oxygens along their line (<= 0.75 A each).
  const wanted = Math.min(3.0, Math.max(2.45, d0));
  if (wanted !== d0) {
    const shift = Math.max(-0.75, Math.min(0.75, (wanted - d0) / 2));
    const u = unit(sub(b, a));
    a = addS(a, u, -shift);
    b = addS(b, u, shift);
    set(o3, a);
    set(o5, b);
  }
  const ab = sub(b, a);
  const d = norm(ab);
  const axis = unit(ab);
  const mid = addS(a, ab, 0.5);
  const radius = Math.sqrt(Math.max(0, PO_BOND_A * PO_BOND_A - (d / 2) * (d / 2)));
  // Orthonormal basis of the circle plane, starting from the current P direction.
  const cur = pos(p);
  let e1 = sub(cur, mid);
  e1 = addS(e1, axis, -dot(e1, axis));
  if (norm(e1) < 1e-6) e1 = cross(axis, Math.abs(axis[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0]);
  e1 = unit(e1);
  const e2 = cross(axis, e1);
  // Atoms the new P, OP1, OP2 must not crowd: the previous residue's C3', C2', O2' and the next's C5'.
  const avoid = [pos(c3), pos(c5)];
  for (const n of ["C2'", "O2'"]) { const x = find(prev, n); if (x) avoid.push(pos(x)); }
  const nonBridging = (q: V): [V, V] => {
    // Opposite the two ester oxygens, 120 deg apart, in the plane through the bisector
    // perpendicular to the O-P-O plane.
    const ua = unit(sub(a, q)), ub = unit(sub(b, q));
    const m = unit([-(ua[0] + ub[0]), -(ua[1] + ub[1]), -(ua[2] + ub[2])]);
    const n = unit(cross(ua, ub));
    const half = Math.PI / 3;
    return [
      addS(addS(q, m, PO_NONBRIDGING_A * Math.cos(half)), n, PO_NONBRIDGING_A * Math.sin(half)),
      addS(addS(q, m, PO_NONBRIDGING_A * Math.cos(half)), n, -PO_NONBRIDGING_A * Math.sin(half)),
    ];
  };
  const penalty = (q: V, minA: number) => {
    let e = 0;
    for (const c of avoid) { const dc = norm(sub(q, c)); if (dc < minA) e += (minA - dc) ** 2 * 10; }
    return e;
  };
  let best: V = addS(mid, e1, radius);
  let bestScore = Infinity;
  for (let k = 0; k < 72; k++) {
    const t = (k * Math.PI) / 36;
    const q = addS(addS(mid, e1, radius * Math.cos(t)), e2, radius * Math.sin(t));
    const [x1, x2] = nonBridging(q);
    const score = 0.01 * norm(sub(q, cur)) + penalty(q, 2.55) + penalty(x1, 2.6) + penalty(x2, 2.6);
    if (score < bestScore) { bestScore = score; best = q; }
  }
  const [x1, x2] = nonBridging(best);
  // Keep each name on the side it had (preserves the phosphate's pro-R/pro-S naming).
  const o1 = pos(op1);
  const keep = norm(sub(x1, o1)) + norm(sub(x2, pos(op2))) <= norm(sub(x2, o1)) + norm(sub(x1, pos(op2)));
  set(p, best);
  set(op1, keep ? x1 : x2);
  set(op2, keep ? x2 : x1);
  return true;
}
