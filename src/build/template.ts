/**
 * Standard nucleotide templates (3DNA geometry, see templates/README.md) with the anchor points
 * that model building superposes: P, C4', sugar centroid, base centroid, and the neighbours'
 * P / sugar anchors of an ideal helix.
 */
import type { Vec3 } from '../grid/volume.js';
import { applyTransform, invertTransform, type RigidTransform } from '../math/kabsch.js';
import { InputError } from '../util/errors.js';
import type { NucleotideTemplateData, TemplateName } from './template-types.js';
import { NUCLEOTIDE_TEMPLATE_DATA } from './templates/nucleotide-templates.js';

export type { TemplateName } from './template-types.js';

/** Sugar-phosphate atom names (everything else in a nucleotide is base). */
export const BACKBONE_ATOM_NAMES: ReadonlySet<string> = new Set(['OP3', 'P', 'OP1', 'OP2', "O5'", "C5'", "C4'", "O4'", "C3'", "O3'", "C2'", "O2'", "C1'"]);
/** Furanose ring atoms: their mean is the "sugar centroid". */
export const SUGAR_RING_ATOM_NAMES: readonly string[] = ["C1'", "C2'", "C3'", "C4'", "O4'"];

/**
 * Which point of a residue a coarse sugar point stands for: the C4' atom (CryoREAD), the furanose
 * ring centroid, or the centroid of all sugar-class atoms (every primed atom: C1'-C5', O2'-O5'),
 * which is where detection / oracle "sugar" nodes sit (0.84 A from C4' in the templates).
 */
export type SugarAnchor = "C4'" | 'sugar-centroid' | 'sugar-atoms';
/**
 * Which point a coarse phosphate stands for: the P atom, or the centroid of the phosphate-class
 * atoms P, OP1, OP2 (where detection nodes sit, 0.52 A from P).
 */
export type PhosphateAnchor = 'P' | 'phosphate-group';
/** Phosphate-class atoms (detection's "phosphate"). */
export const PHOSPHATE_GROUP_ATOM_NAMES: readonly string[] = ['P', 'OP1', 'OP2'];

export interface NucleotideTemplate extends NucleotideTemplateData {
  /** Template anchors in the template frame (Angstroms). */
  anchors: {
    baseCentroid: Vec3;
    /** Own phosphate point by anchor kind. */
    phosphate: Record<PhosphateAnchor, Vec3>;
    /** Next residue's phosphate point (ideal helix). */
    nextPhosphate: Record<PhosphateAnchor, Vec3>;
    /** Own sugar point by anchor kind. */
    sugar: Record<SugarAnchor, Vec3>;
    /** Previous / next residue's sugar point (ideal helix). */
    prevSugar: Record<SugarAnchor, Vec3>;
    nextSugar: Record<SugarAnchor, Vec3>;
  };
}

export function mean(points: readonly Vec3[]): Vec3 {
  const m: Vec3 = [0, 0, 0];
  for (const p of points) { m[0] += p[0]; m[1] += p[1]; m[2] += p[2]; }
  const n = points.length || 1;
  return [m[0] / n, m[1] / n, m[2] / n];
}

function withAnchors(d: NucleotideTemplateData): NucleotideTemplate {
  const pos = (name: string): Vec3 => {
    const a = d.atoms.find((x) => x.name === name);
    if (!a) throw new InputError('TEMPLATE_ATOM', `nucleotide template ${d.name}: atom ${name} missing; re-run src/build/templates/generate.ts`);
    return a.xyz;
  };
  const sugar: Record<SugarAnchor, Vec3> = {
    "C4'": pos("C4'"),
    'sugar-centroid': mean(SUGAR_RING_ATOM_NAMES.map(pos)),
    'sugar-atoms': mean(d.atoms.filter((a) => a.name.includes("'")).map((a) => a.xyz)),
  };
  const phosphate: Record<PhosphateAnchor, Vec3> = { P: pos('P'), 'phosphate-group': mean(PHOSPHATE_GROUP_ATOM_NAMES.map(pos)) };
  const baseCentroid = mean(d.atoms.filter((a) => !BACKBONE_ATOM_NAMES.has(a.name)).map((a) => a.xyz));
  const prev = invertTransform(d.nextTransform);
  const mapAll = <K extends string>(r: Record<K, Vec3>, t: RigidTransform): Record<K, Vec3> =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, applyTransform(t, v as Vec3)])) as Record<K, Vec3>;
  return {
    ...d,
    anchors: {
      baseCentroid,
      phosphate,
      nextPhosphate: mapAll(phosphate, d.nextTransform),
      sugar,
      prevSugar: mapAll(sugar, prev),
      nextSugar: mapAll(sugar, d.nextTransform),
    },
  };
}

const TEMPLATES: ReadonlyMap<TemplateName, NucleotideTemplate> = new Map(NUCLEOTIDE_TEMPLATE_DATA.map((d) => [d.name, withAnchors(d)]));

/** The template for a residue name A/C/G/U/DA/DC/DG/DT. */
export function nucleotideTemplate(name: TemplateName): NucleotideTemplate {
  const t = TEMPLATES.get(name);
  if (!t) throw new InputError('TEMPLATE_NAME', `nucleotideTemplate: no template '${name}'; use one of A, C, G, U, DA, DC, DG, DT`);
  return t;
}

/** Residue name for a base letter and molecule type: T becomes U in RNA, U becomes T in DNA. */
export function residueNameFor(letter: 'A' | 'C' | 'G' | 'U' | 'T', moleculeType: 'rna' | 'dna'): TemplateName {
  if (moleculeType === 'rna') return letter === 'T' ? 'U' : letter;
  return letter === 'U' ? 'DT' : (`D${letter}` as TemplateName);
}
