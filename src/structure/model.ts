/**
 * Structure model: Structure -> Chain -> Residue -> Atom, coordinates in Cartesian Angstroms.
 * Produced by io/pdb and io/mmcif (after name normalisation), by build/ (new models), consumed by
 * simulate/, evaluate/ and the writers.
 */
import { inspect } from 'node:util';

/** Polymer kind of a residue after normalisation. */
export type ResidueKind = 'rna' | 'dna' | 'protein' | 'other';
/** Parent nucleobase letter of a nucleotide (modified nucleotides map to their parent). */
export type BaseLetter = 'A' | 'C' | 'G' | 'U' | 'T';

export interface Atom {
  /** Atom name, normalised to PDB v3 (`C4'`, `OP1`), e.g. "C4'". */
  name: string;
  /** Element symbol, capitalised ("C", "Mg"). */
  element: string;
  /** Cartesian coordinates in Angstroms. */
  x: number;
  y: number;
  z: number;
  /** Occupancy (0..1). */
  occupancy: number;
  /** Isotropic B-factor in A^2. */
  bFactor: number;
  /** True for HETATM records. */
  hetero: boolean;
}

export interface Residue {
  /** Normalised residue name: A/C/G/U for RNA, DA/DC/DG/DT for DNA, amino-acid codes, else as read. */
  name: string;
  /** Name as written in the file (e.g. 'PSU', 'C', '  A'), trimmed. */
  originalName: string;
  /** Author residue number. */
  seqNum: number;
  /** Insertion code ('' when none). */
  insCode: string;
  kind: ResidueKind;
  /** Parent base for nucleotides, undefined otherwise. */
  base?: BaseLetter;
  atoms: Atom[];
}

export interface Chain {
  /** Chain id (author chain id; may be several characters in mmCIF). */
  id: string;
  residues: Residue[];
}

export interface Structure {
  chains: Chain[];
  /** Where it came from (path or a description). */
  source?: string;
  /** Non-fatal problems met while reading (e.g. skipped altlocs, extra models). */
  warnings?: string[];
}

export namespace Structure {
  export function* atoms(s: Structure): Generator<{ chain: Chain; residue: Residue; atom: Atom }> {
    for (const chain of s.chains) for (const residue of chain.residues) for (const atom of residue.atoms) yield { chain, residue, atom };
  }
  export function atomCount(s: Structure): number {
    let n = 0;
    for (const c of s.chains) for (const r of c.residues) n += r.atoms.length;
    return n;
  }
  export function nucleotides(s: Structure): { chain: Chain; residue: Residue }[] {
    const out: { chain: Chain; residue: Residue }[] = [];
    for (const chain of s.chains) for (const residue of chain.residues) if (residue.kind === 'rna' || residue.kind === 'dna') out.push({ chain, residue });
    return out;
  }
  /** A DNA/RNA residue with a known base: what FASTA records (sequenceRecords) and evaluation count. */
  export function isSequenceNucleotide(r: Residue): boolean {
    return (r.kind === 'rna' || r.kind === 'dna') && r.base !== undefined;
  }
  export function findAtom(r: Residue, name: string): Atom | undefined {
    return r.atoms.find((a) => a.name === name);
  }
  /**
   * The nucleic-acid sequence of each chain as a FASTA-like record (chain id, header, sequence,
   * molecule type): what a user would give `cryoread build --fasta` for this structure. A chain is
   * DNA when most of its nucleotides are; U in DNA reads T and T in RNA reads U (one alphabet per
   * record, as FASTA files have). Chains without nucleotides are left out.
   */
  export function sequenceRecords(s: Structure): { chainId: string; header: string; sequence: string; moleculeType: 'rna' | 'dna' }[] {
    const out: { chainId: string; header: string; sequence: string; moleculeType: 'rna' | 'dna' }[] = [];
    for (const c of s.chains) {
      const nts = c.residues.filter(isSequenceNucleotide);
      if (nts.length === 0) continue;
      const dna = nts.filter((r) => r.kind === 'dna').length > nts.length / 2;
      const sequence = nts.map((r) => (dna && r.base === 'U' ? 'T' : !dna && r.base === 'T' ? 'U' : r.base!)).join('');
      out.push({ chainId: c.id, header: `chain_${c.id}`, sequence, moleculeType: dna ? 'dna' : 'rna' });
    }
    return out;
  }
  /** Summary counts per chain. */
  export function summary(s: Structure): { chain: string; rna: number; dna: number; protein: number; other: number }[] {
    return s.chains.map((c) => {
      const row = { chain: c.id, rna: 0, dna: 0, protein: 0, other: 0 };
      for (const r of c.residues) row[r.kind]++;
      return row;
    });
  }
  export function describe(s: Structure): string {
    const rows = summary(s);
    const tot = rows.reduce((a, r) => ({ rna: a.rna + r.rna, dna: a.dna + r.dna, protein: a.protein + r.protein }), { rna: 0, dna: 0, protein: 0 });
    return `Structure ${s.chains.length} chains, ${tot.rna} RNA nt, ${tot.dna} DNA nt, ${tot.protein} protein res, ${atomCount(s)} atoms`;
  }
  /** Attach a notebook-friendly inspect summary to a plain structure object (non-enumerable). */
  export function withInspect<T extends Structure>(s: T): T {
    Object.defineProperty(s, inspect.custom, { value: () => describe(s), enumerable: false });
    return s;
  }
}
