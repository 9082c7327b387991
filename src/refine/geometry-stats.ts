/**
 * Geometry statistics of a model against the refinement restraints (topology.ts): bond and angle
 * RMSD and outliers (covalent bonds and O3'-P links; H-bond restraints are not geometry), chirality
 * errors (signed volume of the opposite sign to the ideal), and sugar puckers from the ring torsions
 * (pseudorotation phase, Altona & Sundaralingam 1972). What `cryoread validate` and refine report.
 */
import { signedVolume, type RefineTopology } from './topology.js';
import { torsionWithGradient } from './energy.js';

export interface GeometryStats {
  bonds: number;
  bondRmsdA: number;
  /** Bonds off their ideal by more than bondOutlierA. */
  bondOutliers: number;
  angles: number;
  angleRmsdDeg: number;
  /** Angles off by more than angleOutlierDeg. */
  angleOutliers: number;
  chiralCentres: number;
  chiralityErrors: number;
}

export const BOND_OUTLIER_A = 0.08;
export const ANGLE_OUTLIER_DEG = 10;

const RAD = 180 / Math.PI;

export function geometryStats(topo: RefineTopology, xyz: Float64Array = topo.xyz): GeometryStats {
  let nb = 0, sb = 0, ob = 0;
  for (const b of topo.bonds) {
    if (b.kind === 'hbond') continue;
    const d = Math.hypot(xyz[3 * b.i] - xyz[3 * b.j], xyz[3 * b.i + 1] - xyz[3 * b.j + 1], xyz[3 * b.i + 2] - xyz[3 * b.j + 2]) - b.ideal;
    nb++; sb += d * d; if (Math.abs(d) > BOND_OUTLIER_A) ob++;
  }
  let na = 0, sa = 0, oa = 0;
  for (const a of topo.angles) {
    const dev = (angleAt(xyz, a.i, a.j, a.k) - a.ideal) * RAD;
    na++; sa += dev * dev; if (Math.abs(dev) > ANGLE_OUTLIER_DEG) oa++;
  }
  let ce = 0;
  for (const c of topo.chirals) if (Math.sign(chiralVolume(xyz, c.centre, c.a, c.b, c.c)) !== Math.sign(c.ideal)) ce++;
  return {
    bonds: nb, bondRmsdA: nb ? Math.sqrt(sb / nb) : 0, bondOutliers: ob,
    angles: na, angleRmsdDeg: na ? Math.sqrt(sa / na) : 0, angleOutliers: oa,
    chiralCentres: topo.chirals.length, chiralityErrors: ce,
  };
}

export function angleAt(xyz: Float64Array, i: number, j: number, k: number): number {
  const ux = xyz[3 * i] - xyz[3 * j], uy = xyz[3 * i + 1] - xyz[3 * j + 1], uz = xyz[3 * i + 2] - xyz[3 * j + 2];
  const vx = xyz[3 * k] - xyz[3 * j], vy = xyz[3 * k + 1] - xyz[3 * j + 1], vz = xyz[3 * k + 2] - xyz[3 * j + 2];
  const c = (ux * vx + uy * vy + uz * vz) / (Math.hypot(ux, uy, uz) * Math.hypot(vx, vy, vz) || 1);
  return Math.acos(Math.max(-1, Math.min(1, c)));
}

export function chiralVolume(xyz: Float64Array, c: number, a: number, b: number, d: number): number {
  const p = (i: number) => [xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2]];
  return signedVolume(p(c), p(a), p(b), p(d));
}

export type PuckerClass = "C3'-endo" | "C2'-endo" | 'other';

/**
 * Pseudorotation phase P (degrees, 0..360) of a furanose from the ring atom indices
 * [C1', C2', C3', C4', O4'], with its class: C3'-endo for P in [0, 36) or >= 342 (north),
 * C2'-endo for P in [144, 198) (south), else other.
 */
export function sugarPucker(xyz: Float64Array, ring: [number, number, number, number, number]): { phaseDeg: number; amplitudeDeg: number; pucker: PuckerClass } | null {
  const [c1, c2, c3, c4, o4] = ring;
  const tor = (a: number, b: number, c: number, d: number) => torsionWithGradient(xyz, a, b, c, d)?.phi;
  // nu0 = C4'-O4'-C1'-C2', nu1 = O4'-C1'-C2'-C3', nu2 = C1'-C2'-C3'-C4', nu3 = C2'-C3'-C4'-O4', nu4 = C3'-C4'-O4'-C1'
  const nu = [tor(c4, o4, c1, c2), tor(o4, c1, c2, c3), tor(c1, c2, c3, c4), tor(c2, c3, c4, o4), tor(c3, c4, o4, c1)];
  if (nu.some((v) => v === undefined)) return null;
  const [n0, n1, n2, n3, n4] = nu.map((v) => v! * RAD);
  const s = 2 * (Math.sin(36 / RAD) + Math.sin(72 / RAD));
  let P = Math.atan2(n4 + n1 - n3 - n0, n2 * s) * RAD;
  if (P < 0) P += 360;
  const amplitude = Math.abs(n2 / Math.cos(P / RAD));
  const pucker: PuckerClass = P < 36 || P >= 342 ? "C3'-endo" : P >= 144 && P < 198 ? "C2'-endo" : 'other';
  return { phaseDeg: P, amplitudeDeg: amplitude, pucker };
}
