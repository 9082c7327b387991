/** The train / validation split of the detection network (shared by make-dataset.ts and evaluate-model.ts). */
/** Held-out structures (never trained on). Evaluated at 3, 4, 5, 6 A. */
export const VALIDATION = [
  'rp_rp14_bound_14_solution_bound_0_rpr.pdb', // L-glutamine riboswitch, 61 nt
  'x3dna_bdl084.pdb', // B-DNA duplex, 24 nt
  'rnatools_4W90_protein_rna.pdb', // protein-RNA complex, 101 nt + 90 aa
  'rna3db_1ehz.cif', // tRNA-Phe, 76 nt
  'cryoread_6v5b_drna.pdb', // the bundled example, 78 nt
];
/** Not trained on and not evaluated: the same molecule as a validation structure. */
export const EXCLUDED = ['rp_rp14_free_14_solution_free_0_rpr.pdb', 'rnatools_6TNA.pdb'];
export const VALIDATION_RESOLUTIONS_A = [3, 4, 5, 6];
