/**
 * Refinement topology: the model's atoms as flat coordinate arrays plus the restraints of standard
 * nucleotide geometry (reference section 21 hands this to Phenix's monomer library; here the ideal
 * values are measured on our 3DNA templates, src/build/templates):
 * - bonds: template atom pairs closer than 1.75 A; angles: every pair of bonds sharing an atom;
 * - base planarity: base atoms + C1';
 * - chirality: signed volumes at C1', C2' (RNA), C3', C4' with the template's value;
 * - sugar pucker, in two steps: in the first all-atom cycle each sugar's five ring torsions stay within
 *   +- 8 deg of the template of the family its input delta torsion is in (north C3'-endo below 115 deg,
 *   south C2'-endo above; this also brings inverted ring centres of a distorted input back); from the
 *   second cycle on the ring's pseudorotation phase is held in the nearer of the C3'-endo window (P -12
 *   to 30 deg) and the C2'-endo window (148 to 192 deg), its amplitude in 32-48 deg (energy.ts), so a
 *   sugar ends in one of the two families and may change family where the map asks for it (torsion
 *   windows alone, fixed from the input, left 1 in 5 refined sugars between the families: 'other').
 *   Delta (C5'-C4'-C3'-O3') in 60-170 deg throughout;
 * - O3'(i)-P(i+1) links between consecutive nucleotides of a chain (O3'-P closer than linkMaxA, and
 *   residue numbers at most 1 apart unless O3'-P is already bond length: `isLinked`):
 *   the bond and the C3'-O3'-P, O3'-P-O5', O3'-P-OP1/OP2 angles of the ideal helix step;
 * - optional Watson-Crick hydrogen bonds for pairs the model already has (donor-acceptor < 3.5 A).
 * Non-bonded repulsion pairs are found later by energy.ts from the exclusions made here.
 * Protein, water and other residues are kept as fixed atoms (they still repel). Modified nucleotides
 * move, with template restraints on their sugar-phosphate atoms only.
 * Departure: Phenix uses pucker-specific sugar angles; the templates give one set per molecule type
 * (C3'-endo RNA, C2'-endo DNA) and a C2'-endo RNA sugar pays only a few angle sigmas (1.5 deg each) for the other pucker.
 */
import type { Atom, Chain, Residue, Structure } from '../structure/model.js';
import { nucleotideTemplate, BACKBONE_ATOM_NAMES, type TemplateName } from '../build/template.js';
import { applyTransform } from '../math/kabsch.js';
import { isHydrogen } from '../simulate/atom-classes.js';
import { isModifiedNucleotide } from '../structure/names.js';

export interface RefineResidue {
  chain: Chain;
  residue: Residue;
  /** Index range of its atoms in the flat arrays. */
  start: number;
  end: number;
  /** Nucleotide that refinement moves. */
  movable: boolean;
}

export interface BondRestraint { i: number; j: number; ideal: number; sigma: number; kind: 'bond' | 'link' | 'hbond' }
export interface AngleRestraint { i: number; j: number; k: number; /** radians */ ideal: number; /** radians */ sigma: number }
export interface PlaneRestraint { atoms: number[]; sigma: number }
export interface ChiralRestraint { centre: number; a: number; b: number; c: number; ideal: number; sigma: number }
export interface TorsionRangeRestraint {
  i: number; j: number; k: number; l: number; /** radians */ lo: number; hi: number; sigma: number;
  /** Only in the first all-atom cycle (energy.ts weights.startRestraints). */
  startOnly?: boolean;
}
/** Sugar ring atoms [C1', C2', C3', C4', O4'] whose pseudorotation phase and amplitude are restrained (energy.ts). */
export interface PuckerRestraint { ring: [number, number, number, number, number]; /** radians */ sigma: number }

