/**
 * Refinement target E(x) = mapWeight x E_map + E_geometry and its analytic gradient (reference
 * section 21: the functional Phenix minimises, rebuilt from the textbook terms):
 *   E_map    = -sum over moving atoms of Z_a/6 x rho(x_a)   (rho: the normalised, smoothed map)
 *   bonds    = sum ((d - d0) / sigma)^2                      (also O3'-P links, base-pair H-bonds)
 *   angles   = sum ((theta - theta0) / sigma)^2
 *   planes   = sum over atoms (n . (x - centroid))^2 / sigma^2, n the least-squares plane normal
 *              (gradient by the Hellmann-Feynman argument: n is an eigenvector, d(lambda) = 2 (n.r) n)
 *   chirals  = ((V - V0) / sigma)^2, V the signed volume at the centre
 *   pucker   = flat-bottom torsion ((phi - [lo, hi]) / sigma)^2 (delta), plus per sugar ring the
 *              Altona-Sundaralingam pseudorotation phase P = atan2(Y, X) (X = nu2 s, Y = nu4 + nu1 - nu3 -
 *              nu0, s = 2 (sin 36 + sin 72)) held in the nearer of the C3'-endo window [-12, 30] deg and the
 *              C2'-endo window [148, 192] deg, and the amplitude sqrt(X^2 + Y^2) / s in [32, 48] deg; both
 *              flat-bottom ((dev / sigma)^2), gradients by the chain rule through the five ring torsions
 *   repulsion= nonbondedWeight x sum ((d0 - d) / 0.1)^2 for d < d0 between atoms of different
 *              residues that are not 1-2/1-3 (d0 3.0 A; 2.7 A for N/O pairs, which may hydrogen
 *              bond, and 1-4 pairs across a link).
 *   tether   = sum over tethered atoms ((|x - x0| - r0) / sigma)^2 for |x - x0| > r0: each nucleotide's
 *              C4' may move freely up to r0 from where it started, then is held (refine-model.ts sets
 *              it so refinement cannot pull a nucleotide out of its place or into a neighbour's density).
 * Fixed atoms (protein, ligands) take part in repulsion but get no gradient.
 */
import { NeighbourGrid } from '../grid/neighbour-grid.js';
import { eigenSymmetric } from '../math/eigen-symmetric.js';
import { sampleWithGradient, type MapTarget } from './map-target.js';
import { pairKey, type RefineTopology } from './topology.js';

export interface EnergyTerms {
  total: number;
  map: number;
  bonds: number;
  angles: number;
  planes: number;
  chirals: number;
  pucker: number;
  repulsion: number;
  tether: number;
}

export interface EnergyWeights {
  /** Multiplies E_map. */
  map: number;
  /** Multiplies the repulsion term. @default 1 */
  nonbonded: number;
  /**
   * Multiplies the sugar pseudorotation term (phase / amplitude windows). refine-model.ts keeps it 0 in
   * the first all-atom cycle, where the start-only ring torsions (topology.ts) hold the sugars. @default 1
   */
  pseudorotation?: number;
  /** Multiplies the start-only torsion restraints (the first cycle's ring torsions). @default 1 */
  startRestraints?: number;
}

const ATOMIC_Z: Record<string, number> = { C: 6, N: 7, O: 8, P: 15, S: 16 };
/** Phosphate and sugar atoms of a nucleotide (the rest is the base). */
export const BACKBONE_ATOMS = new Set(["P", "OP1", "OP2", "OP3", "O5'", "C5'", "C4'", "O4'", "C3'", "O3'", "C2'", "O2'", "C1'"]);
const DEG = Math.PI / 180;
const PSEUDO_S = 2 * (Math.sin(36 * DEG) + Math.sin(72 * DEG));
/** Pseudorotation phase windows (radians): C3'-endo and C2'-endo, inside the validation classes (geometry-stats.ts). */
const PUCKER_WINDOWS: [number, number][] = [[-12 * DEG, 30 * DEG], [148 * DEG, 192 * DEG]];
/** Pucker amplitude range (radians). */
const AMPLITUDE_RANGE: [number, number] = [32 * DEG, 48 * DEG];

