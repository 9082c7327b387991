/**
 * Steric clashes: pairs of heavy atoms (not H/D) of different residues closer than a cutoff
 * (default 2.2 A), reported per 1000 heavy atoms. Not clashes:
 * - covalent links between residues, found from the geometry (any chains, since chains of deposited
 *   models are sometimes split mid-strand): O3'-P (phosphodiester) and C-N (peptide) within 2.0 A,
 *   together with the 1-3 pairs across such a link (O3'/C3' with P/OP1/OP2/O5'; C/O/CA with N/CA,
 *   e.g. O(i)-N(i+1) sits at 2.25 A in every peptide); SG-SG (disulfide);
 * - water and metal ions (coordination distances are about 2.0-2.2 A).
 * Uses a NeighbourGrid: O(N).
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
  /** Heavy atoms considered (polymer and ligand atoms; not water or metal ions). */
  heavyAtoms: number;
  clashesPer1000: number;
  /** Up to 20 closest pairs, for reports: "A12 O3' - A40 N7 1.83 A". */
  worst: string[];
}

const WATER = new Set(['HOH', 'WAT', 'DOD', 'H2O', 'TIP', 'TIP3', 'SOL']);
const METALS = new Set(['LI', 'NA', 'K', 'RB', 'CS', 'MG', 'CA', 'SR', 'BA', 'MN', 'FE', 'CO', 'NI', 'CU', 'ZN', 'CD', 'HG', 'PB', 'TL', 'AG', 'AU', 'PT', 'IR', 'OS', 'RU', 'RH', 'PD', 'GD', 'YB', 'TB', 'EU', 'SM', 'LA', 'CE', 'AL']);
const LINK_MAX_A = 2.0;
/** Atoms on the donor / acceptor side of a link whose pairs across the link are bonded or 1-3. */
const NA_LEFT = new Set(["O3'", "C3'"]), NA_RIGHT = new Set(['P', 'OP1', 'OP2', "O5'"]);
const PEP_LEFT = new Set(['C', 'O', 'CA']), PEP_RIGHT = new Set(['N', 'CA']);

export function clashScore(s: Structure, params: Partial<ClashParams> = {}): ClashReport {
  const p = { ...defaultClashParams, ...params };
  const xs: number[] = [], ys: number[] = [], zs: number[] = [];
  const resIdx: number[] = [], names: string[] = [], labels: string[] = [];
  let res = 0;
  for (const chain of s.chains) {
    for (const r of chain.residues) {
      const isWater = WATER.has(r.originalName.toUpperCase()) || WATER.has(r.name.toUpperCase());
      for (const a of r.atoms) {
        const el = a.element.toUpperCase();
        if (isWater || el === 'H' || el === 'D' || METALS.has(el) || (el === '' && /^[0-9]*H/.test(a.name))) continue;
        xs.push(a.x); ys.push(a.y); zs.push(a.z);
        resIdx.push(res); names.push(a.name);
        labels.push(`${chain.id}${r.seqNum}${r.insCode} ${a.name}`);
      }
      res++;
    }
  }
  const n = xs.length;
  const grid = new NeighbourGrid({ count: n, x: xs, y: ys, z: zs }, p.cutoffA);
  // Covalent links between residues: "left:right" residue pairs with their link kind.
  const links = new Map<string, 'na' | 'pep'>();
  const close: [number, number, number][] = [];
  for (let i = 0; i < n; i++) {
    grid.forEachWithin(xs[i], ys[i], zs[i], p.cutoffA, (j, d2) => {
      if (j <= i || resIdx[j] === resIdx[i] || d2 >= p.cutoffA * p.cutoffA) return;
      close.push([i, j, d2]);
    });
  }
  for (const [i, j, d2] of close) {
    if (d2 > LINK_MAX_A * LINK_MAX_A) continue;
    const a = names[i], b = names[j];
    if (a === "O3'" && b === 'P') links.set(`${resIdx[i]}:${resIdx[j]}`, 'na');
    else if (a === 'P' && b === "O3'") links.set(`${resIdx[j]}:${resIdx[i]}`, 'na');
    else if (a === 'C' && b === 'N') links.set(`${resIdx[i]}:${resIdx[j]}`, 'pep');
    else if (a === 'N' && b === 'C') links.set(`${resIdx[j]}:${resIdx[i]}`, 'pep');
  }
  const acrossLink = (i: number, j: number): boolean => {
    for (const [l, r] of [[i, j], [j, i]]) {
      const kind = links.get(`${resIdx[l]}:${resIdx[r]}`);
      if (kind === 'na' && NA_LEFT.has(names[l]) && NA_RIGHT.has(names[r])) return true;
      if (kind === 'pep' && PEP_LEFT.has(names[l]) && PEP_RIGHT.has(names[r])) return true;
    }
    return false;
  };
  let clashes = 0;
  const pairs: [number, string][] = [];
  for (const [i, j, d2] of close) {
    if (acrossLink(i, j)) continue;
    if (names[i] === 'SG' && names[j] === 'SG') continue;
    clashes++;
    const d = Math.sqrt(d2);
    pairs.push([d, `${labels[i]} - ${labels[j]} ${d.toFixed(2)} A`]);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  return { clashes, heavyAtoms: n, clashesPer1000: n > 0 ? (1000 * clashes) / n : 0, worst: pairs.slice(0, 20).map((q) => q[1]) };
}
