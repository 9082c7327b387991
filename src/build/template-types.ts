/** Shape of the committed nucleotide template data (src/build/templates/nucleotide-templates.ts). */
import type { Vec3 } from '../grid/volume.js';

export type TemplateName = 'A' | 'C' | 'G' | 'U' | 'DA' | 'DC' | 'DG' | 'DT';

export interface TemplateAtomData {
  /** PDB v3 atom name, e.g. "C4'", 'OP1', 'C7'. */
  name: string;
  /** Element symbol. */
  element: string;
  /** Position in the template frame, Angstroms. */
  xyz: Vec3;
}

export interface NucleotideTemplateData {
  name: TemplateName;
  moleculeType: 'rna' | 'dna';
  /** Source files and helix parameters the template came from. */
  source: string;
  /** Position of the next (3') residue's P in this template's frame (ideal helix), Angstroms. */
  nextP: Vec3;
  /** C4' of the previous (5') residue in this template's frame (ideal helix), Angstroms. */
  prevC4: Vec3;
  /** C4' of the next (3') residue in this template's frame (ideal helix), Angstroms. */
  nextC4: Vec3;
  /**
   * Ideal-helix step: the rigid transform (row-major rotation, translation in A) that maps this
   * residue's atoms onto the next (3') residue's, in this template's frame. Its inverse gives the
   * previous residue.
   */
  nextTransform: { rotation: number[]; translation: Vec3 };
  atoms: TemplateAtomData[];
}
