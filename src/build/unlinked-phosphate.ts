/**
 * Phosphates of 5' ends. A residue that is not linked to a previous one (a chain start, or a break
 * inside a path) still carries the template's P/OP1/OP2 where the fit put them, and when the trace
 * broke a strand there, that spot is often the previous nucleotide's O3' or another residue's
 * phosphate (oracle 1EHZ: B1 OP2 1.1 A from A1 O3'). Such a group is free to turn about the
 * backbone torsions of its own residue, so it is searched over gamma (about C4'-C5', moving O5',
 * P, OP1, OP2) and beta (about C5'-O5', moving P, OP1, OP2) in 15 degree steps for the least overlap
 * with other residues. When every pose still clashes (< clashA) the phosphate group is removed: a
 * 5'-hydroxyl end, which is how many deposited models start a chain, rather than two atoms in one
 * place. Linked residues are left to link-geometry.ts.
 */
import { NeighbourGrid } from '../grid/neighbour-grid.js';
import type { Atom, Chain, Residue } from '../structure/model.js';
import { axisRotation, rotatePointsAbout, sub, unit } from '../math/rotation.js';

export interface UnlinkedPhosphateParams {
  /** Overlap is counted below this distance, A. @default 2.7 */
  marginA: number;
  /** A pose with any pair closer than this still clashes, A (the evaluation's clash cut-off). @default 2.2 */
  clashA: number;
  /** Torsion step of the search, degrees. @default 15 */
  stepDeg: number;
}

export const defaultUnlinkedPhosphateParams: Readonly<UnlinkedPhosphateParams> = Object.freeze({ marginA: 2.7, clashA: 2.2, stepDeg: 15 });

export interface UnlinkedPhosphateReport {
  /** Phosphate groups turned to a new pose. */
  turned: number;
  /** Phosphate groups removed (5'-OH ends), as "chain seqNum". */
  removed: string[];
}

type V = [number, number, number];

/** O3'-P closer than this is a phosphodiester link (as in src/evaluate/clashes.ts). */
const LINK_MAX_A = 2.0;

/** Turns `atoms` from positions `from` about the axis origin -> axisEnd by theta. */
function rotateAbout(atoms: readonly Atom[], from: readonly V[], origin: V, axisEnd: V, theta: number): void {
  rotatePointsAbout(atoms, axisRotation(unit(sub(axisEnd, origin)), theta), origin, from);
}

const xyz = (a: Atom): V => [a.x, a.y, a.z];

/**
 * Turns or removes the phosphate groups of the residues `unlinked(chainIndex, residueIndex)` names,
 * in place. Residues keep all other atoms.
 */
export function relieveUnlinkedPhosphates(chains: readonly Chain[], unlinked: (chain: number, residue: number) => boolean, params: Partial<UnlinkedPhosphateParams> = {}): UnlinkedPhosphateReport {
  const p = { ...defaultUnlinkedPhosphateParams, ...params };
  const report: UnlinkedPhosphateReport = { turned: 0, removed: [] };
  const all: { a: Atom; r: Residue }[] = chains.flatMap((c) => c.residues.flatMap((r) => r.atoms.map((a) => ({ a, r }))));
  const grid = new NeighbourGrid({ count: all.length, x: all.map((t) => t.a.x), y: all.map((t) => t.a.y), z: all.map((t) => t.a.z) }, 4);
  const m2 = p.marginA * p.marginA;
  chains.forEach((chain, ci) => chain.residues.forEach((r, ri) => {
    if (!unlinked(ci, ri)) return;
    const get = (n: string) => r.atoms.find((a) => a.name === n);
    const c4 = get("C4'"), c5 = get("C5'"), o5 = get("O5'"), P = get('P'), op1 = get('OP1'), op2 = get('OP2');
    if (!c4 || !c5 || !o5 || !P || !op1 || !op2) return;
    const moving = [o5, P, op1, op2];
    const start = moving.map(xyz);
    // Other residues' atoms within reach of any pose (O5'..OP are within ~4 A of C5').
    const near: Atom[] = [];
    grid.forEachWithin(c5.x, c5.y, c5.z, 4 + p.marginA, (j) => { if (all[j].r !== r) near.push(all[j].a); });
    // Another residue's O3' at bond length from this P: the strand goes on here although the
    // chains were cut (as the evaluation's clash count sees it); that link is kept as it is.
    if (near.some((a) => a.name === "O3'" && Math.hypot(a.x - P.x, a.y - P.y, a.z - P.z) <= LINK_MAX_A)) return;
    // packed neighbour coordinates (a few dozen atoms; float64 scratch, not a volume)
    const nx = Float64Array.from(near, (a) => a.x), ny = Float64Array.from(near, (a) => a.y), nz = Float64Array.from(near, (a) => a.z);
    const score = (): { e: number; minD: number } => {
      let e = 0, minD = Infinity;
      for (const a of moving) {
        for (let k = 0; k < nx.length; k++) {
          const dx = a.x - nx[k], dy = a.y - ny[k], dz = a.z - nz[k];
          const d2 = dx * dx + dy * dy + dz * dz;
          if (d2 < m2) { const d = Math.sqrt(d2); minD = Math.min(minD, d); e += (p.marginA - d) ** 2; if (d < p.clashA) e += 10 * (p.clashA - d) ** 2; }
        }
      }
      return { e, minD };
    };
    const s0 = score();
    if (s0.e === 0) return;
    const c4p = xyz(c4), c5p = xyz(c5);
    const step = (p.stepDeg * Math.PI) / 180;
    const n = Math.round((2 * Math.PI) / step);
    let best = { ...s0, g: 0, b: 0 };
    for (let gi = 0; gi < n; gi++) {
      for (let bi = 0; bi < n; bi++) {
        if (gi === 0 && bi === 0) continue;
        rotateAbout(moving, start, c4p, c5p, gi * step);
        const afterGamma = moving.map(xyz);
        rotateAbout(moving.slice(1), afterGamma.slice(1), c5p, afterGamma[0], bi * step);
        const s = score();
        if (s.e < best.e - 1e-9) best = { ...s, g: gi, b: bi };
      }
    }
    rotateAbout(moving, start, c4p, c5p, best.g * step);
    const afterGamma = moving.map(xyz);
    rotateAbout(moving.slice(1), afterGamma.slice(1), c5p, afterGamma[0], best.b * step);
    if (best.minD < p.clashA) {
      // Still two atoms in one place: a 5'-OH end instead (O5' back where the fit put it).
      moving.forEach((a, i) => { a.x = start[i][0]; a.y = start[i][1]; a.z = start[i][2]; });
      r.atoms = r.atoms.filter((a) => a !== P && a !== op1 && a !== op2);
      report.removed.push(`${chain.id} ${r.seqNum}`);
    } else if (best.g !== 0 || best.b !== 0) report.turned++;
  }));
  return report;
}
