/** Ideal nucleotide strands from the project's templates (src/build/templates), for refinement tests. */
import { nucleotideTemplate } from '../../src/build/template.js';
import { applyTransform } from '../../src/math/kabsch.js';
import type { Structure, Residue } from '../../src/structure/model.js';

/** n consecutive residues of the ideal helix of one template, as a Structure. */
export function idealStrand(name: 'A' | 'DA' | 'G', n: number): Structure {
  const t = nucleotideTemplate(name);
  const residues: Residue[] = [];
  let atoms = t.atoms.map((a) => a.xyz as [number, number, number]);
  for (let k = 0; k < n; k++) {
    residues.push({
      name, originalName: name, seqNum: k + 1, insCode: '', kind: name.startsWith('D') ? 'dna' : 'rna', base: name.replace('D', '') as 'A' | 'G',
      atoms: t.atoms.map((a, i) => ({ name: a.name, element: a.element, x: atoms[i][0], y: atoms[i][1], z: atoms[i][2], occupancy: 1, bFactor: 20, hetero: false })),
    });
    // nextTransform is expressed in the template frame: move residue k+1 by the same step.
    atoms = atoms.map((p) => applyTransform({ rotation: t.nextTransform.rotation, translation: t.nextTransform.translation }, p) as [number, number, number]);
  }
  return { chains: [{ id: 'A', residues }], source: `ideal ${name} x${n}` };
}

