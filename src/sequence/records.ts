/** Turns FASTA records into encoded nucleic-acid sequences; protein records are skipped with a note. */
import { baseLabel } from '../structure/names.js';
import type { BaseLetter } from '../structure/model.js';
import { FastaFormatError } from '../util/errors.js';
import type { EncodedRecord } from './types.js';

/** The part of a FASTA record this stage needs (io/fasta's FastaRecord satisfies it). */
export interface SequenceRecordLike {
  chainId: string;
  sequence: string;
  moleculeType: 'rna' | 'dna' | 'protein';
}

/** Code of a residue whose base the FASTA leaves open (N, X, IUPAC ambiguity letters): it keeps its place. */
export const UNKNOWN_BASE = 4;

/** Base code in CryoREAD order: A=0, U/T=1, C=2, G=3; -1 for anything else. */
export function baseCode(letter: string): number {
  return baseLabel(letter as BaseLetter);
}

export function encodeRecords(records: readonly SequenceRecordLike[], notes: string[] = []): EncodedRecord[] {
  const out: EncodedRecord[] = [];
  records.forEach((r, recordIndex) => {
    if (r.moleculeType === 'protein') {
      notes.push(`FASTA record '${r.chainId}' is protein: ignored by nucleic-acid sequence assignment`);
      return;
    }
    // Whitespace, digits, gaps and stops are not residues; N, X and the IUPAC ambiguity letters are
    // residues of unknown base: they keep their position (numbering follows the FASTA) and match
    // any node with a neutral score.
    const letters = r.sequence.toUpperCase().replace(/[^A-Z]/g, '');
    const unknown = letters.replace(/[ACGTU]/g, '').length;
    if (letters.length !== r.sequence.length) notes.push(`FASTA record '${r.chainId}': ${r.sequence.length - letters.length} characters that are not residues ignored (whitespace, digits, gaps)`);
    if (unknown) notes.push(`FASTA record '${r.chainId}': ${unknown} residues of unknown base (N, X or ambiguity codes) kept as placeholders`);
    const codes = new Uint8Array(letters.length);
    for (let i = 0; i < letters.length; i++) { const c = baseCode(letters[i]); codes[i] = c >= 0 ? c : UNKNOWN_BASE; }
    if (codes.length > 0) out.push({ recordIndex, chainId: r.chainId, moleculeType: r.moleculeType, sequence: letters, codes });
  });
  if (out.length === 0) throw new FastaFormatError('FASTA_NO_NUCLEIC', 'sequence assignment: the FASTA has no RNA/DNA record; give a FASTA with nucleotide sequences or build with --no-seqinfo');
  return out;
}

/** Letter of a base code for a molecule type (code 1 is U for RNA, T for DNA). */
export function letterOf(code: number, moleculeType: 'rna' | 'dna'): 'A' | 'C' | 'G' | 'U' | 'T' {
  return (['A', moleculeType === 'dna' ? 'T' : 'U', 'C', 'G'] as const)[code];
}
