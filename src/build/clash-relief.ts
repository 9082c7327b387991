/**
 * Clash relief by glycosidic torsion: each nucleotide is placed rigidly from a few noisy points, so
 * stacked or paired bases of neighbours can overlap by a few tenths of an Angstrom. For every base
 * that comes closer than `marginA` to atoms of other residues, try turning it about its C1'-N9/N1
 * bond by up to +-maxRotationDeg and keep the angle with the lowest overlap (ties: smallest turn).
 * Bond lengths and angles are unchanged; only chi moves. A NeighbourGrid over all atoms is rebuilt
 * once per pass, so a pass is O(atoms x trial angles).
 */
import { NeighbourGrid } from '../grid/neighbour-grid.js';
import type { Chain } from '../structure/model.js';
import { glycosidicAxis, rotateBase } from './chi-fit.js';

export interface ClashReliefParams {
  /** Overlap is counted below this distance, A (clashes are < 2.2 A). @default 2.7 */
  marginA: number;
  /** Largest chi change tried, degrees. @default 60 */
  maxRotationDeg: number;
  /** Trial step, degrees. @default 5 */
  stepDeg: number;
  /** Passes over all residues. @default 3 */
  passes: number;
}

/** Below this (the clash cut-off) overlap counts ten times more. */
const HARD_CLASH_A = 2.25;

export const defaultClashReliefParams: ClashReliefParams = { marginA: 2.7, maxRotationDeg: 60, stepDeg: 5, passes: 3 };

/** Turns bases in place to reduce overlaps; returns the number of bases turned. */
export function relieveBaseClashes(chains: readonly Chain[], params: Partial<ClashReliefParams> = {}): number {
  const p = { ...defaultClashReliefParams, ...params };
  const residues = chains.flatMap((c) => c.residues);
  let turned = 0;
  for (let pass = 0; pass < p.passes; pass++) {
    const atoms = residues.flatMap((r, ri) => r.atoms.map((a) => ({ a, ri })));
    const pts = { count: atoms.length, x: atoms.map((t) => t.a.x), y: atoms.map((t) => t.a.y), z: atoms.map((t) => t.a.z) };
    const grid = new NeighbourGrid(pts, 4);
    let changed = 0;
    residues.forEach((r, ri) => {
      const ax = glycosidicAxis(r);
      if (!ax) return;
      // Other residues' atoms near this base (positions frozen for this residue's trials), packed.
      const seen = new Set<number>();
      for (const b of ax.base) {
        grid.forEachWithin(b.x, b.y, b.z, p.marginA + 3.5, (i) => { if (atoms[i].ri !== ri) seen.add(i); });
      }
      if (seen.size === 0) return;
      const nx = new Float64Array(seen.size), ny = new Float64Array(seen.size), nz = new Float64Array(seen.size);
      let q = 0;
      for (const i of seen) { nx[q] = atoms[i].a.x; ny[q] = atoms[i].a.y; nz[q] = atoms[i].a.z; q++; }
      const m2 = p.marginA * p.marginA;
      const overlap = () => {
        let e = 0;
        for (const b of ax.base) {
          const bx = b.x, by = b.y, bz = b.z;
          for (let k = 0; k < nx.length; k++) {
            const dx = bx - nx[k], dy = by - ny[k], dz = bz - nz[k];
            const d2 = dx * dx + dy * dy + dz * dz;
            if (d2 < m2) { const d = Math.sqrt(d2); e += (p.marginA - d) ** 2; if (d < HARD_CLASH_A) e += 10 * (HARD_CLASH_A - d) ** 2; }
          }
        }
        return e;
      };
      const e0 = overlap();
      if (e0 === 0) return;
      let best = 0, bestE = e0;
      const step = (p.stepDeg * Math.PI) / 180;
      const steps = Math.floor(p.maxRotationDeg / p.stepDeg);
      let cur = 0;
      for (let s = 1; s <= steps; s++) {
        for (const sign of [1, -1]) {
          const target = sign * s * step;
          rotateBase(ax, target - cur);
          cur = target;
          const e = overlap();
          if (e < bestE - 1e-9) { bestE = e; best = target; }
        }
      }
      rotateBase(ax, best - cur);
      if (best !== 0) changed++;
    });
    turned += changed;
    if (changed === 0) break;
  }
  return turned;
}
