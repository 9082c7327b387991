/**
 * Nucleotides of a Structure as flat arrays for the evaluation: backbone atoms (the 14 names the
 * CryoREAD evaluation keeps), their centre, the base label (A=0, U/T=1, C=2, G=3), the C4' and P
 * positions. Residues of kind rna/dna with a base and at least one kept atom are included.
 */
import { Structure } from '../structure/model.js';
import { baseLabel } from '../structure/names.js';

/** Atoms the CryoREAD evaluation keeps per nucleotide (reference §22). */
export const EVALUATION_ATOMS = ['OP3', 'P', 'OP1', 'OP2', "O5'", "C5'", "C4'", "O4'", "C3'", "O3'", "C2'", "O2'", "C1'", 'N1'] as const;
const ATOM_INDEX = new Map<string, number>(EVALUATION_ATOMS.map((n, i) => [n, i]));
const K = EVALUATION_ATOMS.length;

export interface NucleotideTable {
  count: number;
  /**
   * Centre of the kept atoms, Angstroms. Per-nucleotide tables (thousands of rows, not voxels):
   * float64 so metrics match reference implementations to the last digit.
   */
  x: Float64Array;
  y: Float64Array;
  z: Float64Array;
  /** Base label A=0, U/T=1, C=2, G=3. */
  label: Int8Array;
  /** Kept-atom coordinates [i * 14 + k] * 3 (NaN when absent); float64 for the same reason (14 atoms per nucleotide, not a volume). */
  atoms: Float64Array;
  /** Chain id and residue number per nucleotide (for reports). */
  chainId: string[];
  seqNum: Int32Array;
}

export function nucleotideTable(s: Structure): NucleotideTable {
  const rows: { chain: string; seq: number; label: number; xyz: Float64Array; cx: number; cy: number; cz: number }[] = [];
  for (const chain of s.chains) {
    for (const r of chain.residues) {
      if (!Structure.isSequenceNucleotide(r)) continue;
      const xyz = new Float64Array(K * 3).fill(NaN);
      let n = 0, sx = 0, sy = 0, sz = 0;
      for (const a of r.atoms) {
        const k = ATOM_INDEX.get(a.name);
        if (k === undefined || !Number.isNaN(xyz[k * 3])) continue; // first copy of a name wins
        xyz[k * 3] = a.x; xyz[k * 3 + 1] = a.y; xyz[k * 3 + 2] = a.z;
        sx += a.x; sy += a.y; sz += a.z; n++;
      }
      if (n === 0) continue;
      rows.push({ chain: chain.id, seq: r.seqNum, label: baseLabel(r.base), xyz, cx: sx / n, cy: sy / n, cz: sz / n });
    }
  }
  const count = rows.length;
  const t: NucleotideTable = {
    count,
    x: new Float64Array(count), y: new Float64Array(count), z: new Float64Array(count),
    label: new Int8Array(count), atoms: new Float64Array(count * K * 3),
    chainId: rows.map((r) => r.chain), seqNum: new Int32Array(count),
  };
  rows.forEach((r, i) => {
    t.x[i] = r.cx; t.y[i] = r.cy; t.z[i] = r.cz;
    t.label[i] = r.label;
    t.seqNum[i] = r.seq;
    t.atoms.set(r.xyz, i * K * 3);
  });
  return t;
}

/**
 * Mean distance over the kept atoms present in both nucleotides (Angstroms); NaN when they share none.
 * CryoREAD uses the atom names of the first reference nucleotide and lets a missing atom count as
 * distance 0 [quirk]; we average over the atoms both have, which is the same when all are present.
 */
export function meanAtomDistance(a: NucleotideTable, i: number, b: NucleotideTable, j: number): number {
  let sum = 0, n = 0;
  const oi = i * K * 3, oj = j * K * 3;
  for (let k = 0; k < K * 3; k += 3) {
    const ax = a.atoms[oi + k], bx = b.atoms[oj + k];
    if (Number.isNaN(ax) || Number.isNaN(bx)) continue;
    const dx = ax - bx, dy = a.atoms[oi + k + 1] - b.atoms[oj + k + 1], dz = a.atoms[oi + k + 2] - b.atoms[oj + k + 2];
    sum += Math.sqrt(dx * dx + dy * dy + dz * dz);
    n++;
  }
  return n > 0 ? sum / n : NaN;
}

/** Coordinates of kept atom `name` of nucleotide i, or undefined. */
export function keptAtom(t: NucleotideTable, i: number, name: (typeof EVALUATION_ATOMS)[number]): [number, number, number] | undefined {
  const k = ATOM_INDEX.get(name)!;
  const o = (i * K + k) * 3;
  if (Number.isNaN(t.atoms[o])) return undefined;
  return [t.atoms[o], t.atoms[o + 1], t.atoms[o + 2]];
}
