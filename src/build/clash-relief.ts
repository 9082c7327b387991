/**
 * Clash relief by small base rotations about C1'. Each nucleotide is placed rigidly from a few
 * noisy points, so paired or stacked bases of other residues can overlap by a few tenths of an
 * Angstrom (a Watson-Crick pair compressed to N-O 2.1 A instead of 2.9 A), and a base can point
 * into a neighbour's phosphate. For every base that comes closer than `marginA` to atoms of other
 * residues, three rotations about its C1' atom are searched, from the placed position each time:
 * - chi: about the glycosidic bond C1'-N9/N1 (a torsion: bond lengths and angles unchanged), up to
 *   +-maxChiDeg;
 * - swing: in the base plane (about the plane normal through C1'), up to +-maxSwingDeg; it slides
 *   a pairing edge along its partner, which chi cannot do;
 * - tilt: out of the plane (about the in-plane axis normal to the glycosidic bond), up to
 *   +-maxTiltDeg.
 * Swing and tilt bend the C1'-N glycosidic angles by that many degrees (a 10 deg swing moves the
 * Watson-Crick edge ~0.8 A), so they pay a quadratic cost (`deviationCost` per deg^2, chi a tenth
 * of it) against the overlap energy: sum over atom pairs closer than marginA of (marginA - d)^2,
 * ten times more below the 2.25 A clash line. The search is coordinate descent over the three
 * angles (two cycles), each pass over all residues; partners of a pair move in turn, so each
 * takes part of the correction. The backbone is never moved (the density fit of P and the sugar
 * stays as built). A NeighbourGrid over all atoms is rebuilt once per pass: O(atoms x trials).
 */
import { NeighbourGrid } from '../grid/neighbour-grid.js';
import type { Atom, Chain } from '../structure/model.js';
import { glycosidicAxis } from './chi-fit.js';
import { axisRotation, cross, mat3Mul, rotatePointsAbout, unit } from '../math/rotation.js';

export interface ClashReliefParams {
  /** Overlap is counted below this distance, A (clashes are < 2.2 A; N-O hydrogen bonds 2.8-3.0 A). @default 2.7 */
  marginA: number;
  /** Largest chi change tried, degrees. @default 60 */
  maxChiDeg: number;
  /** Largest in-plane swing about C1', degrees. @default 15 */
  maxSwingDeg: number;
  /** Largest out-of-plane tilt about C1', degrees. @default 10 */
  maxTiltDeg: number;
  /** Trial step, degrees. @default 2.5 */
  stepDeg: number;
  /** Cost of swing and tilt, overlap units (A^2) per deg^2; chi pays a tenth of it. @default 0.0005 */
  deviationCost: number;
  /** Passes over all residues. @default 4 */
  passes: number;
}

/** Below this (the clash cut-off) overlap counts ten times more. */
const HARD_CLASH_A = 2.25;

export const defaultClashReliefParams: Readonly<ClashReliefParams> = Object.freeze({
  marginA: 2.7, maxChiDeg: 60, maxSwingDeg: 15, maxTiltDeg: 10, stepDeg: 2.5, deviationCost: 0.0005, passes: 4,
});

type V = [number, number, number];

/** One residue's base with its rotation frame at C1' and the placed coordinates. */
interface BaseFrame { atoms: Atom[]; o: V; axes: [V, V, V]; placed: V[] }

function baseFrame(r: Chain['residues'][number]): BaseFrame | null {
  const ax = glycosidicAxis(r);
  if (!ax) return null;
  const n = ax.base.length;
  const placed: V[] = ax.base.map((a) => [a.x, a.y, a.z]);
  const c: V = [0, 0, 0];
  for (const q of placed) { c[0] += q[0] / n; c[1] += q[1] / n; c[2] += q[2] / n; }
  // Plane normal: C1', the glycosidic direction and the base centroid are (nearly) coplanar.
  const normal = unit(cross(ax.k, [c[0] - ax.o[0], c[1] - ax.o[1], c[2] - ax.o[2]]));
  const tiltAxis = unit(cross(normal, ax.k));
  return { atoms: ax.base, o: ax.o, axes: [ax.k, normal, tiltAxis], placed };
}

