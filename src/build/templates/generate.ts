/**
 * Generates `nucleotide-templates.ts` (committed data) from the 3DNA standard geometry in
 * ../shared/data/geometry/x3dna. Run once by a developer; tests and the library never read
 * ../shared at run time.
 *
 *   npx tsx src/build/templates/generate.ts [GEOMETRY_DIR]
 *
 * Sources (3DNA v2 distribution, Xiang-Jun Lu & Wilma Olson; PDB-derived fiber coordinates):
 * - RNA A/C/G/U: sugar-phosphate backbone (P .. C1', O2') of the A-RNA fiber model #20 (Arnott,
 *   poly(A).poly(U); twist 32.7 deg, rise 2.812 A; gamma 54, delta 82, chi -161: canonical A-RNA)
 *   strand-I residue `fiber_str20_S1.pdb`; the base atoms of `config_atomic_RNA_?.pdb` (standard
 *   Olson et al. 2001 base frame) are placed by the rigid fit of config_atomic_RNA_A's C1' + base
 *   onto the fiber adenine (the standard frame puts every base's C1' and N9/N1 at the same place,
 *   which is how 3DNA itself mutates bases). The config files' own backbone is the A-DNA fiber #1
 *   backbone (gamma 42), less typical of RNA, so it is not used.
 * - DNA DA/DC/DG/DT: the B-DNA fiber model #4 residues `fiber_str04_?.pdb` (generic sequence,
 *   C2'-endo, twist 36 deg, rise 3.375 A); neighbours from the same screw. C5M is renamed C7.
 * OP1/OP2 follow PDB v3 names (O1P/O2P in the files). No OP3 (a polymer residue carries none).
 * The CryoREAD templates (GPL) are not used.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Vec3 } from '../../grid/volume.js';
import { kabsch, applyTransform } from '../../math/kabsch.js';

interface RawAtom { name: string; element: string; xyz: Vec3 }

const RENAME: Record<string, string> = { O1P: 'OP1', O2P: 'OP2', C5M: 'C7' };
const BACKBONE = ['P', 'OP1', 'OP2', "O5'", "C5'", "C4'", "O4'", "C3'", "O3'", "C2'", "C1'"];

function readAtoms(path: string): RawAtom[] {
  const out: RawAtom[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.startsWith('ATOM')) continue;
    const raw = line.slice(12, 16).trim();
    const name = RENAME[raw] ?? raw;
    if (name.startsWith('H')) continue;
    out.push({ name, element: name[0], xyz: [Number(line.slice(30, 38)), Number(line.slice(38, 46)), Number(line.slice(46, 54))] });
  }
  return out;
}

function screw(p: Vec3, twistDeg: number, riseA: number, steps: number): Vec3 {
  const a = (twistDeg * steps * Math.PI) / 180;
  const c = Math.cos(a), s = Math.sin(a);
  return [c * p[0] - s * p[1], s * p[0] + c * p[1], p[2] + riseA * steps];
}

function atom(atoms: RawAtom[], name: string): Vec3 {
  const a = atoms.find((x) => x.name === name);
  if (!a) throw new Error(`atom ${name} missing`);
  return a.xyz;
}

const round = (v: Vec3): Vec3 => v.map((x) => Math.round(x * 1000) / 1000) as Vec3;
const dist = (a: Vec3, b: Vec3) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/** Neighbour anchors in the fiber frame; the screw sign is chosen so that O3'(i)-P(i+1) is a bond. */
function fiberNeighbours(fiber: RawAtom[], twistDeg: number, riseA: number) {
  const o3 = atom(fiber, "O3'");
  const p = atom(fiber, 'P');
  const c4 = atom(fiber, "C4'");
  let best: { sign: number; d: number } = { sign: 1, d: Infinity };
  for (const sign of [1, -1]) {
    const d = dist(o3, screw(p, sign * twistDeg, sign * riseA, 1));
    if (d < best.d) best = { sign, d };
  }
  const st = best.sign * twistDeg, sr = best.sign * riseA;
  // The screw as a rigid transform (exact: fitted on the residue and its screwed copy).
  const pts = fiber.map((a) => a.xyz);
  const next = kabsch(pts, pts.map((q) => screw(q, st, sr, 1)));
  return {
    o3pA: best.d,
    nextP: screw(p, st, sr, 1),
    prevC4: screw(c4, st, sr, -1),
    nextC4: screw(c4, st, sr, 1),
    nextTransform: { rotation: next.rotation.map((x) => Math.round(x * 1e6) / 1e6), translation: round(next.translation) },
  };
}