export interface RefineTopology {
  count: number;
  /** xyz of atom a at [3a, 3a+1, 3a+2], Angstroms. */
  xyz: Float64Array; // coordinates, 3 per atom (not voxels): float64, the optimiser works on them
  atoms: Atom[];
  element: string[];
  /** Index into `residues`. */
  residueOf: Int32Array;
  movable: Uint8Array;
  residues: RefineResidue[];
  bonds: BondRestraint[];
  angles: AngleRestraint[];
  planes: PlaneRestraint[];
  chirals: ChiralRestraint[];
  torsionRanges: TorsionRangeRestraint[];
  puckers: PuckerRestraint[];
  /** Pairs excluded from non-bonded repulsion (1-2 and 1-3), key min*count+max. */
  excluded: Set<number>;
  /** 1-4 pairs (shorter repulsion distance). */
  oneFour: Set<number>;
}

export interface TopologyParams {
  /**
   * Largest O3'(i)-P(i+1) distance that is restrained as a link, Angstroms. @default 6 (a nucleotide
   * displaced ~3 A along the backbone has a 4-5 A link; with 4 it counted as a chain end, held by the
   * end tether 1-1.5 A from its start, and came back only half way)
   */
  linkMaxA: number;
  /** Add hydrogen-bond restraints for Watson-Crick pairs present in the input. @default false */
  basePairHbonds: boolean;
  /** Bond sigma, A. @default 0.02 */
  bondSigmaA: number;
  /** Angle sigma, degrees. @default 1.5 */
  angleSigmaDeg: number;
  /** Planarity sigma, A. @default 0.02 */
  planeSigmaA: number;
  /** Chiral volume sigma, A^3. @default 0.2 */
  chiralSigmaA3: number;
  /** Sigma of the pseudorotation phase / amplitude restraints beyond their windows, degrees (3 left 1 in 5 network-model sugars outside both windows: the map pull wins). @default 1 */
  puckerSigmaDeg: number;
}

export const defaultTopologyParams: TopologyParams = { linkMaxA: 6, basePairHbonds: false, bondSigmaA: 0.02, angleSigmaDeg: 1.5, planeSigmaA: 0.02, chiralSigmaA3: 0.2, puckerSigmaDeg: 1 };

const DEG = Math.PI / 180;
const BOND_MAX_A = 1.75;
/** Chiral centres: centre and its three heavy neighbours (the base N for C1' is filled in per base). */
const CHIRAL_CENTRES: [string, string, string, string][] = [
  ["C1'", "O4'", "C2'", 'NB'],
  ["C2'", "C1'", "C3'", "O2'"],
  ["C3'", "C4'", "C2'", "O3'"],
  ["C4'", "C5'", "O4'", "C3'"],
];
/** Watson-Crick donor/acceptor pairs: [base1, atom1, base2, atom2]. */
const WC_HBONDS: [string, string, string, string][] = [
  ['G', 'N1', 'C', 'N3'], ['G', 'N2', 'C', 'O2'], ['G', 'O6', 'C', 'N4'],
  ['A', 'N1', 'U', 'N3'], ['A', 'N6', 'U', 'O4'], ['A', 'N1', 'T', 'N3'], ['A', 'N6', 'T', 'O4'],
];

type V3 = [number, number, number];
const dist = (a: V3, b: V3) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
function angleOf(a: V3, b: V3, c: V3): number {
  const u = [a[0] - b[0], a[1] - b[1], a[2] - b[2]], v = [c[0] - b[0], c[1] - b[1], c[2] - b[2]];
  const cos = (u[0] * v[0] + u[1] * v[1] + u[2] * v[2]) / (Math.hypot(u[0], u[1], u[2]) * Math.hypot(v[0], v[1], v[2]));
  return Math.acos(Math.max(-1, Math.min(1, cos)));
}
export function signedVolume(c: ArrayLike<number>, a: ArrayLike<number>, b: ArrayLike<number>, d: ArrayLike<number>): number {
  const ax = a[0] - c[0], ay = a[1] - c[1], az = a[2] - c[2];
  const bx = b[0] - c[0], by = b[1] - c[1], bz = b[2] - c[2];
  const dx = d[0] - c[0], dy = d[1] - c[1], dz = d[2] - c[2];
  return ax * (by * dz - bz * dy) + ay * (bz * dx - bx * dz) + az * (bx * dy - by * dx);
}