/** Sets the base atoms to R (placed - o) + o for R = tilt * swing * chi (angles in radians). */
function pose(f: BaseFrame, angles: V): void {
  const [k, n, t] = f.axes;
  rotatePointsAbout(f.atoms, mat3Mul(axisRotation(t, angles[2]), mat3Mul(axisRotation(n, angles[1]), axisRotation(k, angles[0]))), f.o, f.placed);
}

/** Turns bases in place to reduce overlaps; returns the number of bases left away from their placed pose. */
export function relieveBaseClashes(chains: readonly Chain[], params: Partial<ClashReliefParams> = {}): number {
  const p = { ...defaultClashReliefParams, ...params };
  const residues = chains.flatMap((c) => c.residues);
  const frames = residues.map(baseFrame);
  const angles: V[] = residues.map(() => [0, 0, 0]);
  const deg = Math.PI / 180;
  const limits: V = [p.maxChiDeg * deg, p.maxSwingDeg * deg, p.maxTiltDeg * deg];
  const costs: V = [p.deviationCost / 10 / (deg * deg), p.deviationCost / (deg * deg), p.deviationCost / (deg * deg)];
  const step = p.stepDeg * deg;
  const m2 = p.marginA * p.marginA;
  for (let pass = 0; pass < p.passes; pass++) {
    const atoms = residues.flatMap((r, ri) => r.atoms.map((a) => ({ a, ri })));
    const grid = new NeighbourGrid({ count: atoms.length, x: atoms.map((t) => t.a.x), y: atoms.map((t) => t.a.y), z: atoms.map((t) => t.a.z) }, 4);
    let changed = 0;
    residues.forEach((_, ri) => {
      const f = frames[ri];
      if (!f) return;
      // Other residues' atoms within reach of any pose of this base (positions frozen), packed.
      // A base atom moves at most ~|r| * max angle; 3.5 A covers the limits at base radii <= 8 A.
      const seen = new Set<number>();
      for (const q of f.placed) grid.forEachWithin(q[0], q[1], q[2], p.marginA + 3.5, (j) => { if (atoms[j].ri !== ri) seen.add(j); });
      if (seen.size === 0) return;
      // Packed coordinates of the few dozen neighbour atoms (float64: a small scratch array, not a volume).
      const nx = new Float64Array(seen.size), ny = new Float64Array(seen.size), nz = new Float64Array(seen.size);
      let q = 0;
      for (const j of seen) { nx[q] = atoms[j].a.x; ny[q] = atoms[j].a.y; nz[q] = atoms[j].a.z; q++; }
      const energy = (ang: V) => {
        pose(f, ang);
        let e = costs[0] * ang[0] * ang[0] + costs[1] * ang[1] * ang[1] + costs[2] * ang[2] * ang[2];
        for (const b of f.atoms) {
          const bx = b.x, by = b.y, bz = b.z;
          for (let k = 0; k < nx.length; k++) {
            const dx = bx - nx[k], dy = by - ny[k], dz = bz - nz[k];
            const d2 = dx * dx + dy * dy + dz * dz;
            if (d2 < m2) { const d = Math.sqrt(d2); e += (p.marginA - d) ** 2; if (d < HARD_CLASH_A) e += 10 * (HARD_CLASH_A - d) ** 2; }
          }
        }
        return e;
      };
      const start: V = [...angles[ri]];
      const cur: V = [...start];
      let best = energy(cur);
      const overlapOnly = best - (costs[0] * cur[0] ** 2 + costs[1] * cur[1] ** 2 + costs[2] * cur[2] ** 2);
      if (overlapOnly <= 1e-9) { pose(f, cur); return; }
      for (let cycle = 0; cycle < 2; cycle++) {
        for (let axis = 0; axis < 3; axis++) {
          const steps = Math.round(limits[axis] / step);
          let bestAngle = cur[axis];
          for (let s = -steps; s <= steps; s++) {
            const trial: V = [...cur];
            trial[axis] = s * step;
            if (trial[axis] === cur[axis]) continue;
            const e = energy(trial);
            // Ties: the smaller rotation.
            if (e < best - 1e-9 || (Math.abs(e - best) <= 1e-9 && Math.abs(trial[axis]) < Math.abs(bestAngle))) { best = e; bestAngle = trial[axis]; }
          }
          cur[axis] = bestAngle;
        }
      }
      pose(f, cur);
      angles[ri] = cur;
      if (cur.some((a, i) => a !== start[i])) changed++;
    });
    if (changed === 0) break;
  }
  return angles.filter((a) => a.some((x) => x !== 0)).length;
}
