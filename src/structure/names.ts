/**
 * Residue and atom name normalisation tables shared by the PDB and mmCIF readers (and the writers).
 *
 * - Atom names: PDB v2 -> v3 (`C4*` -> `C4'`, `O1P` -> `OP1`, `O2P` -> `OP2`, `O3P` -> `OP3`, thymine
 *   methyl `C5M` -> `C7`).
 * - Residue names: standard nucleotides (A/C/G/U, DA/DC/DG/DT/DU, old `ADE`/`URA`/..., `RA`/`RU`/...),
 *   common modified nucleotides mapped to their parent base (`MODIFIED_NUCLEOTIDES`), amino acids.
 * - RNA vs DNA is decided per residue from its atoms: a nucleotide whose sugar has C2' but no O2' is
 *   DNA (so old files that write DNA as A/C/G/T become DA/DC/DG/DT), explicit D-names are always DNA.
 */
import type { BaseLetter, ResidueKind } from './model.js';

/**
 * Modified nucleotides -> parent base. Names from the PDB Chemical Component Dictionary
 * (`_chem_comp.mon_nstd_parent_comp_id`); RNA or DNA is decided from the atoms (O2'), not from here.
 */
export const MODIFIED_NUCLEOTIDES: Readonly<Record<string, BaseLetter>> = {
  // adenosine family
  '1MA': 'A', '2MA': 'A', '6MA': 'A', '6MZ': 'A', MA6: 'A', '6IA': 'A', T6A: 'A', MIA: 'A', '12A': 'A', A2M: 'A',
  RIA: 'A', A23: 'A', AET: 'A', MTU: 'A', PR5: 'A', ZAD: 'A', A5O: 'A', '1AP': 'A', '3DA': 'A', AP7: 'A',
  // cytidine family
  '5MC': 'C', OMC: 'C', '4OC': 'C', CBR: 'C', S4C: 'C', '4AC': 'C', AC4: 'C', LKC: 'C', CCC: 'C', '5HC': 'C', '5CM': 'C',
  C2L: 'C', CSL: 'C', '5IC': 'C', CH: 'C', '1SC': 'C', C31: 'C', C43: 'C', CFL: 'C', DOC: 'C', '5PC': 'C', RSQ: 'C',
  // guanosine family
  '1MG': 'G', '2MG': 'G', '7MG': 'G', M2G: 'G', OMG: 'G', YG: 'G', YYG: 'G', QUO: 'G', G7M: 'G', GTP: 'G', GDP: 'G',
  '23G': 'G', PGP: 'G', '8OG': 'G', '6OG': 'G', G2L: 'G', GH3: 'G', '2EG': 'G', IGU: 'G', MGT: 'G', '5GP': 'G',
  G25: 'G', GOM: 'G', GF2: 'G', GFL: 'G', LCG: 'G', '8AN': 'A',
  // uridine family (5MU = ribothymidine, parent U)
  PSU: 'U', H2U: 'U', '5MU': 'U', '4SU': 'U', '5BU': 'U', OMU: 'U', UR3: 'U', '2MU': 'U', '5IU': 'U', '5FU': 'U',
  '70U': 'U', SSU: 'U', UMS: 'U', BRU: 'U', DHU: 'U', S4U: 'U', FHU: 'U', MNU: 'U', '3AU': 'U', '5UD': 'U', UD5: 'U',
  RUS: 'U', U8U: 'U', UFT: 'U', UMP: 'U', '2AU': 'U', '3TD': 'U',
  // thymidine family (DNA)
  TSP: 'T', TCY: 'T', TLN: 'T', '5HT': 'T', ATD: 'T', T23: 'T', TTD: 'T', NMT: 'T', '2DT': 'T', TAF: 'T',
};

/** Standard and legacy nucleotide residue names -> base, with `dna` for names that are DNA by definition. */
const STANDARD_NUCLEOTIDES: Readonly<Record<string, { base: BaseLetter; dna: boolean }>> = {
  A: { base: 'A', dna: false }, C: { base: 'C', dna: false }, G: { base: 'G', dna: false }, U: { base: 'U', dna: false },
  T: { base: 'T', dna: true }, I: { base: 'G', dna: false },
  RA: { base: 'A', dna: false }, RC: { base: 'C', dna: false }, RG: { base: 'G', dna: false }, RU: { base: 'U', dna: false },
  DA: { base: 'A', dna: true }, DC: { base: 'C', dna: true }, DG: { base: 'G', dna: true }, DT: { base: 'T', dna: true },
  DU: { base: 'U', dna: true }, DI: { base: 'G', dna: true },
  // ADE/CYT/GUA/URA/THY are free bases in the PDB chemical dictionary (e.g. the adenine ligand of 1Y26), not nucleotides.
  // AMBER / CHARMM style names (A5, A3, RA5, DA5 ...) are handled in nucleotideInfo by stripping the 5/3 suffix.
};

