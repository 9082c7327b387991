/**
 * Base-pair consistency between placed fragments (not in the original). Two nodes that pair in
 * space (pairing.ts) must carry complementary residues of the sequence: when fragments F and G
 * place them at residues r and s, seq[r] : seq[s] is Watson-Crick (or G-U wobble) for a right
 * placement of both, and only by chance otherwise. Unlike the base calls this uses the known
 * sequence at both positions, so it is independent of base-typing noise.
 * Per fragment pair the bonus is `weight x (complementary pairs - chance x pairs)`, chance from
 * the records' base composition: positive for placements that make stems, negative for
 * placements that put non-complementary residues across a detected pair. Pairs inside one
 * fragment adjust that fragment's own score.
 */
import { UNKNOWN_BASE } from './records.js';
import type { NodePair } from './pairing.js';
import type { AssignedFragment, EncodedRecord } from './types.js';

/**
 * Complementarity of two base codes (A=0, U/T=1, C=2, G=3): 1 for Watson-Crick, `wobble` for
 * G-U / G-T, else 0.
 */
export function complementarity(a: number, b: number, wobble: number): number {
  if ((a === 0 && b === 1) || (a === 1 && b === 0) || (a === 2 && b === 3) || (a === 3 && b === 2)) return 1;
  if ((a === 1 && b === 3) || (a === 3 && b === 1)) return wobble;
  return 0;
}

/** Expected complementarity of two residues drawn from the records' base composition. */
export function chanceComplementarity(records: readonly EncodedRecord[], wobble: number): number {
  const f = [0, 0, 0, 0];
  let n = 0;
  for (const r of records) for (const c of r.codes) if (c < 4) { f[c]++; n++; }
  if (n === 0) return 0;
  let e = 0;
  for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) e += (f[a] / n) * (f[b] / n) * complementarity(a, b, wobble);
  return e;
}

export interface FragmentPairBonus {
  /** Fragment indices, i < j. */
  i: number;
  j: number;
  bonus: number;
}

export interface PairConsistency {
  /** Bonus per fragment from pairs inside it. */
  own: Float64Array;
  /** Bonus per pair of fragments (non-zero entries only). */
  between: FragmentPairBonus[];
}

/** Base code of the record residue a fragment puts on a node, or -1. */
function residueCode(f: AssignedFragment, node: number, rec: EncodedRecord): number {
  const k = node - f.nodeStart;
  if (k < 0 || k >= f.nodeCount) return -1;
  const m = f.mapping[k];
  if (m < 0) return -1;
  return rec.codes[f.orientation === 1 ? m : rec.codes.length - 1 - m];
}

/**
 * Bonuses for a pool of fragments given the detected node pairs; between-fragment terms whose
 * net pair count |sum of (complementarity - chance)| is below `minAbsPairs` are left out (they
 * carry little evidence and each costs the integer program a variable). O(pairs x fragments covering
 * each node^2); fragments are indexed per path so only covering fragments are visited.
 */
export function pairConsistency(
  fragments: readonly AssignedFragment[],
  pairs: readonly NodePair[],
  records: readonly EncodedRecord[],
  weight: number,
  wobble: number,
  minAbsPairs = 0,
): PairConsistency {
  // one accumulator per fragment (hundreds to a few thousand): float64 scratch, not a map
  const own = new Float64Array(fragments.length);
  const between: FragmentPairBonus[] = [];
  if (!(weight > 0) || pairs.length === 0 || fragments.length === 0) return { own, between };
  const chance = chanceComplementarity(records, wobble);
  const byIndex = new Map(records.map((r) => [r.recordIndex, r]));
  const byPath = new Map<number, number[]>();
  fragments.forEach((f, i) => {
    const list = byPath.get(f.pathIndex) ?? [];
    list.push(i);
    byPath.set(f.pathIndex, list);
  });
  const acc = new Map<number, number>(); // key i * n + j -> sum of (complementarity - chance)
  const n = fragments.length;
  for (const q of pairs) {
    const fa = byPath.get(q.a.pathIndex) ?? [];
    const fb = byPath.get(q.b.pathIndex) ?? [];
    for (const i of fa) {
      const ca = residueCode(fragments[i], q.a.node, byIndex.get(fragments[i].recordIndex)!);
      if (ca < 0 || ca === UNKNOWN_BASE) continue; // unknown base (FASTA N): no evidence either way
      for (const j of fb) {
        const cb = residueCode(fragments[j], q.b.node, byIndex.get(fragments[j].recordIndex)!);
        if (cb < 0 || cb === UNKNOWN_BASE) continue;
        const v = complementarity(ca, cb, wobble) - chance;
        if (i === j) { own[i] += weight * v; continue; }
        const key = i < j ? i * n + j : j * n + i;
        acc.set(key, (acc.get(key) ?? 0) + v);
      }
    }
  }
  for (const [key, v] of acc) {
    if (v !== 0 && Math.abs(v) >= minAbsPairs) between.push({ i: Math.floor(key / n), j: key % n, bonus: weight * v });
  }
  between.sort((a, b) => a.i - b.i || a.j - b.j);
  return { own, between };
}
