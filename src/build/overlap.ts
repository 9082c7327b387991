/**
 * Nucleotides built on top of each other. With a detection network the sugar class gives ~2-3
 * nodes per nucleotide, and a traced path can visit two of them for one nucleotide a few
 * Angstroms apart (beyond the pipeline's sugar-point duplicate cut-off), so two residues end up
 * sharing space: atoms 0.5-1 A apart, hundreds of clashes per 1000 atoms. Such a pair is one
 * nucleotide twice; the residue with the lower confidence (higher B-factor; later in the chain
 * on ties) is removed. Pairs of residues count as overlapping when at least `minAtomPairs` heavy
 * atom pairs are closer than `overlapA`. NeighbourGrid over all atoms: O(atoms). On the bundled
 * example with cryoread-ts-v1: clashes 154 -> 84 per 1000 atoms, 3 of 78 nucleotides removed,
 * coverage and sequence recall unchanged; real structures rebuilt from their own points (1EHZ, 1JJP,
 * 4W90, 23S segments) lose none (1.8 A / 3 pairs: 32 per 1000 on the example but 13 removed, coverage
 * -0.013, and real nucleotides removed).
 */
import { NeighbourGrid } from '../grid/neighbour-grid.js';
import type { Chain, Residue } from '../structure/model.js';

export interface OverlapParams {
  /** Atom pairs of two residues closer than this overlap, A (the closest real contact, the O3'-P bond, is 1.6 A). @default 1.5 */
  overlapA: number;
  /** Overlapping atom pairs from which two residues are one nucleotide twice (3 removed real nucleotides of 23S rebuilt from their own points: rigid-template misfits overlap by a few atoms, a copy by most). @default 6 */
  minAtomPairs: number;
}

export const defaultOverlapParams: Readonly<OverlapParams> = Object.freeze({ overlapA: 1.5, minAtomPairs: 6 });

/** Removes, in place, one residue of each overlapping pair; returns the removed residues as "chain seqNum". */
export function dropOverlappingResidues(chains: Chain[], params: Partial<OverlapParams> = {}): string[] {
  const p = { ...defaultOverlapParams, ...params };
  const res: { chain: Chain; r: Residue; order: number }[] = [];
  chains.forEach((chain) => chain.residues.forEach((r) => res.push({ chain, r, order: res.length })));
  const owner: number[] = [], xs: number[] = [], ys: number[] = [], zs: number[] = [];
  res.forEach((e, i) => { for (const a of e.r.atoms) { if (a.element === 'H') continue; owner.push(i); xs.push(a.x); ys.push(a.y); zs.push(a.z); } });
  const grid = new NeighbourGrid({ count: xs.length, x: xs, y: ys, z: zs }, p.overlapA);
  const pairCounts = new Map<number, number>();
  const n = res.length;
  for (let i = 0; i < xs.length; i++) {
    grid.forEachWithin(xs[i], ys[i], zs[i], p.overlapA, (j, d2) => {
      if (j <= i || owner[j] === owner[i] || d2 >= p.overlapA * p.overlapA) return;
      const a = Math.min(owner[i], owner[j]), b = Math.max(owner[i], owner[j]);
      pairCounts.set(a * n + b, (pairCounts.get(a * n + b) ?? 0) + 1);
    });
  }
  const bOf = (r: Residue) => r.atoms.reduce((s, a) => s + a.bFactor, 0) / Math.max(1, r.atoms.length);
  const removed = new Set<number>();
  // Most-overlapping pairs first; a residue already removed settles its pairs.
  const pairs = [...pairCounts].filter(([, c]) => c >= p.minAtomPairs).sort((x, y) => y[1] - x[1] || x[0] - y[0]);
  for (const [key] of pairs) {
    const a = Math.floor(key / n), b = key % n;
    if (removed.has(a) || removed.has(b)) continue;
    const ba = bOf(res[a].r), bb = bOf(res[b].r);
    removed.add(ba > bb ? a : ba < bb ? b : Math.max(a, b));
  }
  const out = [...removed].sort((x, y) => x - y).map((i) => `${res[i].chain.id} ${res[i].r.seqNum}`);
  const drop = new Set([...removed].map((i) => res[i].r));
  for (const c of chains) c.residues = c.residues.filter((r) => !drop.has(r));
  return out;
}