/** Template name for a residue (modified nucleotides use their parent), or null for non-nucleotides. */
export function templateNameOf(r: Residue): TemplateName | null {
  if ((r.kind !== 'rna' && r.kind !== 'dna') || !r.base) return null;
  const b = r.base;
  if (r.kind === 'rna') return b === 'T' ? 'U' : b;
  return b === 'U' ? 'DT' : (`D${b}` as TemplateName);
}

/** Ideal intra-residue geometry of one template (cached). */
interface TemplateGeometry {
  pos: Map<string, V3>;
  bonds: [string, string, number][];
  angles: [string, string, string, number][];
  baseAtoms: string[];
  chirals: { names: [string, string, string, string]; ideal: number }[];
  /** Link geometry to the next residue ("+" marks next-residue atoms). */
  link: { bond: number; angles: [string, string, string, number][] };
}
const GEOMETRY = new Map<TemplateName, TemplateGeometry>();

function templateGeometry(name: TemplateName): TemplateGeometry {
  const cached = GEOMETRY.get(name);
  if (cached) return cached;
  const t = nucleotideTemplate(name);
  const pos = new Map<string, V3>(t.atoms.map((a) => [a.name, a.xyz as V3]));
  const names = t.atoms.map((a) => a.name);
  const bonds: [string, string, number][] = [];
  for (let i = 0; i < names.length; i++) for (let j = i + 1; j < names.length; j++) {
    const d = dist(pos.get(names[i])!, pos.get(names[j])!);
    if (d < BOND_MAX_A) bonds.push([names[i], names[j], d]);
  }
  const neighbours = new Map<string, string[]>(names.map((n) => [n, []]));
  for (const [a, b] of bonds) { neighbours.get(a)!.push(b); neighbours.get(b)!.push(a); }
  const angles: [string, string, string, number][] = [];
  for (const centre of names) {
    const nb = neighbours.get(centre)!;
    for (let i = 0; i < nb.length; i++) for (let j = i + 1; j < nb.length; j++) angles.push([nb[i], centre, nb[j], angleOf(pos.get(nb[i])!, pos.get(centre)!, pos.get(nb[j])!)]);
  }
  const baseN = pos.has('N9') ? 'N9' : 'N1';
  const baseAtoms = names.filter((n) => !BACKBONE_ATOM_NAMES.has(n));
  const chirals: TemplateGeometry['chirals'] = [];
  for (const c of CHIRAL_CENTRES) {
    const nm = c.map((n) => (n === 'NB' ? baseN : n)) as [string, string, string, string];
    if (nm.every((n) => pos.has(n))) chirals.push({ names: nm, ideal: signedVolume(pos.get(nm[0])!, pos.get(nm[1])!, pos.get(nm[2])!, pos.get(nm[3])!) });
  }
  // The next residue of the ideal helix: template atoms moved by nextTransform.
  const tr = { rotation: t.nextTransform.rotation, translation: t.nextTransform.translation };
  const nxt = (n: string) => applyTransform(tr, pos.get(n)!) as V3;
  const o3 = pos.get("O3'")!, c3 = pos.get("C3'")!;
  const linkAngles: [string, string, string, number][] = [
    ["C3'", "O3'", '+P', angleOf(c3, o3, nxt('P'))],
    ["O3'", '+P', "+O5'", angleOf(o3, nxt('P'), nxt("O5'"))],
    ["O3'", '+P', '+OP1', angleOf(o3, nxt('P'), nxt('OP1'))],
    ["O3'", '+P', '+OP2', angleOf(o3, nxt('P'), nxt('OP2'))],
  ];
  const g: TemplateGeometry = { pos, bonds, angles, baseAtoms, chirals, link: { bond: dist(o3, nxt('P')), angles: linkAngles } };
  GEOMETRY.set(name, g);
  return g;
}