/** Signed distance of angle `x` (radians) to the nearest of `windows` on the circle; 0 inside one. */
function circularDeviation(x: number, windows: [number, number][]): number {
  let best = Infinity;
  for (const [lo, hi] of windows) for (const k of [-1, 0, 1]) {
    const y = x + 2 * Math.PI * k;
    if (y >= lo && y <= hi) return 0;
    const d = y < lo ? y - lo : y - hi;
    if (Math.abs(d) < Math.abs(best)) best = d;
  }
  return best;
}
const REPULSION_SIGMA_A = 0.1;
const D0_DEFAULT_A = 3.0, D0_POLAR_A = 2.7, D0_ONE_FOUR_A = 2.7;

export class RefineEnergy {
  readonly topo: RefineTopology;
  readonly map: MapTarget | null;
  weights: EnergyWeights;
  /** Map weight per atom (Z / 6), zero for fixed atoms. */
  private readonly mapAtomWeight: Float64Array; // per-atom weights (atoms, not voxels): float64 like the coordinates the optimiser moves
  /** Non-bonded pair list: atom pairs and their d0. */
  private pairI = new Int32Array(0);
  private pairJ = new Int32Array(0);
  private pairD0 = new Float64Array(0); // per-pair reference distances (non-bonded pairs, not voxels): float64 to match the float64 coordinates
  private pairRef: Float64Array | null = null;
  readonly terms: EnergyTerms = { total: 0, map: 0, bonds: 0, angles: 0, planes: 0, chirals: 0, pucker: 0, repulsion: 0, tether: 0 };
  /** Tethered atoms, their start positions (3 per atom), free radii and sigma, Angstroms (setTether). */
  private tetherAtoms = new Int32Array(0);
  private tetherRef = new Float64Array(0); // start coordinates of the tethered atoms, 3 per atom (not voxels)
  private tetherFreeA = new Float64Array(0); // free radius per tethered atom (not voxels)
  private tetherSigmaA = 1;
  private readonly tmp = new Float64Array(3); // one 3-vector scratch
  /** Evaluate only the geometry (restraints + repulsion); used for the automatic weight. */
  geometryOnly = false;

  constructor(topo: RefineTopology, map: MapTarget | null, weights: EnergyWeights) {
    this.topo = topo;
    this.map = map;
    this.weights = weights;
    this.mapAtomWeight = new Float64Array(topo.count); // one weight per atom (not a volume): float64 like the coordinates
    for (let i = 0; i < topo.count; i++) this.mapAtomWeight[i] = topo.movable[i] ? (ATOMIC_Z[topo.element[i]] ?? 6) / 6 : 0;
  }

  /**
   * Scales the map weight of base atoms (every nucleotide atom but the phosphate and sugar ones) by
   * `factor` (1: Z/6 like the others).
   */
  setBaseMapWeight(factor: number): void {
    for (let i = 0; i < this.topo.count; i++) {
      if (!this.topo.movable[i]) continue;
      const z = (ATOMIC_Z[this.topo.element[i]] ?? 6) / 6;
      this.mapAtomWeight[i] = BACKBONE_ATOMS.has(this.topo.atoms[i].name) ? z : z * factor;
    }
  }

  /**
   * Holds `atoms` within freeA (one radius for all, or one per atom) of their positions in `xyz`
   * (flat-bottom harmonic, sigmaA beyond).
   */
  setTether(atoms: number[], xyz: Float64Array, freeA: number | number[], sigmaA: number): void {
    this.tetherAtoms = Int32Array.from(atoms);
    this.tetherRef = Float64Array.from(atoms.flatMap((a) => [xyz[3 * a], xyz[3 * a + 1], xyz[3 * a + 2]])); // 3 per tethered atom
    this.tetherFreeA = Float64Array.from(atoms, (_, k) => (typeof freeA === 'number' ? freeA : freeA[k])); // one radius per tethered atom
    this.tetherSigmaA = sigmaA;
  }

