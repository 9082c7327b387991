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
    const letters = r.sequence.toUpperCase().replace(/[^ACGTU]/g, '');
    if (letters.length !== r.sequence.length) notes.push(`FASTA record '${r.chainId}': ${r.sequence.length - letters.length} non-ACGTU characters dropped`);
    const codes = new Uint8Array(letters.length);
    for (let i = 0; i < letters.length; i++) codes[i] = baseCode(letters[i]);
    if (codes.length > 0) out.push({ recordIndex, chainId: r.chainId, moleculeType: r.moleculeType, sequence: letters, codes });
  });
  if (out.length === 0) throw new FastaFormatError('FASTA_NO_NUCLEIC', 'sequence assignment: the FASTA has no RNA/DNA record; give a FASTA with nucleotide sequences or build with --no-seqinfo');
  return out;
}

/** Letter of a base code for a molecule type (code 1 is U for RNA, T for DNA). */
export function letterOf(code: number, moleculeType: 'rna' | 'dna'): 'A' | 'C' | 'G' | 'U' | 'T' {
  return (['A', moleculeType === 'dna' ? 'T' : 'U', 'C', 'G'] as const)[code];
}
