/**
 * Standard nucleotide templates (3DNA geometry, see templates/README.md) with the anchor points
 * that model building superposes: P, C4', sugar centroid, base centroid, and the neighbours'
 * P / sugar anchors of an ideal helix.
 */
import type { Vec3 } from '../grid/volume.js';
import { applyTransform, rotate, type RigidTransform } from '../math/kabsch.js';
import { InputError } from '../util/errors.js';
import type { NucleotideTemplateData, TemplateName } from './template-types.js';
import { NUCLEOTIDE_TEMPLATE_DATA } from './templates/nucleotide-templates.js';

export type { TemplateName } from './template-types.js';

/** Sugar-phosphate atom names (everything else in a nucleotide is base). */
export const BACKBONE_ATOM_NAMES: ReadonlySet<string> = new Set(['OP3', 'P', 'OP1', 'OP2', "O5'", "C5'", "C4'", "O4'", "C3'", "O3'", "C2'", "O2'", "C1'"]);
/** Furanose ring atoms: their mean is the "sugar centroid". */
export const SUGAR_RING_ATOM_NAMES: readonly string[] = ["C1'", "C2'", "C3'", "C4'", "O4'"];

/** Which point of a residue a coarse sugar point stands for. */
export type SugarAnchor = "C4'" | 'sugar-centroid';

export interface NucleotideTemplate extends NucleotideTemplateData {
  /** Template anchors in the template frame (Angstroms). */
  anchors: {
    P: Vec3;
    C4: Vec3;
    sugarCentroid: Vec3;
    baseCentroid: Vec3;
    /** Next residue's P, C4' and sugar centroid (ideal helix). */
    nextP: Vec3;
    nextC4: Vec3;
    nextSugarCentroid: Vec3;
    /** Previous residue's C4' and sugar centroid (ideal helix). */
    prevC4: Vec3;
    prevSugarCentroid: Vec3;
  };
}

export function mean(points: readonly Vec3[]): Vec3 {
  const m: Vec3 = [0, 0, 0];
  for (const p of points) { m[0] += p[0]; m[1] += p[1]; m[2] += p[2]; }
  const n = points.length || 1;
  return [m[0] / n, m[1] / n, m[2] / n];
}

function inverse(t: RigidTransform): RigidTransform {
  const r = t.rotation;
  const rt = [r[0], r[3], r[6], r[1], r[4], r[7], r[2], r[5], r[8]];
  const mt = rotate(rt, t.translation);
  return { rotation: rt, translation: [-mt[0], -mt[1], -mt[2]] };
}

function withAnchors(d: NucleotideTemplateData): NucleotideTemplate {
  const pos = (name: string): Vec3 => {
    const a = d.atoms.find((x) => x.name === name);
    if (!a) throw new InputError('TEMPLATE_ATOM', `nucleotide template ${d.name}: atom ${name} missing; re-run src/build/templates/generate.ts`);
    return a.xyz;
  };
  const sugarCentroid = mean(SUGAR_RING_ATOM_NAMES.map(pos));
  const baseCentroid = mean(d.atoms.filter((a) => !BACKBONE_ATOM_NAMES.has(a.name)).map((a) => a.xyz));
  const prev = inverse(d.nextTransform);
  return {
    ...d,
    anchors: {
      P: pos('P'),
      C4: pos("C4'"),
      sugarCentroid,
      baseCentroid,
      nextP: applyTransform(d.nextTransform, pos('P')),
      nextC4: applyTransform(d.nextTransform, pos("C4'")),
      nextSugarCentroid: applyTransform(d.nextTransform, sugarCentroid),
      prevC4: applyTransform(prev, pos("C4'")),
      prevSugarCentroid: applyTransform(prev, sugarCentroid),
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