  /** Rebuilds the repulsion pair list around `xyz` (pairs within d0 + 1 A). */
  updatePairs(xyz: Float64Array): void {
    const t = this.topo, n = t.count;
    const x = new Float64Array(n), y = new Float64Array(n), z = new Float64Array(n); // per-atom coordinates for the neighbour grid (atoms, not voxels)
    for (let i = 0; i < n; i++) { x[i] = xyz[3 * i]; y[i] = xyz[3 * i + 1]; z[i] = xyz[3 * i + 2]; }
    const cutoff = D0_DEFAULT_A + 1;
    const grid = new NeighbourGrid({ count: n, x, y, z }, cutoff);
    const I: number[] = [], J: number[] = [], D: number[] = [];
    const polar = (e: string) => e === 'N' || e === 'O';
    for (let i = 0; i < n; i++) {
      grid.forEachWithin(x[i], y[i], z[i], cutoff, (j) => {
        if (j <= i || t.residueOf[i] === t.residueOf[j] || (!t.movable[i] && !t.movable[j])) return;
        const key = pairKey(i, j, n);
        if (t.excluded.has(key)) return;
        I.push(i); J.push(j);
        D.push(t.oneFour.has(key) ? D0_ONE_FOUR_A : polar(t.element[i]) && polar(t.element[j]) ? D0_POLAR_A : D0_DEFAULT_A);
      });
    }
    // Sort for a deterministic summation order independent of the grid's visiting order.
    const order = I.map((_, k) => k).sort((a, b) => I[a] - I[b] || J[a] - J[b]);
    this.pairI = Int32Array.from(order, (k) => I[k]);
    this.pairJ = Int32Array.from(order, (k) => J[k]);
    this.pairD0 = Float64Array.from(order, (k) => D[k]); // per-pair distances (not voxels)
    this.pairRef = Float64Array.from(xyz); // coordinate snapshot (3 per atom) the pair list was built at
  }

  /** Pairs of the current pair list (different residues, not 1-2/1-3) closer than cutoffA. */
  countCloserThan(xyz: Float64Array, cutoffA: number): number {
    let n = 0;
    for (let k = 0; k < this.pairI.length; k++) {
      const i = 3 * this.pairI[k], j = 3 * this.pairJ[k];
      if ((xyz[i] - xyz[j]) ** 2 + (xyz[i + 1] - xyz[j + 1]) ** 2 + (xyz[i + 2] - xyz[j + 2]) ** 2 < cutoffA * cutoffA) n++;
    }
    return n;
  }

  /** Largest move of any atom since the pair list was built, Angstroms. */
  maxMoveSincePairs(xyz: Float64Array): number {
    if (!this.pairRef) return Infinity;
    let m = 0;
    for (let i = 0; i < xyz.length; i += 3) {
      const d2 = (xyz[i] - this.pairRef[i]) ** 2 + (xyz[i + 1] - this.pairRef[i + 1]) ** 2 + (xyz[i + 2] - this.pairRef[i + 2]) ** 2;
      if (d2 > m) m = d2;
    }
    return Math.sqrt(m);
  }

  /** Energy at xyz; adds the gradient into `grad` (zeroed first). Fixed atoms get zero gradient. */
  evaluate(xyz: Float64Array, grad: Float64Array): number {
    grad.fill(0);
    const T = this.terms;
    T.map = this.geometryOnly || !this.map ? 0 : this.mapTerm(xyz, grad);
    T.bonds = this.bondTerm(xyz, grad);
    T.angles = this.angleTerm(xyz, grad);
    T.planes = this.planeTerm(xyz, grad);
    T.chirals = this.chiralTerm(xyz, grad);
    T.pucker = this.torsionTerm(xyz, grad) + this.puckerTerm(xyz, grad);
    T.repulsion = this.repulsionTerm(xyz, grad);
    T.tether = this.tetherTerm(xyz, grad);
    const mov = this.topo.movable;
    for (let i = 0; i < mov.length; i++) if (!mov[i]) { grad[3 * i] = 0; grad[3 * i + 1] = 0; grad[3 * i + 2] = 0; }
    T.total = T.map + T.bonds + T.angles + T.planes + T.chirals + T.pucker + T.repulsion + T.tether;
    return T.total;
  }

