/**
 * Does a model's residue numbering agree with its covalent structure? Refinement programs (Phenix,
 * Coot, Refmac) link nucleotides by chain and residue number: residue n and n + 1 of one chain get an
 * O3'-P bond restraint, other residues do not. So in a model fit for refinement
 *   - consecutive numbers of one chain are bonded (O3'(n)-P(n+1) <= linkMaxA), and
 *   - every O3'-P contact within linkMaxA joins residue n to residue n + 1 of the same chain.
 * This module lists every place where that fails (no reference structure needed). An O3'-P pair
 * closer than LINK_MIN_A is two atoms on top of each other (a clash, counted by clashes.ts), not a
 * bond geometry, and is not read as a link. Not in CryoREAD (its outputs number residues per
 * fragment without checking bonds).
 */
import { NeighbourGrid } from '../grid/neighbour-grid.js';
import type { Structure } from '../structure/model.js';

export interface NumberingIssue {
  kind: 'consecutive-not-bonded' | 'bonded-not-consecutive';
  /** "chain:seqNum" of the 5' residue (O3' side) and of the 3' residue (P side). */
  from: string;
  to: string;
  /** O3'-P distance, A. */
  distanceA: number;
}

export interface NumberingReport {
  /** Pairs of consecutive numbers checked. */
  consecutivePairs: number;
  /** O3'-P contacts within linkMaxA. */
  bondedPairs: number;
  issues: NumberingIssue[];
}

/** O3'-P of a phosphodiester is 1.6 A; 2.0 A is the link cut-off of src/evaluate/clashes.ts. */
export const LINK_MAX_A = 2.0;
/** The O3'-P bond is 1.61 A (sigma ~0.01-0.02 A in restraint libraries): below 1.4 A it is an overlap. */
export const LINK_MIN_A = 1.4;

export function numberingBondReport(s: Structure, linkMaxA = LINK_MAX_A): NumberingReport {
  const issues: NumberingIssue[] = [];
  const id = (c: string, n: number) => `${c}:${n}`;
  let consecutivePairs = 0;
  const d = (a: { x: number; y: number; z: number }, b: { x: number; y: number; z: number }) => Math.hypot(a.x - b.x, a.y - b.y, a.z - b.z);
  // 1. consecutive numbers of one chain must be bonded
  for (const c of s.chains) {
    const byNum = new Map(c.residues.map((r) => [r.seqNum, r]));
    for (const r of c.residues) {
      const next = byNum.get(r.seqNum + 1);
      if (!next || (r.kind !== 'rna' && r.kind !== 'dna')) continue;
      consecutivePairs++;
      const o3 = r.atoms.find((a) => a.name === "O3'"), p = next.atoms.find((a) => a.name === 'P');
      const dist = o3 && p ? d(o3, p) : Infinity;
      if (!(dist <= linkMaxA)) issues.push({ kind: 'consecutive-not-bonded', from: id(c.id, r.seqNum), to: id(c.id, next.seqNum), distanceA: dist });
    }
  }
  // 2. every O3'-P contact must join n to n + 1 of one chain
  const ps: { chain: string; seqNum: number; x: number; y: number; z: number }[] = [];
  for (const c of s.chains) for (const r of c.residues) for (const a of r.atoms) if (a.name === 'P') ps.push({ chain: c.id, seqNum: r.seqNum, x: a.x, y: a.y, z: a.z });
  const grid = new NeighbourGrid({ count: ps.length, x: ps.map((p) => p.x), y: ps.map((p) => p.y), z: ps.map((p) => p.z) }, Math.max(linkMaxA, 1));
  let bondedPairs = 0;
  for (const c of s.chains) for (const r of c.residues) {
    const o3 = r.atoms.find((a) => a.name === "O3'");
    if (!o3) continue;
    grid.forEachWithin(o3.x, o3.y, o3.z, linkMaxA, (j, d2) => {
      if (d2 > linkMaxA * linkMaxA || d2 < LINK_MIN_A * LINK_MIN_A) return;
      const p = ps[j];
      if (p.chain === c.id && p.seqNum === r.seqNum) return;
      bondedPairs++;
      if (p.chain !== c.id || p.seqNum !== r.seqNum + 1) issues.push({ kind: 'bonded-not-consecutive', from: id(c.id, r.seqNum), to: id(p.chain, p.seqNum), distanceA: Math.sqrt(d2) });
    });
  }
  return { consecutivePairs, bondedPairs, issues };
}
