/**
 * Conflict cliques for the assembly's integer program: sets of fragments of which at most one may
 * be selected. One row per clique instead of a row per pair (k^2/2), and a much tighter linear
 * relaxation. Fragments are intervals (of path nodes; of record residues), so the maximal cliques
 * are the stabbing sets at interval starts.
 */
import { recordInterval } from './path-dp.js';
import type { AssignedFragment } from './types.js';

/** Maximal sets of fragments sharing a path node (the stabbing sets at fragment starts), deduplicated. */
export function nodeCliques(pool: readonly AssignedFragment[]): number[][] {
  const byPath = new Map<number, number[]>();
  pool.forEach((f, i) => {
    const l = byPath.get(f.pathIndex) ?? [];
    l.push(i);
    byPath.set(f.pathIndex, l);
  });
  const out: number[][] = [];
  const seen = new Set<string>();
  for (const list of byPath.values()) {
    for (const i of list) {
      const s = pool[i].nodeStart;
      const c = list.filter((j) => pool[j].nodeStart <= s && s < pool[j].nodeStart + pool[j].nodeCount);
      const key = c.join(',');
      if (c.length > 1 && !seen.has(key)) { seen.add(key); out.push(c); }
    }
  }
  return out;
}

/** Maximal sets of fragments sharing >= minShared residues of one record (all pairwise), deduplicated. */
export function residueCliques(pool: readonly AssignedFragment[], recordLengths: readonly number[], minShared: number): number[][] {
  const byRecord = new Map<number, { i: number; lo: number; hi: number }[]>();
  pool.forEach((f, i) => {
    const [lo, hi] = recordInterval(f, recordLengths[f.recordIndex]);
    if (hi - lo + 1 < minShared) return;
    const l = byRecord.get(f.recordIndex) ?? [];
    l.push({ i, lo, hi: hi - (minShared - 1) });
    byRecord.set(f.recordIndex, l);
  });
  const out: number[][] = [];
  const seen = new Set<string>();
  for (const list of byRecord.values()) {
    for (const a of list) {
      const c = list.filter((b) => b.lo <= a.lo && a.lo <= b.hi).map((b) => b.i);
      const key = c.join(',');
      if (c.length > 1 && !seen.has(key)) { seen.add(key); out.push(c); }
    }
  }
  return out;
}