/** Delta (C5'-C4'-C3'-O3') range of both pucker families, degrees (north ~80, south ~145). */
const DELTA_RANGE_DEG: [number, number] = [60, 170];
/** Delta above this (degrees) puts a sugar in the south (C2'-endo) family for the first cycle's ring torsions. */
const SOUTH_DELTA_MIN = 115;
const RING_HALF_WIDTH = 8 * DEG, RING_SIGMA = 5 * DEG;
const RING_TORSIONS: [string, string, string, string][] = [
  ["C4'", "O4'", "C1'", "C2'"], ["O4'", "C1'", "C2'", "C3'"], ["C1'", "C2'", "C3'", "C4'"], ["C2'", "C3'", "C4'", "O4'"], ["C3'", "C4'", "O4'", "C1'"],
];
/** Ring torsions (radians) of the C3'-endo RNA template (north) and the C2'-endo B-DNA template (south). */
const RING_FAMILIES: Record<'north' | 'south', [[string, string, string, string], number][]> = (() => {
  const fam = (name: TemplateName) => {
    const t = nucleotideTemplate(name);
    const names = t.atoms.map((a) => a.name);
    const xyz = Float64Array.from(t.atoms.flatMap((a) => a.xyz)); // 3 per atom
    const at = (n: string) => names.indexOf(n);
    return RING_TORSIONS.map((q) => [q, dihedral(xyz, at(q[0]), at(q[1]), at(q[2]), at(q[3])) * DEG] as [[string, string, string, string], number]);
  };
  return { north: fam('A'), south: fam('DA') };
})();

/** Dihedral a-b-c-d in degrees (IUPAC sign). */
function dihedral(xyz: Float64Array, a: number, b: number, c: number, d: number): number {
  const p = (i: number) => [xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2]];
  const [pa, pb, pc, pd] = [p(a), p(b), p(c), p(d)];
  const sub3 = (u: number[], v: number[]) => [u[0] - v[0], u[1] - v[1], u[2] - v[2]];
  const cr = (u: number[], v: number[]) => [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
  const dt = (u: number[], v: number[]) => u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
  const b1 = sub3(pb, pa), b2 = sub3(pc, pb), b3 = sub3(pd, pc);
  const n1 = cr(b1, b2), n2 = cr(b2, b3);
  const m = cr(n1, b2);
  const l2 = Math.sqrt(dt(b2, b2)) || 1;
  return Math.atan2(-dt(m, n2) / l2, dt(n1, n2)) * (180 / Math.PI);
}

const pairKey = (i: number, j: number, n: number) => (i < j ? i * n + j : j * n + i);

/** Builds the topology. Coordinates are copied; `applyCoordinates` writes them back. */
/** O3'-P distance below which two residues count as bonded whatever their numbers, A (ideal 1.61). */
const BONDED_LINK_A = 2.0;

/**
 * Whether residue b follows residue a through an O3'-P link: O3'-P at most linkMaxA, and the residue
 * numbers say nothing is missing between them (b = a + 1, or the same number with insertion codes),
 * unless O3'-P is already bond length (a deposited model numbered with gaps). A built model numbers
 * residues by their FASTA positions: 6 then 9 means two nucleotides were not built, and a 1.6 A bond
 * restrained there pulls the two together, which validation then reported as a 1 A bond deviation
 * after the map had brought them to 2.6 A.
 */
export function isLinked(a: Pick<Residue, 'seqNum'>, b: Pick<Residue, 'seqNum'>, o3pA: number, linkMaxA: number): boolean {
  if (o3pA > linkMaxA) return false;
  const step = b.seqNum - a.seqNum;
  return step === 1 || step === 0 || o3pA <= BONDED_LINK_A;
}

