/**
 * FASTA text -> records for the sequence stage (chain id, sequence, molecule type). A small input
 * adapter for the pipeline until src/io/fasta.ts exists; then this file should delegate to it.
 * Chain id: "Chain X" / "Chains X, Y" in an RCSB-style header (first id), else the first word of
 * the header. Molecule type: protein when letters other than ACGTUN (and X) are more than a tenth
 * of the sequence, DNA when it has T and no U, RNA otherwise.
 */
import { FastaFormatError } from '../util/errors.js';
import type { FastaRecordLike } from './types.js';

export function parseFastaRecords(text: string, source = '<fasta>'): FastaRecordLike[] {
  const out: FastaRecordLike[] = [];
  let header: string | null = null;
  let seq: string[] = [];
  const flush = () => {
    if (header === null) return;
    const sequence = seq.join('').replace(/\s+/g, '').toUpperCase();
    const chain = /Chains?\s+([A-Za-z0-9]+)/.exec(header)?.[1] ?? (header.split(/[\s|]/)[0] || `R${out.length + 1}`);
    const nonNa = sequence.replace(/[ACGTUNX]/g, '').length;
    const moleculeType = nonNa > 0.1 * sequence.length ? 'protein' : sequence.includes('T') && !sequence.includes('U') ? 'dna' : 'rna';
    out.push({ chainId: chain, sequence, moleculeType });
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith(';')) continue;
    if (line.startsWith('>')) { flush(); header = line.slice(1).trim(); seq = []; continue; }
    if (header === null) throw new FastaFormatError('FASTA_NO_HEADER', `${source}: sequence line before the first '>' header; start each record with '>name'`, source);
    seq.push(line);
  }
  flush();
  if (out.length === 0) throw new FastaFormatError('FASTA_EMPTY', `${source}: no FASTA record found; the file needs '>name' lines followed by sequence lines`, source);
  return out;
}