  private mapTerm(xyz: Float64Array, grad: Float64Array): number {
    const w = this.weights.map, g = this.tmp, m = this.map!;
    let e = 0;
    for (let i = 0; i < this.topo.count; i++) {
      const wa = this.mapAtomWeight[i];
      if (wa === 0) continue;
      const v = sampleWithGradient(m, xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2], g);
      e -= w * wa * v;
      grad[3 * i] -= w * wa * g[0]; grad[3 * i + 1] -= w * wa * g[1]; grad[3 * i + 2] -= w * wa * g[2];
    }
    return e;
  }

  private bondTerm(xyz: Float64Array, grad: Float64Array): number {
    let e = 0;
    for (const b of this.topo.bonds) {
      const i = 3 * b.i, j = 3 * b.j;
      const dx = xyz[i] - xyz[j], dy = xyz[i + 1] - xyz[j + 1], dz = xyz[i + 2] - xyz[j + 2];
      const d = Math.sqrt(dx * dx + dy * dy + dz * dz) || 1e-9;
      const dev = (d - b.ideal) / b.sigma;
      e += dev * dev;
      const f = (2 * dev) / (b.sigma * d);
      grad[i] += f * dx; grad[i + 1] += f * dy; grad[i + 2] += f * dz;
      grad[j] -= f * dx; grad[j + 1] -= f * dy; grad[j + 2] -= f * dz;
    }
    return e;
  }

  private angleTerm(xyz: Float64Array, grad: Float64Array): number {
    let e = 0;
    for (const a of this.topo.angles) {
      const i = 3 * a.i, j = 3 * a.j, k = 3 * a.k;
      const ux = xyz[i] - xyz[j], uy = xyz[i + 1] - xyz[j + 1], uz = xyz[i + 2] - xyz[j + 2];
      const vx = xyz[k] - xyz[j], vy = xyz[k + 1] - xyz[j + 1], vz = xyz[k + 2] - xyz[j + 2];
      const lu = Math.sqrt(ux * ux + uy * uy + uz * uz) || 1e-9, lv = Math.sqrt(vx * vx + vy * vy + vz * vz) || 1e-9;
      let c = (ux * vx + uy * vy + uz * vz) / (lu * lv);
      c = Math.max(-1, Math.min(1, c));
      const th = Math.acos(c);
      const dev = (th - a.ideal) / a.sigma;
      e += dev * dev;
      const s = Math.max(1e-6, Math.sqrt(1 - c * c));
      // dE/dtheta * dtheta/dcos = (2 dev / sigma) * (-1 / sin)
      const f = (-2 * dev) / (a.sigma * s);
      const gix = f * (vx / (lu * lv) - (c * ux) / (lu * lu)), giy = f * (vy / (lu * lv) - (c * uy) / (lu * lu)), giz = f * (vz / (lu * lv) - (c * uz) / (lu * lu));
      const gkx = f * (ux / (lu * lv) - (c * vx) / (lv * lv)), gky = f * (uy / (lu * lv) - (c * vy) / (lv * lv)), gkz = f * (uz / (lu * lv) - (c * vz) / (lv * lv));
      grad[i] += gix; grad[i + 1] += giy; grad[i + 2] += giz;
      grad[k] += gkx; grad[k + 1] += gky; grad[k + 2] += gkz;
      grad[j] -= gix + gkx; grad[j + 1] -= giy + gky; grad[j + 2] -= giz + gkz;
    }
    return e;
  }

  private planeTerm(xyz: Float64Array, grad: Float64Array): number {
    let e = 0;
    const M = new Float64Array(9); // 3x3 covariance scratch
    for (const p of this.topo.planes) {
      let cx = 0, cy = 0, cz = 0;
      for (const a of p.atoms) { cx += xyz[3 * a]; cy += xyz[3 * a + 1]; cz += xyz[3 * a + 2]; }
      const n = p.atoms.length;
      cx /= n; cy /= n; cz /= n;
      M.fill(0);
      for (const a of p.atoms) {
        const r = [xyz[3 * a] - cx, xyz[3 * a + 1] - cy, xyz[3 * a + 2] - cz];
        for (let u = 0; u < 3; u++) for (let v = 0; v < 3; v++) M[3 * u + v] += r[u] * r[v];
      }
      const eig = eigenSymmetric(M, 3);
      const nv = eig.vectors[2];
      const s2 = p.sigma * p.sigma;
      for (const a of p.atoms) {
        const d = nv[0] * (xyz[3 * a] - cx) + nv[1] * (xyz[3 * a + 1] - cy) + nv[2] * (xyz[3 * a + 2] - cz);
        e += (d * d) / s2;
        const f = (2 * d) / s2;
        grad[3 * a] += f * nv[0]; grad[3 * a + 1] += f * nv[1]; grad[3 * a + 2] += f * nv[2];
      }
    }
    return e;
  }

  private chiralTerm(xyz: Float64Array, grad: Float64Array): number {
    let e = 0;
    for (const ch of this.topo.chirals) {
      const c = 3 * ch.centre, a = 3 * ch.a, b = 3 * ch.b, d = 3 * ch.c;
      const ax = xyz[a] - xyz[c], ay = xyz[a + 1] - xyz[c + 1], az = xyz[a + 2] - xyz[c + 2];
      const bx = xyz[b] - xyz[c], by = xyz[b + 1] - xyz[c + 1], bz = xyz[b + 2] - xyz[c + 2];
      const dx = xyz[d] - xyz[c], dy = xyz[d + 1] - xyz[c + 1], dz = xyz[d + 2] - xyz[c + 2];
      // V = a . (b x d)
      const bxd = [by * dz - bz * dy, bz * dx - bx * dz, bx * dy - by * dx];
      const dxa = [dy * az - dz * ay, dz * ax - dx * az, dx * ay - dy * ax];
      const axb = [ay * bz - az * by, az * bx - ax * bz, ax * by - ay * bx];
      const V = ax * bxd[0] + ay * bxd[1] + az * bxd[2];
      const dev = (V - ch.ideal) / ch.sigma;
      e += dev * dev;
      const f = (2 * dev) / ch.sigma;
      for (let u = 0; u < 3; u++) {
        grad[a + u] += f * bxd[u];
        grad[b + u] += f * dxa[u];
        grad[d + u] += f * axb[u];
        grad[c + u] -= f * (bxd[u] + dxa[u] + axb[u]);
      }
    }
    return e;
  }

  private torsionTerm(xyz: Float64Array, grad: Float64Array): number {
    let e = 0;
    const startW = this.weights.startRestraints ?? 1;
    for (const t of this.topo.torsionRanges) {
      if (t.startOnly && startW === 0) continue;
      const r = torsionWithGradient(xyz, t.i, t.j, t.k, t.l);
      if (!r) continue;
      let dev = 0;
      // Distance of phi to [lo, hi] on the circle.
      const inRange = (phi: number) => phi >= t.lo && phi <= t.hi;
      const phi = r.phi;
      if (!inRange(phi) && !inRange(phi + 2 * Math.PI) && !inRange(phi - 2 * Math.PI)) {
        const cands = [phi - t.lo, phi - t.hi, phi + 2 * Math.PI - t.lo, phi + 2 * Math.PI - t.hi, phi - 2 * Math.PI - t.lo, phi - 2 * Math.PI - t.hi];
        dev = cands.reduce((best, c) => (Math.abs(c) < Math.abs(best) ? c : best), Infinity);
      }
      if (dev === 0) continue;
      const x = dev / t.sigma;
      e += x * x;
      const f = (2 * x) / t.sigma;
      const idx = [t.i, t.j, t.k, t.l];
      for (let q = 0; q < 4; q++) for (let u = 0; u < 3; u++) grad[3 * idx[q] + u] += f * r.g[3 * q + u];
    }
    return e;
  }

  private tetherTerm(xyz: Float64Array, grad: Float64Array): number {
    let e = 0;
    const s = this.tetherSigmaA;
    for (let k = 0; k < this.tetherAtoms.length; k++) {
      const r0 = this.tetherFreeA[k], i = 3 * this.tetherAtoms[k];
      const dx = xyz[i] - this.tetherRef[3 * k], dy = xyz[i + 1] - this.tetherRef[3 * k + 1], dz = xyz[i + 2] - this.tetherRef[3 * k + 2];
      const d = Math.sqrt(dx * dx + dy * dy + dz * dz);
      if (d <= r0) continue;
      const dev = (d - r0) / s;
      e += dev * dev;
      const f = (2 * dev) / (s * d);
      grad[i] += f * dx; grad[i + 1] += f * dy; grad[i + 2] += f * dz;
    }
    return e;
  }

  private puckerTerm(xyz: Float64Array, grad: Float64Array): number {
    const w = this.weights.pseudorotation ?? 1;
    if (w === 0) return 0;
    let e = 0;
    for (const pk of this.topo.puckers) {
      const [c1, c2, c3, c4, o4] = pk.ring;
      // nu0..nu4 (C4'-O4'-C1'-C2', O4'-C1'-C2'-C3', C1'-C2'-C3'-C4', C2'-C3'-C4'-O4', C3'-C4'-O4'-C1').
      const quads: [number, number, number, number][] = [[c4, o4, c1, c2], [o4, c1, c2, c3], [c1, c2, c3, c4], [c2, c3, c4, o4], [c3, c4, o4, c1]];
      const nu = quads.map((q) => torsionWithGradient(xyz, q[0], q[1], q[2], q[3]));
      if (nu.some((v) => v === null)) continue;
      const X = nu[2]!.phi * PSEUDO_S, Y = nu[4]!.phi + nu[1]!.phi - nu[3]!.phi - nu[0]!.phi;
      const r2 = X * X + Y * Y;
      if (r2 < 1e-12) continue;
      const P = Math.atan2(Y, X), amp = Math.sqrt(r2) / PSEUDO_S;
      const devP = circularDeviation(P, PUCKER_WINDOWS), devA = amp < AMPLITUDE_RANGE[0] ? amp - AMPLITUDE_RANGE[0] : amp > AMPLITUDE_RANGE[1] ? amp - AMPLITUDE_RANGE[1] : 0;
      if (devP === 0 && devA === 0) continue;
      const s2 = (pk.sigma * pk.sigma) / w;
      e += (devP * devP + devA * devA) / s2;
      // dE/dX, dE/dY from dP = (X dY - Y dX) / r2 and dA = (X dX + Y dY) / (s^2 A).
      const fP = (2 * devP) / s2, fA = (2 * devA) / s2;
      const dX = fP * (-Y / r2) + fA * (X / (PSEUDO_S * PSEUDO_S * amp));
      const dY = fP * (X / r2) + fA * (Y / (PSEUDO_S * PSEUDO_S * amp));
      const coef = [-dY, dY, dX * PSEUDO_S, -dY, dY]; // dE/dnu_k
      quads.forEach((q, k) => { const g = nu[k]!.g; for (let a = 0; a < 4; a++) for (let u = 0; u < 3; u++) grad[3 * q[a] + u] += coef[k] * g[3 * a + u]; });
    }
    return e;
  }

  private repulsionTerm(xyz: Float64Array, grad: Float64Array): number {
    const w = this.weights.nonbonded;
    if (w === 0) return 0;
    let e = 0;
    const s2 = REPULSION_SIGMA_A * REPULSION_SIGMA_A;
    for (let k = 0; k < this.pairI.length; k++) {
      const i = 3 * this.pairI[k], j = 3 * this.pairJ[k], d0 = this.pairD0[k];
      const dx = xyz[i] - xyz[j], dy = xyz[i + 1] - xyz[j + 1], dz = xyz[i + 2] - xyz[j + 2];
      const d2 = dx * dx + dy * dy + dz * dz;
      if (d2 >= d0 * d0) continue;
      const d = Math.sqrt(d2) || 1e-9;
      const dev = d0 - d;
      e += (w * dev * dev) / s2;
      const f = (-2 * w * dev) / (s2 * d);
      grad[i] += f * dx; grad[i + 1] += f * dy; grad[i + 2] += f * dz;
      grad[j] -= f * dx; grad[j + 1] -= f * dy; grad[j + 2] -= f * dz;
    }
    return e;
  }
}

