/**
 * Steric clashes: pairs of heavy atoms (not H/D) of different residues closer than a cutoff
 * (default 2.2 A), reported per 1000 heavy atoms. Covalent links between residues are not clashes:
 * O3'-P between neighbouring residues of a chain (the phosphodiester bond), C-N between neighbouring
 * residues (peptide bond) and SG-SG (disulfide) are excluded. Uses a NeighbourGrid: O(N).
 */
import { NeighbourGrid } from '../grid/neighbour-grid.js';
import type { Structure } from '../structure/model.js';

export interface ClashParams {
  /** Heavy atoms of different residues closer than this clash, Angstroms. @default 2.2 */
  cutoffA: number;
}
export const defaultClashParams: ClashParams = { cutoffA: 2.2 };

export interface ClashReport {
  clashes: number;
  heavyAtoms: number;
  clashesPer1000: number;
  /** Up to 20 worst pairs, for reports: "A12 O3' - A40 N7 1.83 A". */
  worst: string[];
}

function isBondPair(a: string, b: string): boolean {
  return (a === "O3'" && b === 'P') || (a === 'P' && b === "O3'") || (a === 'C' && b === 'N') || (a === 'N' && b === 'C');
}

export function clashScore(s: Structure, params: Partial<ClashParams> = {}): ClashReport {
  const p = { ...defaultClashParams, ...params };
  const xs: number[] = [], ys: number[] = [], zs: number[] = [];
  const resIdx: number[] = [], chainIdx: number[] = [], posInChain: number[] = [], names: string[] = [], labels: string[] = [];
  let res = 0;
  s.chains.forEach((chain, ci) => {
    chain.residues.forEach((r, ri) => {
      for (const a of r.atoms) {
        const el = a.element.toUpperCase();
        if (el === 'H' || el === 'D' || (el === '' && /^[0-9]*H/.test(a.name))) continue;
        xs.push(a.x); ys.push(a.y); zs.push(a.z);
        resIdx.push(res); chainIdx.push(ci); posInChain.push(ri); names.push(a.name);
        labels.push(`${chain.id}${r.seqNum}${r.insCode} ${a.name}`);
      }
      res++;
    });
  });
  const n = xs.length;
  const grid = new NeighbourGrid({ count: n, x: xs, y: ys, z: zs }, p.cutoffA);
  let clashes = 0;
  const pairs: [number, string][] = [];
  for (let i = 0; i < n; i++) {
    grid.forEachWithin(xs[i], ys[i], zs[i], p.cutoffA, (j, d2) => {
      if (j <= i || resIdx[j] === resIdx[i] || d2 >= p.cutoffA * p.cutoffA) return;
      const sameChainNeighbours = chainIdx[i] === chainIdx[j] && Math.abs(posInChain[i] - posInChain[j]) === 1;
      if (sameChainNeighbours && isBondPair(names[i], names[j])) return;
      if (names[i] === 'SG' && names[j] === 'SG') return;
      clashes++;
      pairs.push([Math.sqrt(d2), `${labels[i]} - ${labels[j]} ${Math.sqrt(d2).toFixed(2)} A`]);
    });
  }
  pairs.sort((a, b) => a[0] - b[0]);
  return { clashes, heavyAtoms: n, clashesPer1000: n > 0 ? (1000 * clashes) / n : 0, worst: pairs.slice(0, 20).map((q) => q[1]) };
}
