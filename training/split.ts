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

/**
 * Split 'v2' (cryoread-ts-v2, issue 13) also keeps these out of training: the structures of the
 * real-density bench's independent-generator set (bench/real-density.ts, maps made by gemmi's electron
 * density calculator, a generator no training map comes from). Eight RNA-only structures and two
 * protein-dominated protein-NA complexes.
 */
export const INDEPENDENT_TEST = [
  'rp_rp04_4_solution_0_rpr.pdb', // SAM-I riboswitch, 126 nt
  'rp_rp05_5_solution_0_rpr.pdb', // lariat-capping ribozyme, 188 nt
  'rp_rp07_7_0_soluton_4r4v_rpr.pdb', // VS ribozyme, 185 nt
  'rp_rp10_10_solution_0_rpr.pdb', // T-box stem I + tRNA, 157 nt
  'rnapolis_4qln.cif', // ydaO riboswitch, 117 nt
  'rnapolis_8btk_B7.cif', // mammalian 5S rRNA, 119 nt
  'biotite_4p5j.cif', // tRNA-like structure, 84 nt
  'rp_rp18_18_solution_0_rpr.pdb', // Zika xrRNA, 71 nt
  'rnapolis_1a9n.cif', // U2A'/U2B'' + snRNA hairpin: 48 nt among 523 aa
  'biotite_5ugo.cif', // DNA polymerase beta nick complex: 32 nt among 326 aa
];
/** Split 'v2': not trained on because a held-out structure is the same molecule. */
export const EXCLUDED_V2 = ['rp_rp12_12_solution_0.rpr.pdb' /* 4QLM, same ydaO riboswitch as 4qln */];

export type SplitName = 'v1' | 'v2';
/** Files never trained on under a split (validation + excluded, and for v2 the independent set). */
export function notTrained(split: SplitName): string[] {
  return split === 'v1' ? [...VALIDATION, ...EXCLUDED] : [...VALIDATION, ...EXCLUDED, ...INDEPENDENT_TEST, ...EXCLUDED_V2];
}

/**
 * Stable per-structure validation pick for data made from the pipeline's own runs (nucleic-acid
 * classifier, traced-node base caller): FNV-1a of the file name, as a fraction in [0, 1), below
 * `fraction` = validation. Nodes of one structure therefore never land on both sides.
 */
export function isValidationStructure(structure: string, fraction: number): boolean {
  let h = 0x811c9dc5;
  for (let i = 0; i < structure.length; i++) h = Math.imul(h ^ structure.charCodeAt(i), 0x01000193) >>> 0;
  return (h % 1000) / 1000 < fraction;
}
