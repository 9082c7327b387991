/**
 * Structure-level augmentation for training maps (issue 13): what real maps hold besides the nucleic
 * acid a structure file gives. Every function returns a new Structure and draws from the given Rng.
 *
 * - randomRotation: uniform random rotation (Shoemake quaternion).
 * - addDecoyProtein: protein from another structure placed against the nucleic acid (complexes are
 *   what most NA-containing maps are), residues that would clash removed; labelled protein.
 * - addIons / addWaters: Mg2+ at phosphate oxygens and ordered waters at N/O atoms (density blobs with
 *   no label: the network must not call them backbone).
 * - dropStretch: a disordered stretch of nucleotides with no density (and no labels).
 */
import { NeighbourGrid } from '../src/grid/neighbour-grid.js';
import { Structure, type Atom, type Chain, type Residue } from '../src/structure/model.js';
import { Rng } from '../src/util/random.js';

export type Mat3 = [number, number, number, number, number, number, number, number, number];

/** Uniform random rotation (unit quaternion from 3 uniforms, Shoemake). */
export function randomRotation(rng: Rng): Mat3 {
  const u1 = rng.next(), u2 = rng.next() * 2 * Math.PI, u3 = rng.next() * 2 * Math.PI;
  const a = Math.sqrt(1 - u1), b = Math.sqrt(u1);
  const [w, x, y, z] = [a * Math.sin(u2), a * Math.cos(u2), b * Math.sin(u3), b * Math.cos(u3)];
  return [
    1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
    2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
    2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
  ];
}

function mapAtoms(s: Structure, f: (a: Atom) => Atom): Structure {
  return { ...s, chains: s.chains.map((c) => ({ ...c, residues: c.residues.map((r) => ({ ...r, atoms: r.atoms.map(f) })) })) };
}

export function rotate(s: Structure, m: Mat3): Structure {
  return mapAtoms(s, (a) => ({ ...a, x: m[0] * a.x + m[1] * a.y + m[2] * a.z, y: m[3] * a.x + m[4] * a.y + m[5] * a.z, z: m[6] * a.x + m[7] * a.y + m[8] * a.z }));
}

function atomsOf(s: Structure, pred: (r: Residue) => boolean): Atom[] {
  const out: Atom[] = [];
  for (const c of s.chains) for (const r of c.residues) if (pred(r)) out.push(...r.atoms);
  return out;
}

const isNa = (r: Residue) => r.kind === 'rna' || r.kind === 'dna';

function centreAndRadius(atoms: Atom[]): { c: [number, number, number]; r: number } {
  const c: [number, number, number] = [0, 0, 0];
  for (const a of atoms) { c[0] += a.x; c[1] += a.y; c[2] += a.z; }
  for (let k = 0; k < 3; k++) c[k] /= atoms.length || 1;
  const d = atoms.map((a) => Math.hypot(a.x - c[0], a.y - c[1], a.z - c[2])).sort((x, y) => x - y);
  return { c, r: d[Math.floor(0.9 * (d.length - 1))] ?? 0 };
}

function gridOf(atoms: Atom[]): NeighbourGrid {
  return new NeighbourGrid({ count: atoms.length, x: atoms.map((a) => a.x), y: atoms.map((a) => a.y), z: atoms.map((a) => a.z) }, 4);
}

function randomUnit(rng: Rng): [number, number, number] {
  for (;;) {
    const v: [number, number, number] = [rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-1, 1)];
    const n = Math.hypot(...v);
    if (n > 0.1 && n <= 1) return [v[0] / n, v[1] / n, v[2] / n];
  }
}

/**
 * Adds ~`ratio` x (nucleic-acid atom count) protein atoms: a contiguous block of residues of a random
 * protein chain of `pool`, randomly rotated, its centre put against the nucleic acid's envelope in a
 * random direction; protein residues with an atom closer than 3 A to any nucleic-acid atom are dropped.
 */