/** The 20 standard amino acids plus the common modified ones read as protein. */
export const AMINO_ACIDS: ReadonlySet<string> = new Set([
  'ALA', 'ARG', 'ASN', 'ASP', 'CYS', 'GLN', 'GLU', 'GLY', 'HIS', 'ILE', 'LEU', 'LYS', 'MET', 'PHE', 'PRO', 'SER',
  'THR', 'TRP', 'TYR', 'VAL', 'SEC', 'PYL', 'MSE', 'UNK', 'HSD', 'HSE', 'HSP', 'HIE', 'HID', 'HIP', 'CYX', 'ASX',
  'GLX', 'SEP', 'TPO', 'PTR', 'MLY', 'M3L', 'KCX', 'CSO', 'CSD', 'CME', 'OCS', 'HYP', 'PCA', 'LLP', 'CSS', 'ALY',
]);

/** Base identity of a residue name: parent base, whether the name is DNA by definition, and whether it is modified. */
export function nucleotideInfo(resName: string): { base: BaseLetter; dna: boolean; modified: boolean } | undefined {
  const n = resName.trim().toUpperCase();
  const std = STANDARD_NUCLEOTIDES[n];
  if (std) return { ...std, modified: false };
  const mod = MODIFIED_NUCLEOTIDES[n];
  if (mod) return { base: mod, dna: mod === 'T', modified: true };
  // AMBER terminal variants: A5/A3/RA5/DA3/DT5 ...
  const m = /^(D|R)?([ACGTU])[35N]$/.exec(n);
  if (m) return { base: m[2] as BaseLetter, dna: m[1] === 'D' || m[2] === 'T', modified: false };
  return undefined;
}

/** True when the residue name is a modified nucleotide in `MODIFIED_NUCLEOTIDES` (writers keep such names). */
export function isModifiedNucleotide(resName: string): boolean {
  const n = resName.trim().toUpperCase();
  return MODIFIED_NUCLEOTIDES[n] !== undefined;
}

/** Normalised residue name for a nucleotide: A/C/G/U for RNA, DA/DC/DG/DT/DU for DNA. */
export function nucleotideName(base: BaseLetter, kind: 'rna' | 'dna'): string {
  if (kind === 'dna') return 'D' + base;
  return base === 'T' ? 'U' : base;
}

const OLD_ATOM_NAMES: Readonly<Record<string, string>> = { O1P: 'OP1', O2P: 'OP2', O3P: 'OP3', C5M: 'C7' };

/** PDB v3 atom name: `*` -> `'`, O1P/O2P/O3P -> OP1/OP2/OP3, C5M -> C7 (thymine methyl, nucleotides only). */
export function normaliseAtomName(name: string, isNucleotide: boolean): string {
  let n = name.trim();
  if (!isNucleotide) return n;
  if (n.includes('*')) n = n.replace(/\*/g, "'");
  const old = OLD_ATOM_NAMES[n];
  return old ?? n;
}

/** Two-letter element symbols that occur as atoms in macromolecular files (ions, metals, halogens). */
const TWO_LETTER_ELEMENTS: ReadonlySet<string> = new Set([
  'MG', 'ZN', 'CL', 'NA', 'CA', 'MN', 'FE', 'CO', 'NI', 'CU', 'BR', 'SE', 'CD', 'HG', 'SR', 'BA', 'CS', 'RB', 'LI',
  'TL', 'PB', 'PT', 'AU', 'AG', 'IR', 'OS', 'RU', 'RH', 'PD', 'GD', 'YB', 'TB', 'EU', 'SM', 'LA', 'CE', 'AL', 'SI',
  'AS', 'SB', 'TE', 'XE', 'KR', 'AR', 'NE', 'HE', 'BE', 'GA', 'GE', 'MO', 'W', 'V', 'CR', 'TI', 'ZR', 'NB', 'TA',
]);

