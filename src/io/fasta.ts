/**
 * FASTA reader for the sequence stage (reference §15.1), per record:
 * - chain id from the header: text after '>', cut at the first '|' (and, our addition, at the first
 *   whitespace), then the part after the first '_' (`>21051_3` -> `3`). When that is not exactly one
 *   character, or that character is already taken by an earlier record, the first unused letter of
 *   A-Z then a-z is used (ids given explicitly by headers are reserved first);
 * - sequence: whitespace, digits, '*' and '-' removed, upper-cased;
 * - molecule type: a record is nucleic acid when > 90 % of its letters other than N/X are A/C/G/T/U
 *   (CryoREAD decides this per line; we decide per record); RNA when it has any U, else DNA (CryoREAD
 *   uses one global RNA/DNA flag for the whole file, so mixed RNA/DNA files are handled per record
 *   here); otherwise protein (kept, moleculeType 'protein', for callers to skip with a note);
 * - nucleic-acid sequences keep only A/C/G/T/U: N, X and other symbols are dropped as CryoREAD does
 *   (unknown residues cannot be aligned), protein sequences are kept as written.
 * A FASTA with no records, or with no nucleic-acid record, throws FastaFormatError.
 */
import { FastaFormatError } from '../util/errors.js';
import { readFileText } from './read-bytes.js';

export interface FastaRecord {
  /** Chain id (one character). */
  chainId: string;
  /** Header text after '>' (trimmed), '' for a header-less file. */
  header: string;
  /** Upper-case cleaned sequence (A/C/G/T/U only for nucleic acids). */
  sequence: string;
  moleculeType: 'rna' | 'dna' | 'protein';
}

const CHAIN_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Chain id a header asks for (may be longer than one character; then it is not usable). */
export function chainIdFromHeader(header: string): string {
  let h = header.trim();
  const bar = h.indexOf('|');
  if (bar >= 0) h = h.slice(0, bar);
  h = h.trim().split(/\s+/)[0] ?? '';
  const us = h.indexOf('_');
  if (us >= 0) h = h.slice(us + 1);
  return h;
}

/** Molecule type of a cleaned upper-case sequence. */
export function classifySequence(seq: string): 'rna' | 'dna' | 'protein' {
  let na = 0, other = 0, u = 0;
  for (const ch of seq) {
    if (ch === 'N' || ch === 'X') continue;
    if (ch === 'A' || ch === 'C' || ch === 'G' || ch === 'T') na++;
    else if (ch === 'U') { na++; u++; }
    else other++;
  }
  if (na === 0 || na <= 0.9 * (na + other)) return 'protein';
  return u > 0 ? 'rna' : 'dna';
}

/** Parse FASTA text. `source` names the file in error messages. */
export function parseFasta(text: string, source = '<fasta text>'): FastaRecord[] {
  const raw: { header: string; seq: string[]; line: number }[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.startsWith('>')) raw.push({ header: line.slice(1).trim(), seq: [], line: i + 1 });
    else if (line.startsWith(';')) return; // old-style comment line
    else if (line.trim() !== '') {
      if (raw.length === 0) raw.push({ header: '', seq: [], line: i + 1 });
      raw[raw.length - 1].seq.push(line);
    }
  });
  const recs = raw
    .map((r) => ({ header: r.header, seq: r.seq.join('').replace(/[\s\d*-]/g, '').toUpperCase(), line: r.line }))
    .filter((r) => r.seq.length > 0);
  if (recs.length === 0) {
    throw new FastaFormatError('FASTA_EMPTY', `${source}: no sequence found (expected '>header' lines followed by sequence lines); check the file`, source);
  }
  const typed = recs.map((r) => {
    const moleculeType = classifySequence(r.seq);
    const sequence = moleculeType === 'protein' ? r.seq : r.seq.replace(/[^ACGTU]/g, '');
    return { ...r, moleculeType, sequence };
  });
  if (!typed.some((r) => r.moleculeType !== 'protein' && r.sequence.length > 0)) {
    throw new FastaFormatError('FASTA_NO_NUCLEIC_ACID', `${source}: none of the ${typed.length} record(s) is DNA/RNA (> 90 % A/C/G/T/U); give the nucleic-acid sequences`, source);
  }
  // Chain ids: explicit one-character ids are reserved first (first record wins), then the others
  // get the first unused letter A-Z, a-z.
  const used = new Set<string>();
  const ids: (string | undefined)[] = typed.map((r) => {
    const id = chainIdFromHeader(r.header);
    if (id.length === 1 && !used.has(id)) {
      used.add(id);
      return id;
    }
    return undefined;
  });
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] !== undefined) continue;
    const free = [...CHAIN_LETTERS].find((c) => !used.has(c));
    if (!free) throw new FastaFormatError('FASTA_TOO_MANY_CHAINS', `${source}: more than ${CHAIN_LETTERS.length} records need chain letters; split the FASTA`, source);
    used.add(free);
    ids[i] = free;
  }
  return typed.map((r, i) => ({ chainId: ids[i]!, header: r.header, sequence: r.sequence, moleculeType: r.moleculeType }));
}

/** Read a FASTA file (`.gz` transparently). */
export function readFasta(path: string): FastaRecord[] {
  return parseFasta(readFileText(path), path);
}