export function addDecoyProtein(s: Structure, pool: readonly Residue[][], ratio: number, rng: Rng): Structure {
  const na = atomsOf(s, isNa);
  if (!na.length || !pool.length) return s;
  const chain = pool[rng.int(pool.length)];
  const want = Math.max(50, Math.round(ratio * na.length));
  const start = rng.int(Math.max(1, chain.length));
  const block: Residue[] = [];
  let n = 0;
  for (let i = 0; i < chain.length && n < want; i++) {
    const r = chain[(start + i) % chain.length];
    block.push(r);
    n += r.atoms.length;
  }
  let prot: Structure = { chains: [{ id: 'Zp', residues: block }] };
  prot = rotate(prot, randomRotation(rng));
  const pa = atomsOf(prot, () => true);
  const cp = centreAndRadius(pa), cn = centreAndRadius(na);
  const d = randomUnit(rng);
  const dist = 0.7 * (cn.r + cp.r);
  const t = [cn.c[0] + d[0] * dist - cp.c[0], cn.c[1] + d[1] * dist - cp.c[1], cn.c[2] + d[2] * dist - cp.c[2]];
  prot = mapAtoms(prot, (a) => ({ ...a, x: a.x + t[0], y: a.y + t[1], z: a.z + t[2] }));
  const g = gridOf(na);
  const kept = prot.chains[0].residues.filter((r) => r.atoms.every((a) => g.nearest(a.x, a.y, a.z, 3).index < 0));
  if (!kept.length) return s;
  return { ...s, chains: [...s.chains, { id: 'Zp', residues: kept }] };
}

function hetResidue(name: string, element: string, seqNum: number, p: [number, number, number]): Residue {
  return {
    name, originalName: name, seqNum, insCode: '', kind: 'other',
    atoms: [{ name: element.toUpperCase(), element, x: p[0], y: p[1], z: p[2], occupancy: 1, bFactor: 30, hetero: true }],
  };
}

/** Mg2+ 2.1 A out from a phosphate oxygen (OP1/OP2) of a `fraction` of the nucleotides. */
export function addIons(s: Structure, fraction: number, rng: Rng): Structure {
  const ions: Residue[] = [];
  for (const c of s.chains) for (const r of c.residues) {
    if (!isNa(r) || rng.next() >= fraction) continue;
    const P = r.atoms.find((a) => a.name === 'P');
    const ops = r.atoms.filter((a) => a.name === 'OP1' || a.name === 'OP2');
    if (!P || !ops.length) continue;
    const o = ops[rng.int(ops.length)];
    const v = [o.x - P.x, o.y - P.y, o.z - P.z];
    const n = Math.hypot(v[0], v[1], v[2]) || 1;
    ions.push(hetResidue('MG', 'Mg', 9000 + ions.length, [o.x + 2.1 * v[0] / n, o.y + 2.1 * v[1] / n, o.z + 2.1 * v[2] / n]));
  }
  return ions.length ? { ...s, chains: [...s.chains, { id: 'Zi', residues: ions }] } : s;
}

/** `count` waters 2.8 A from random N/O atoms, none closer than 2.5 A to another atom. */
export function addWaters(s: Structure, count: number, rng: Rng): Structure {
  const all = atomsOf(s, () => true);
  const polar = all.filter((a) => a.element === 'N' || a.element === 'O');
  if (!polar.length) return s;
  const g = gridOf(all);
  const waters: Residue[] = [];
  const placed: [number, number, number][] = [];
  for (let tries = 0; tries < count * 5 && waters.length < count; tries++) {
    const a = polar[rng.int(polar.length)];
    const d = randomUnit(rng);
    const p: [number, number, number] = [a.x + 2.8 * d[0], a.y + 2.8 * d[1], a.z + 2.8 * d[2]];
    if (g.nearest(p[0], p[1], p[2], 2.5).index >= 0) continue;
    if (placed.some((q) => Math.hypot(q[0] - p[0], q[1] - p[1], q[2] - p[2]) < 2.5)) continue;
    placed.push(p);
    waters.push(hetResidue('HOH', 'O', 10000 + waters.length, p));
  }
  return waters.length ? { ...s, chains: [...s.chains, { id: 'Zw', residues: waters }] } : s;
}

/** Removes `length` consecutive nucleotides from a random nucleic-acid chain of >= 12 nucleotides. */
export function dropStretch(s: Structure, length: number, rng: Rng): Structure {
  const chains = s.chains.filter((c) => c.residues.filter(isNa).length >= 12);
  if (!chains.length) return s;
  const target = chains[rng.int(chains.length)];
  const idx = target.residues.map((r, i) => (isNa(r) ? i : -1)).filter((i) => i >= 0);
  const from = rng.int(idx.length - length);
  const drop = new Set(idx.slice(from, from + length));
  return { ...s, chains: s.chains.map((c): Chain => (c === target ? { ...c, residues: c.residues.filter((_, i) => !drop.has(i)) } : c)) };
}

/** Protein chains (residue lists, >= 30 residues) of a structure, for addDecoyProtein's pool. */
export function proteinChains(s: Structure): Residue[][] {
  return s.chains.map((c) => c.residues.filter((r) => r.kind === 'protein')).filter((rs) => rs.length >= 30);
}

export { Structure };
