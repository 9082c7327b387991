/**
 * The E. coli 23S rRNA as one FASTA record, from the union of occupancy_RNA1-4.pdb: those files
 * split the rRNA into ~100 segment "chains" but keep the 23S numbering (1..2904, each number once),
 * so the residues in number order are the rRNA sequence; numbers no file models (33) become N, as
 * a real FASTA would have letters the map does not show.
 */
import type { Structure } from '../../src/structure/model.js';

export function rrna23sRecord(union: Structure): { chainId: string; header: string; sequence: string; moleculeType: 'rna' } {
  const byNumber = new Map<number, string>();
  for (const c of union.chains) for (const r of c.residues) if ((r.kind === 'rna' || r.kind === 'dna') && r.base) byNumber.set(r.seqNum, r.base === 'T' ? 'U' : r.base);
  const last = Math.max(...byNumber.keys());
  let sequence = '';
  for (let n = 1; n <= last; n++) sequence += byNumber.get(n) ?? 'N';
  return { chainId: 'A', header: '23S rRNA (E. coli), from occupancy_RNA1-4', sequence, moleculeType: 'rna' };
}
