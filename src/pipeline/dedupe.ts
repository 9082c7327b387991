/**
 * Drops physically impossible duplicates before building: two consecutive residues of a chain whose
 * sugar points are closer than `minSeparationA` (sugar-sugar of bonded nucleotides is 5-7 A, and no
 * two nucleotides' sugars come within ~4 A) are one nucleotide detected twice (a split sugar blob).
 * The one with a phosphate and the higher confidence is kept, whole: its own number and letter. (Until session
 * 12 the kept residue took the dropped one's number but kept its own letter, so a FASTA-assigned chain could
 * carry a letter other than the record's at that position: the example's chain J had G at 66, where the FASTA
 * has U, from the duplicate assigned to 67.) In a FASTA-assigned chain either choice leaves one gap in the
 * numbering, so one link: the dropped residue's position is not modelled.
 */
import type { CoarseChain } from '../build/types.js';

export function dropDuplicateResidues(chains: readonly CoarseChain[], minSeparationA = 4.0): { chains: CoarseChain[]; dropped: number } {
  let dropped = 0;
  const out = chains.map((c) => {
    const kept: CoarseChain['residues'] = [];
    for (const r of c.residues) {
      const last = kept[kept.length - 1];
      if (last && Math.hypot(r.sugarA[0] - last.sugarA[0], r.sugarA[1] - last.sugarA[1], r.sugarA[2] - last.sugarA[2]) < minSeparationA) {
        dropped++;
        const score = (x: typeof r) => (x.phosphateA ? 1 : 0) + x.confidence;
        if (score(r) > score(last)) kept[kept.length - 1] = r;
        continue;
      }
      kept.push(r);
    }
    return { ...c, residues: kept };
  });
  return { chains: out.filter((c) => c.residues.length > 0), dropped };
}