/** Capitalise an element symbol ("MG" -> "Mg"). */
export function formatElement(sym: string): string {
  const s = sym.trim();
  if (s.length === 0) return s;
  return s[0].toUpperCase() + s.slice(1).toLowerCase();
}

/**
 * Element inferred from an atom name when the file gives none. `pdbField` is the raw 4-character
 * PDB name field (columns 13-16): a two-letter element sits in columns 13-14 (e.g. "MG  ", "CL1 "),
 * a one-letter one in column 14 (" CA " is carbon alpha, "CA  " calcium).
 */
export function inferElement(name: string, residueName: string, pdbField?: string): string {
  const n = name.trim().toUpperCase();
  if (n.length === 0) return '';
  if (pdbField !== undefined && pdbField.length >= 2) {
    const two = pdbField.slice(0, 2).toUpperCase();
    if (/^[A-Z]{2}$/.test(two) && TWO_LETTER_ELEMENTS.has(two) && !AMINO_ACIDS.has(residueName) && nucleotideInfo(residueName) === undefined) {
      return formatElement(two);
    }
  } else if (n === residueName.trim().toUpperCase() && TWO_LETTER_ELEMENTS.has(n)) {
    return formatElement(n); // single-atom ion residues: MG, ZN, CL ...
  }
  const letters = n.replace(/^[0-9]+/, '');
  const c = letters[0];
  if (c === undefined) return '';
  // Hydrogen written like "1H5'" / "H5''" / "HO2'" -> H; deuterium D.
  return formatElement(c);
}

/**
 * Parent base guessed from the atoms of a residue whose name is not in the tables (an unlisted
 * modified nucleotide): needs a sugar (C1', C3', C4') and a base ring; purines (N9, C8) with N6 -> A,
 * with O6 -> G; pyrimidines (N1, C6, no N9) with N4 -> C, with C7/C5M -> T, with O4/S4 -> U.
 */
export function baseFromAtoms(atomNames: ReadonlySet<string>): BaseLetter | undefined {
  const has = (n: string): boolean => atomNames.has(n);
  if (!(has("C1'") && has("C3'") && has("C4'"))) return undefined;
  if (has('N9') && has('C8')) {
    if (has('N6')) return 'A';
    if (has('O6') || has('N2')) return 'G';
    return undefined;
  }
  if (has('N1') && has('C6') && has('C2')) {
    if (has('N4')) return 'C';
    if (has('C7') || has('C5M')) return 'T';
    if (has('O4') || has('S4')) return 'U';
  }
  return undefined;
}

/** Classify a residue: nucleotides by name (+ O2' rule), amino acids, else 'other'. */
export function classifyResidue(
  resName: string,
  atomNames: ReadonlySet<string>,
): { kind: ResidueKind; name: string; base?: BaseLetter } {
  const info = nucleotideInfo(resName);
  if (info) {
    // Decide RNA vs DNA from the sugar: C2' present without O2' -> DNA. Names that are DNA by
    // definition (DA/DC/..., T) stay DNA; a residue with no sugar atoms keeps the name's type.
    const hasC2 = atomNames.has("C2'");
    const hasO2 = atomNames.has("O2'");
    let dna = info.dna;
    if (hasO2) dna = false;
    else if (hasC2) dna = true;
    const kind = dna ? 'dna' : 'rna';
    const base: BaseLetter = kind === 'rna' && info.base === 'T' ? 'U' : info.base;
    return { kind, name: nucleotideName(base, kind), base };
  }
  const up = resName.trim().toUpperCase();
  if (AMINO_ACIDS.has(up)) return { kind: 'protein', name: up };
  const guessed = baseFromAtoms(atomNames);
  if (guessed) {
    const kind = atomNames.has("O2'") || !atomNames.has("C2'") ? 'rna' : 'dna';
    const base: BaseLetter = kind === 'rna' && guessed === 'T' ? 'U' : guessed;
    return { kind, name: nucleotideName(base, kind), base };
  }
  return { kind: 'other', name: resName.trim() };
}

/** Base label used by the evaluation (CryoREAD convention): A=0, U/T=1, C=2, G=3. */
export function baseLabel(base: BaseLetter | undefined): number {
  switch (base) {
    case 'A': return 0;
    case 'U': case 'T': return 1;
    case 'C': return 2;
    case 'G': return 3;
    default: return -1;
  }
}