interface Out {
  name: string; moleculeType: 'rna' | 'dna'; source: string; fitRmsdA: number; o3NextPA: number;
  atoms: RawAtom[]; nextP: Vec3; prevC4: Vec3; nextC4: Vec3;
  nextTransform: { rotation: number[]; translation: Vec3 };
}

const isBackbone = (n: string) => BACKBONE.includes(n) || n === "O2'";

/** RNA: fiber #20 backbone + the config base of letter `b`, placed by the adenine base fit. */
function buildRna(b: string, dir: string): Out {
  const fiber = readAtoms(join(dir, 'fiber_str20_S1.pdb'));
  const configA = readAtoms(join(dir, 'config_atomic_RNA_A.pdb'));
  const config = readAtoms(join(dir, `config_atomic_RNA_${b}.pdb`));
  const baseNames = configA.filter((a) => !isBackbone(a.name) || a.name === "C1'").map((a) => a.name);
  const fit = kabsch(baseNames.map((n) => atom(configA, n)), baseNames.map((n) => atom(fiber, n)));
  const atoms = [
    ...fiber.filter((a) => isBackbone(a.name)),
    ...config.filter((a) => !isBackbone(a.name)).map((a) => ({ ...a, xyz: applyTransform(fit, a.xyz) })),
  ];
  const nb = fiberNeighbours(fiber, 32.7, 2.812);
  return {
    name: b, moleculeType: 'rna', source: `backbone fiber_str20_S1.pdb (A-RNA #20, twist 32.7, rise 2.812) + base config_atomic_RNA_${b}.pdb`,
    fitRmsdA: Math.round(fit.rmsdA * 1000) / 1000, o3NextPA: Math.round(nb.o3pA * 1000) / 1000,
    atoms: atoms.map((a) => ({ ...a, xyz: round(a.xyz) })),
    nextP: round(nb.nextP), prevC4: round(nb.prevC4), nextC4: round(nb.nextC4), nextTransform: nb.nextTransform,
  };
}

/** DNA: the B-DNA fiber #4 residue of letter `b` as is. */
function buildDna(b: string, dir: string): Out {
  const fiber = readAtoms(join(dir, `fiber_str04_${b}.pdb`));
  const nb = fiberNeighbours(fiber, 36.0, 3.375);
  return {
    name: `D${b}`, moleculeType: 'dna', source: `fiber_str04_${b}.pdb (B-DNA #4, twist 36, rise 3.375)`,
    fitRmsdA: 0, o3NextPA: Math.round(nb.o3pA * 1000) / 1000,
    atoms: fiber.map((a) => ({ ...a, xyz: round(a.xyz) })),
    nextP: round(nb.nextP), prevC4: round(nb.prevC4), nextC4: round(nb.nextC4), nextTransform: nb.nextTransform,
  };
}

function main(): void {
  const here = dirname(fileURLToPath(import.meta.url));
  const dir = resolve(process.argv[2] ?? join(here, '..', '..', '..', '..', 'shared', 'data', 'geometry'), 'x3dna');
  const out: Out[] = [];
  for (const b of ['A', 'C', 'G', 'U']) out.push(buildRna(b, dir));
  for (const b of ['A', 'C', 'G', 'T']) out.push(buildDna(b, dir));
  const lines = [
    '// GENERATED by src/build/templates/generate.ts from the 3DNA standard geometry (see README.md).',
    '// Do not edit by hand: re-run the generator. Coordinates in Angstroms, each template in its own frame.',
    "import type { NucleotideTemplateData } from '../template-types.js';",
    '',
    'export const NUCLEOTIDE_TEMPLATE_DATA: readonly NucleotideTemplateData[] = [',
  ];
  for (const t of out) {
    lines.push('  {');
    lines.push(`    name: '${t.name}', moleculeType: '${t.moleculeType}',`);
    lines.push(`    source: '${t.source}',`);
    lines.push(`    // base placement fit RMSD ${t.fitRmsdA} A; fiber O3'(i)-P(i+1) ${t.o3NextPA} A`);
    lines.push(`    nextP: [${t.nextP.join(', ')}], prevC4: [${t.prevC4.join(', ')}], nextC4: [${t.nextC4.join(', ')}],`);
    lines.push(`    nextTransform: { rotation: [${t.nextTransform.rotation.join(', ')}], translation: [${t.nextTransform.translation.join(', ')}] },`);
    lines.push('    atoms: [');
    for (const a of t.atoms) lines.push(`      { name: ${JSON.stringify(a.name)}, element: '${a.element}', xyz: [${a.xyz.join(', ')}] },`);
    lines.push('    ],');
    lines.push('  },');
  }
  lines.push('];', '');
  writeFileSync(join(here, 'nucleotide-templates.ts'), lines.join('\n'));
}

main();