export function buildTopology(structure: Structure, params: Partial<TopologyParams> = {}): RefineTopology {
  const p = { ...defaultTopologyParams, ...params };
  const atoms: Atom[] = [], element: string[] = [], residueOf: number[] = [], movable: number[] = [];
  const residues: RefineResidue[] = [];
  for (const chain of structure.chains) for (const residue of chain.residues) {
    const tn = templateNameOf(residue);
    const start = atoms.length;
    for (const a of residue.atoms) {
      if (isHydrogen(a.element, a.name)) continue;
      atoms.push(a); element.push(a.element.toUpperCase()); residueOf.push(residues.length);
      movable.push(tn ? 1 : 0);
    }
    residues.push({ chain, residue, start, end: atoms.length, movable: tn !== null && atoms.length > start });
  }
  const n = atoms.length;
  const xyz = new Float64Array(3 * n); // 3 per atom
  atoms.forEach((a, i) => { xyz[3 * i] = a.x; xyz[3 * i + 1] = a.y; xyz[3 * i + 2] = a.z; });
  const topo: RefineTopology = {
    count: n, xyz, atoms, element, residueOf: Int32Array.from(residueOf), movable: Uint8Array.from(movable), residues,
    bonds: [], angles: [], planes: [], chirals: [], torsionRanges: [], puckers: [], excluded: new Set(), oneFour: new Set(),
  };
  const indexAt = (r: RefineResidue, name: string): number => {
    for (let i = r.start; i < r.end; i++) if (atoms[i].name === name) return i;
    return -1;
  };
  const bondSigma = p.bondSigmaA, angleSigma = p.angleSigmaDeg * DEG;
  for (const r of residues) {
    const tn = r.movable ? templateNameOf(r.residue) : null;
    if (!tn) continue;
    const g = templateGeometry(tn);
    // Modified nucleotides (PSU, 2MG, ...): only the sugar-phosphate backbone follows the parent's template.
    const modified = isModifiedNucleotide(r.residue.originalName);
    const indexIn = (rr: RefineResidue, name: string) => (modified && !BACKBONE_ATOM_NAMES.has(name) ? -1 : indexAt(rr, name));
    for (const [a, b, d] of g.bonds) {
      const i = indexIn(r, a), j = indexIn(r, b);
      if (i >= 0 && j >= 0) topo.bonds.push({ i, j, ideal: d, sigma: bondSigma, kind: 'bond' });
    }
    for (const [a, b, c, th] of g.angles) {
      const i = indexIn(r, a), j = indexIn(r, b), k = indexIn(r, c);
      if (i >= 0 && j >= 0 && k >= 0) topo.angles.push({ i, j, k, ideal: th, sigma: angleSigma });
    }
    const plane = [...g.baseAtoms, "C1'"].map((nm) => indexIn(r, nm)).filter((i) => i >= 0);
    if (plane.length >= 4) topo.planes.push({ atoms: plane, sigma: p.planeSigmaA });
    for (const c of g.chirals) {
      const idx = c.names.map((nm) => indexIn(r, nm));
      if (idx.every((i) => i >= 0)) topo.chirals.push({ centre: idx[0], a: idx[1], b: idx[2], c: idx[3], ideal: c.ideal, sigma: p.chiralSigmaA3 });
    }
    // Sugar pucker: delta within both families' range; phase and amplitude in energy.ts.
    const delta = ["C5'", "C4'", "C3'", "O3'"].map((nm) => indexIn(r, nm));
    if (delta.every((i) => i >= 0)) {
      topo.torsionRanges.push({ i: delta[0], j: delta[1], k: delta[2], l: delta[3], lo: DELTA_RANGE_DEG[0] * DEG, hi: DELTA_RANGE_DEG[1] * DEG, sigma: 5 * DEG });
      const fam = RING_FAMILIES[dihedral(xyz, delta[0], delta[1], delta[2], delta[3]) > SOUTH_DELTA_MIN ? 'south' : 'north'];
      for (const [names, ideal] of fam) {
        const idx = names.map((nm) => indexIn(r, nm));
        if (idx.every((i) => i >= 0)) topo.torsionRanges.push({ i: idx[0], j: idx[1], k: idx[2], l: idx[3], lo: ideal - RING_HALF_WIDTH, hi: ideal + RING_HALF_WIDTH, sigma: RING_SIGMA, startOnly: true });
      }
    }
    const ring = ["C1'", "C2'", "C3'", "C4'", "O4'"].map((nm) => indexIn(r, nm));
    if (ring.every((i) => i >= 0)) topo.puckers.push({ ring: ring as PuckerRestraint['ring'], sigma: p.puckerSigmaDeg * DEG });
  }
  // O3'(i)-P(i+1) links between consecutive nucleotides of a chain.
  for (let k = 1; k < residues.length; k++) {
    const a = residues[k - 1], b = residues[k];
    if (!a.movable || !b.movable || a.chain !== b.chain) continue;
    const o3 = indexAt(a, "O3'"), pp = indexAt(b, 'P');
    if (o3 < 0 || pp < 0) continue;
    const d = Math.hypot(xyz[3 * o3] - xyz[3 * pp], xyz[3 * o3 + 1] - xyz[3 * pp + 1], xyz[3 * o3 + 2] - xyz[3 * pp + 2]);
    if (!isLinked(a.residue, b.residue, d, p.linkMaxA)) continue;
    const g = templateGeometry(templateNameOf(a.residue)!);
    topo.bonds.push({ i: o3, j: pp, ideal: g.link.bond, sigma: bondSigma * 0.75, kind: 'link' });
    for (const [x, y, z, th] of g.link.angles) {
      const idx = [x, y, z].map((nm) => (nm.startsWith('+') ? indexAt(b, nm.slice(1)) : indexAt(a, nm)));
      if (idx.every((i) => i >= 0)) topo.angles.push({ i: idx[0], j: idx[1], k: idx[2], ideal: th, sigma: angleSigma });
    }
  }
  // Exclusions from the covalent graph (1-2, 1-3), and 1-4 pairs.
  const adj: number[][] = Array.from({ length: n }, () => []);
  for (const b of topo.bonds) { adj[b.i].push(b.j); adj[b.j].push(b.i); }
  for (let i = 0; i < n; i++) {
    for (const j of adj[i]) {
      topo.excluded.add(pairKey(i, j, n));
      for (const k of adj[j]) {
        if (k === i) continue;
        topo.excluded.add(pairKey(i, k, n));
        for (const l of adj[k]) if (l !== j && l !== i) topo.oneFour.add(pairKey(i, l, n));
      }
    }
  }
  for (const key of topo.excluded) topo.oneFour.delete(key);
  if (p.basePairHbonds) addBasePairHbonds(topo);
  return topo;
}

