/**
 * Glycosidic torsion (chi) fit: rotates a placed nucleotide's base atoms about its C1'-N9/N1 bond
 * so the base centroid comes as close as possible to the detected base point. A rigid template has
 * one chi (anti, about -160 deg for RNA); real residues vary (-170 .. -60, sometimes syn), and a
 * compromise rigid fit then puts stacked bases into each other. Rotating about the bond keeps every
 * bond length and angle; only the torsion changes. Closed form: the centroid moves on a circle
 * around the axis, so the best angle is the angle between the centroid's and the target's
 * projections on the plane normal to the axis.
 */
import type { Atom, Residue } from '../structure/model.js';
import { BACKBONE_ATOM_NAMES } from './template.js';
import { axisRotation, rotatePointsAbout } from '../math/rotation.js';

type V = [number, number, number];

interface GlycosidicAxis { o: V; k: V; base: Atom[] }

/** C1' (origin), unit C1'->N9/N1 direction and the base atoms of a nucleotide, or null. */
export function glycosidicAxis(r: Residue): GlycosidicAxis | null {
  const c1 = r.atoms.find((a) => a.name === "C1'");
  const purine = r.atoms.some((a) => a.name === 'N9');
  const n = r.atoms.find((a) => a.name === (purine ? 'N9' : 'N1'));
  if (!c1 || !n) return null;
  const base: Atom[] = r.atoms.filter((a) => !BACKBONE_ATOM_NAMES.has(a.name));
  if (base.length < 3) return null;
  const o: V = [c1.x, c1.y, c1.z];
  const k: V = [n.x - o[0], n.y - o[1], n.z - o[2]];
  const kl = Math.hypot(...k);
  if (kl < 1e-6) return null;
  return { o, k: [k[0] / kl, k[1] / kl, k[2] / kl], base };
}

/** Rotates the base atoms by `thetaRad` about the glycosidic axis. */
export function rotateBase(ax: GlycosidicAxis, thetaRad: number): void {
  rotatePointsAbout(ax.base, axisRotation(ax.k, thetaRad), ax.o);
}

/** Rotates the base about the glycosidic bond towards `targetA`; returns the angle applied (deg), or null. */
export function fitChi(r: Residue, targetA: V, maxRotationDeg = 180): number | null {
  const ax = glycosidicAxis(r);
  if (!ax) return null;
  const { o, k, base } = ax;
  const c: V = [0, 0, 0];
  for (const a of base) { c[0] += a.x / base.length; c[1] += a.y / base.length; c[2] += a.z / base.length; }
  const perp = (p: V): V => {
    const d: V = [p[0] - o[0], p[1] - o[1], p[2] - o[2]];
    const t = d[0] * k[0] + d[1] * k[1] + d[2] * k[2];
    return [d[0] - t * k[0], d[1] - t * k[1], d[2] - t * k[2]];
  };
  const u = perp(c), w = perp(targetA);
  if (Math.hypot(...u) < 1e-6 || Math.hypot(...w) < 1e-6) return null;
  const cross: V = [u[1] * w[2] - u[2] * w[1], u[2] * w[0] - u[0] * w[2], u[0] * w[1] - u[1] * w[0]];
  let theta = Math.atan2(cross[0] * k[0] + cross[1] * k[1] + cross[2] * k[2], u[0] * w[0] + u[1] * w[1] + u[2] * w[2]);
  const lim = (maxRotationDeg * Math.PI) / 180;
  theta = Math.max(-lim, Math.min(lim, theta));
  rotateBase(ax, theta);
  return (theta * 180) / Math.PI;
}
