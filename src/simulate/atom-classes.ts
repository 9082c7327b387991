/**
 * Atom classes used by the label maps and the oracle probabilities, and a flat typed-array view of
 * a Structure's atoms (one pass over the object tree, then tight loops over Float32Arrays).
 *
 * Classes follow CryoREAD's detection targets:
 * - phosphate group: P, OP1, OP2, OP3 (O5' and O3' are bridging oxygens and count as sugar);
 * - sugar: every primed atom of a nucleotide (C1', C2', C3', C4', C5', O2', O3', O4', O5', and the
 *   extra atoms of modified sugars such as the 2'-O-methyl carbon CM2);
 * - base: all other non-hydrogen atoms of a nucleotide (modified bases included);
 * - protein: all non-hydrogen atoms of protein residues.
 * Base type (A, U/T, C, G) comes from `residue.base`, so modified nucleotides map to their parent.
 */
import { Structure, type BaseLetter } from '../structure/model.js';
import { baseLabel } from '../structure/names.js';
import { electronScatteringWeight } from './scattering.js';

/** Atom class codes stored in `FlatAtoms.cls`. */
export const AtomClass = { None: 0, Sugar: 1, Phosphate: 2, Base: 3, Protein: 4 } as const;
export type AtomClass = (typeof AtomClass)[keyof typeof AtomClass];

/** Base-type index in CryoREAD channel order: 0 A, 1 UT, 2 C, 3 G; -1 for no base. */
export type BaseTypeIndex = -1 | 0 | 1 | 2 | 3;

const PHOSPHATE_ATOMS = new Set(['P', 'OP1', 'OP2', 'OP3']);
/** Unprimed atoms that sit on the sugar: the methyl carbon of 2'-O-methyl nucleotides (OMC, OMG, OMU, A2M). */
const SUGAR_EXTRA_ATOMS = new Set(['CM2', "CM'"]);

export function isHydrogen(element: string, name: string): boolean {
  const e = element.toUpperCase();
  if (e === 'H' || e === 'D') return true;
  return e === '' && /^[0-9]*[HD]/.test(name);
}

/** Class of one atom of a residue of the given kind. */
export function classifyAtom(kind: string, atomName: string, element: string): AtomClass {
  if (isHydrogen(element, atomName)) return AtomClass.None;
  if (kind === 'protein') return AtomClass.Protein;
  if (kind !== 'rna' && kind !== 'dna') return AtomClass.None;
  if (PHOSPHATE_ATOMS.has(atomName)) return AtomClass.Phosphate;
  if (atomName.includes("'") || SUGAR_EXTRA_ATOMS.has(atomName)) return AtomClass.Sugar;
  return AtomClass.Base;
}

/** Base-type channel index A=0, U/T=1, C=2, G=3 (-1 for none): the project's one table, structure/names baseLabel. */
export function baseTypeIndex(base: string | undefined): BaseTypeIndex {
  return baseLabel(base as BaseLetter | undefined) as BaseTypeIndex;
}

/** Water residue names skipped by default (not visible at typical cryo-EM resolutions). */
const WATER_NAMES = new Set(['HOH', 'WAT', 'H2O', 'DOD', 'SOL', 'TIP', 'TIP3']);

export interface FlatAtoms {
  readonly count: number;
  /** Coordinates in Angstroms. */
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly z: Float32Array;
  /** Zero-angle electron scattering weight f_e(0) times occupancy. */
  readonly weight: Float32Array;
  /** Isotropic B-factor (A^2) from the file. */
  readonly bFactor: Float32Array;
  /** AtomClass per atom. */
  readonly cls: Uint8Array;
  /** BaseTypeIndex per atom (-1 unless the atom is a nucleotide atom with a known parent base). */
  readonly baseType: Int8Array;
  /** Index of the nucleotide the atom belongs to (0..nucleotideCount-1), -1 for other residues. */
  readonly nucleotide: Int32Array;
  readonly nucleotideCount: number;
}

/** Flattens a structure; waters are skipped unless `includeWater`. */
export function flattenAtoms(structure: Structure, includeWater = false): FlatAtoms {
  let n = 0;
  for (const c of structure.chains) for (const r of c.residues) if (includeWater || !WATER_NAMES.has(r.name)) n += r.atoms.length;
  const x = new Float32Array(n), y = new Float32Array(n), z = new Float32Array(n);
  const weight = new Float32Array(n), bFactor = new Float32Array(n);
  const cls = new Uint8Array(n), baseType = new Int8Array(n), nucleotide = new Int32Array(n);
  let i = 0, nt = 0;
  for (const c of structure.chains) {
    for (const r of c.residues) {
      if (!includeWater && WATER_NAMES.has(r.name)) continue;
      const isNt = r.kind === 'rna' || r.kind === 'dna';
      const bt = isNt ? baseTypeIndex(r.base) : -1;
      for (const a of r.atoms) {
        x[i] = a.x; y[i] = a.y; z[i] = a.z;
        const occ = Number.isFinite(a.occupancy) ? a.occupancy : 1;
        weight[i] = electronScatteringWeight(a.element) * occ;
        bFactor[i] = Number.isFinite(a.bFactor) ? a.bFactor : 0;
        cls[i] = classifyAtom(r.kind, a.name, a.element);
        baseType[i] = bt;
        nucleotide[i] = isNt ? nt : -1;
        i++;
      }
      if (isNt) nt++;
    }
  }
  return { count: n, x, y, z, weight, bFactor, cls, baseType, nucleotide, nucleotideCount: nt };
}