/** Hydrogen-bond restraints (2.9 A, sigma 0.1 A) for Watson-Crick pairs already within 3.5 A. */
function addBasePairHbonds(topo: RefineTopology): void {
  const byName = new Map<string, number[]>();
  topo.residues.forEach((r, ri) => { if (r.movable && r.residue.base) for (let i = r.start; i < r.end; i++) { const key = `${r.residue.base}:${topo.atoms[i].name}`; (byName.get(key) ?? byName.set(key, []).get(key)!).push(i); } void ri; });
  for (const [b1, a1, b2, a2] of WC_HBONDS) {
    for (const i of byName.get(`${b1}:${a1}`) ?? []) for (const j of byName.get(`${b2}:${a2}`) ?? []) {
      const d = Math.hypot(topo.xyz[3 * i] - topo.xyz[3 * j], topo.xyz[3 * i + 1] - topo.xyz[3 * j + 1], topo.xyz[3 * i + 2] - topo.xyz[3 * j + 2]);
      if (d < 3.5) topo.bonds.push({ i, j, ideal: 2.9, sigma: 0.1, kind: 'hbond' });
    }
  }
}

/** Writes the flat coordinates back into the structure's atoms. */
export function applyCoordinates(topo: RefineTopology, xyz: Float64Array = topo.xyz): void {
  topo.atoms.forEach((a, i) => { a.x = xyz[3 * i]; a.y = xyz[3 * i + 1]; a.z = xyz[3 * i + 2]; });
}

export { pairKey };
