/** Geometry helpers for build tests: C4' RMSD by (chain, number), signed chirality volumes, clashes. */
import type { Structure, Residue } from '../../src/structure/model.js';
import { c4ChiralVolume } from '../../src/evaluate/chirality.js';

type V = [number, number, number];
const at = (r: Residue, n: string): V | null => { const a = r.atoms.find((x) => x.name === n); return a ? [a.x, a.y, a.z] : null; };

/** Signed volume at C4' (O4', C3', C5' around it): the evaluation's function (negative = natural). */
export function c4SignedVolume(r: Residue): number | null {
  return c4ChiralVolume(r) ?? null;
}

/** Residues of `built` whose C4' handedness differs from the residue with the same chain and number in `ref`. */
export function c4Inversions(built: Structure, ref: Structure): { inverted: number; compared: number } {
  const refRes = new Map<string, Residue>();
  for (const c of ref.chains) for (const r of c.residues) refRes.set(`${c.id}/${r.seqNum}`, r);
  let inverted = 0, compared = 0;
  for (const c of built.chains) for (const r of c.residues) {
    const o = refRes.get(`${c.id}/${r.seqNum}`);
    const vb = c4SignedVolume(r), vo = o ? c4SignedVolume(o) : null;
    if (vb === null || vo === null) continue;
    compared++;
    if (Math.sign(vb) !== Math.sign(vo)) inverted++;
  }
  return { inverted, compared };
}

/** C4' RMSD between residues with the same chain id and number. */
export function c4Rmsd(built: Structure, ref: Structure): { rmsdA: number; n: number } {
  const m = new Map<string, V>();
  for (const c of ref.chains) for (const r of c.residues) { const p = at(r, "C4'"); if (p) m.set(`${c.id}/${r.seqNum}`, p); }
  let e = 0, n = 0;
  for (const c of built.chains) for (const r of c.residues) {
    const p = at(r, "C4'"), q = m.get(`${c.id}/${r.seqNum}`);
    if (!p || !q) continue;
    e += (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2 + (p[2] - q[2]) ** 2;
    n++;
  }
  return { rmsdA: Math.sqrt(e / Math.max(1, n)), n };
}

/**
 * Heavy-atom pairs of different residues closer than 2.2 A per 1000 atoms, not counting the
 * O3'(i)-P(i+1) bond of consecutive residues of a chain. Brute force: test-sized models only.
 */
export function clashesPer1000(s: Structure, cutoffA = 2.2): number {
  const atoms: { x: number; y: number; z: number; name: string; res: number; chain: number }[] = [];
  let res = 0;
  s.chains.forEach((c, ci) => { for (const r of c.residues) { res++; for (const a of r.atoms) if (a.element !== 'H') atoms.push({ x: a.x, y: a.y, z: a.z, name: a.name, res, chain: ci }); } });
  let clashes = 0;
  for (let i = 0; i < atoms.length; i++) for (let j = i + 1; j < atoms.length; j++) {
    const a = atoms[i], b = atoms[j];
    if (a.res === b.res) continue;
    const d2 = (a.x - b.x) ** 2 + (a.y - b.y) ** 2 + (a.z - b.z) ** 2;
    if (d2 >= cutoffA * cutoffA) continue;
    const bonded = a.chain === b.chain && Math.abs(a.res - b.res) === 1 && ((a.name === "O3'" && b.name === 'P') || (a.name === 'P' && b.name === "O3'"));
    if (!bonded) clashes++;
  }
  return (clashes * 1000) / Math.max(1, atoms.length);
}