/**
 * Dihedral i-j-k-l in radians (-pi, pi] (IUPAC sign) and d(phi)/d(x_i, x_j, x_k, x_l) (12 numbers),
 * or null when three atoms are collinear.
 */
export function torsionWithGradient(xyz: Float64Array, i: number, j: number, k: number, l: number): { phi: number; g: number[] } | null {
  const p = (a: number) => [xyz[3 * a], xyz[3 * a + 1], xyz[3 * a + 2]];
  const [xi, xj, xk, xl] = [p(i), p(j), p(k), p(l)];
  const F = [xi[0] - xj[0], xi[1] - xj[1], xi[2] - xj[2]];
  const G = [xj[0] - xk[0], xj[1] - xk[1], xj[2] - xk[2]];
  const H = [xl[0] - xk[0], xl[1] - xk[1], xl[2] - xk[2]];
  const cr = (a: number[], b: number[]) => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
  const dt = (a: number[], b: number[]) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  const A = cr(F, G), B = cr(H, G);
  const A2 = dt(A, A), B2 = dt(B, B), lG = Math.sqrt(dt(G, G));
  if (A2 < 1e-12 || B2 < 1e-12 || lG < 1e-9) return null;
  // Bekker / Blondel-Karplus: phi from atan2, gradient without singularities at 0 / pi.
  const phi = Math.atan2(dt(cr(B, A), G) / lG, dt(A, B));
  const gi = A.map((v) => (-lG / A2) * v);
  const gl = B.map((v) => (lG / B2) * v);
  const fg = dt(F, G) / (lG * lG), hg = dt(H, G) / (lG * lG);
  const gj = [0, 1, 2].map((u) => -gi[u] - fg * gi[u] - hg * gl[u]);
  const gk = [0, 1, 2].map((u) => -gl[u] + fg * gi[u] + hg * gl[u]);
  return { phi, g: [...gi, ...gj, ...gk, ...gl] };
}
