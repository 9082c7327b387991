/**
 * refineModel (built-in engine): distorted geometry refines back with and without a map, a model
 * shifted / perturbed by 1-2 A in a simulated map moves back towards the truth, protein atoms stay,
 * runs are deterministic and an AbortSignal stops them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readStructure } from '../../src/io/structure-file.js';
import type { Structure } from '../../src/structure/model.js';
import { Structure as S } from '../../src/structure/model.js';
import { simulateMap } from '../../src/simulate/simulate-map.js';
import { refineModel } from '../../src/refine/refine-model.js';
import { AbortError } from '../../src/util/errors.js';
import { Rng } from '../../src/util/random.js';
import { sharedDataOrSkip, sharedPath } from '../helpers/shared-data.js';
import { idealStrand } from '../helpers/ideal-strand.js';

function copy(s: Structure): Structure {
  return { ...s, chains: s.chains.map((c) => ({ ...c, residues: c.residues.map((r) => ({ ...r, atoms: r.atoms.map((a) => ({ ...a })) })) })) };
}
function jitter(s: Structure, sigmaA: number, seed: number, shift: [number, number, number] = [0, 0, 0]): Structure {
  const out = copy(s), rng = new Rng(seed);
  for (const { atom } of S.atoms(out)) { atom.x += shift[0] + sigmaA * rng.normal(); atom.y += shift[1] + sigmaA * rng.normal(); atom.z += shift[2] + sigmaA * rng.normal(); }
  return out;
}
/** RMSD over atoms of the same chain / residue / name (heavy atoms of nucleotides). */
function rmsdTo(a: Structure, b: Structure, name?: string): number {
  const key = (c: string, r: number, n: string) => `${c}/${r}/${n}`;
  const ref = new Map<string, { x: number; y: number; z: number }>();
  for (const { chain, residue, atom } of S.atoms(b)) ref.set(key(chain.id, residue.seqNum, atom.name), atom);
  let s = 0, n = 0;
  for (const { chain, residue, atom } of S.atoms(a)) {
    if (residue.kind !== 'rna' && residue.kind !== 'dna') continue;
    if (name && atom.name !== name) continue;
    const r = ref.get(key(chain.id, residue.seqNum, atom.name));
    if (!r) continue;
    s += (atom.x - r.x) ** 2 + (atom.y - r.y) ** 2 + (atom.z - r.z) ** 2; n++;
  }
  return Math.sqrt(s / n);
}
function firstResidues(s: Structure, n: number): Structure {
  const c = s.chains.find((ch) => ch.residues.some((r) => r.kind === 'rna' || r.kind === 'dna'))!;
  return { chains: [{ ...c, residues: c.residues.filter((r) => r.kind === 'rna' || r.kind === 'dna').slice(0, n) }], source: s.source };
}

test('a distorted ideal strand refines back without a map (bond RMSD < 0.02 A, no chirality errors)', async () => {
  const truth = idealStrand('A', 6);
  const bad = jitter(truth, 0.25, 11);
  const r = await refineModel(bad, null, { cycles: 3 });
  assert.ok(r.before.geometry.bondRmsdA > 0.2, `distorted: ${r.before.geometry.bondRmsdA}`);
  assert.ok(r.after.geometry.bondRmsdA < 0.02, `bond RMSD after ${r.after.geometry.bondRmsdA}`);
  assert.ok(r.after.geometry.angleRmsdDeg < 2.5, `angle RMSD after ${r.after.geometry.angleRmsdDeg}`);
  assert.equal(r.after.geometry.chiralityErrors, 0);
  assert.ok(r.notes.some((n) => n.includes('no map')));
  // The input is not modified.
  assert.equal(rmsdTo(bad, jitter(truth, 0.25, 11)), 0);
});

test('a distorted strand refines back inside its simulated map (bond RMSD < 0.02 A, atoms closer to the truth)', async () => {
  const truth = idealStrand('G', 8);
  const map = simulateMap(truth, { resolutionA: 3.5, padA: 8 });
  const bad = jitter(truth, 0.3, 5);
  const r = await refineModel(bad, map, { resolutionA: 3.5 });
  assert.ok(r.after.geometry.bondRmsdA < 0.02 && r.after.geometry.bondRmsdA > 0.002, `bond RMSD after ${r.after.geometry.bondRmsdA}`);
  assert.equal(r.after.geometry.chiralityErrors, 0);
  const before = rmsdTo(bad, truth), after = rmsdTo(r.structure, truth);
  assert.ok(after < 0.5 * before, `all-atom RMSD to truth ${before.toFixed(3)} -> ${after.toFixed(3)}`);
  assert.ok(r.after.mapScore > r.before.mapScore);
  assert.ok(r.iterations.length > 20 && r.iterations.every((it) => Number.isFinite(it.energy) && it.bondRmsdA >= 0));
  assert.ok(r.cycles[0].stage === 'rigid' && r.cycles.slice(1).every((c) => c.stage === 'all-atom'));
});

test('a real RNA shifted by 1.5 A and perturbed inside a simulated 3.7 A map refines back towards the truth', async (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const truth = firstResidues(readStructure(sharedPath(dir, 'structures', 'rna3db_1ehz.cif')), 30);
  const map = simulateMap(truth, { resolutionA: 3.7, padA: 10, noiseSnr: 5, seed: 3 });
  const bad = jitter(truth, 0.3, 9, [1.0, -0.8, 0.7]);
  const events: string[] = [];
  const r = await refineModel(bad, map, { resolutionA: 3.7 }, { onProgress: (e) => events.push(e.stage) });
  const before = rmsdTo(bad, truth, "C4'"), after = rmsdTo(r.structure, truth, "C4'");
  assert.ok(before > 1.3, `perturbed C4' RMSD ${before}`);
  assert.ok(after < 0.6 * before, `C4' RMSD to truth ${before.toFixed(2)} -> ${after.toFixed(2)}`);
  assert.ok(r.after.geometry.bondRmsdA <= 0.021, `bond RMSD ${r.after.geometry.bondRmsdA}`);
  assert.ok(r.after.geometry.angleRmsdDeg <= 2.5, `angle RMSD ${r.after.geometry.angleRmsdDeg}`);
  assert.equal(r.after.geometry.chiralityErrors, 0, `chirality errors before ${r.before.geometry.chiralityErrors}`);
  assert.ok(r.after.clashes <= r.before.clashes);
  assert.ok(events.includes('refine/rigid') && events.includes('refine/cycle'));
});

test('a nucleotide displaced 3 A along the backbone of a real RNA refines back into place (simulated 3.7 A map)', async (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const truth = firstResidues(readStructure(sharedPath(dir, 'structures', 'rna3db_1ehz.cif')), 30);
  const map = simulateMap(truth, { resolutionA: 3.7, padA: 10, noiseSnr: 5, seed: 3 });
  const c4 = (s: Structure, k: number) => S.findAtom(s.chains[0].residues[k], "C4'")!;
  for (const [k, shiftA] of [[14, 3], [24, -3]] as [number, number][]) {
    // Residue k moved rigidly by shiftA along the backbone (its neighbours' C4'-C4' direction): its O3'-P
    // links stretch to ~4-5 A on one side and squeeze on the other.
    const bad = copy(truth);
    const a = c4(truth, k - 1), b = c4(truth, k + 1), len = Math.hypot(b.x - a.x, b.y - a.y, b.z - a.z);
    for (const atom of bad.chains[0].residues[k].atoms) { atom.x += (shiftA * (b.x - a.x)) / len; atom.y += (shiftA * (b.y - a.y)) / len; atom.z += (shiftA * (b.z - a.z)) / len; }
    const r = await refineModel(bad, map, { resolutionA: 3.7 });
    const d = (s: Structure, i: number) => { const x = c4(s, i), y = c4(truth, i); return Math.hypot(x.x - y.x, x.y - y.y, x.z - y.z); };
    assert.ok(Math.abs(d(bad, k) - 3) < 1e-6);
    assert.ok(d(r.structure, k) < 0.6, `residue ${k + 1}: C4' ${d(bad, k).toFixed(2)} -> ${d(r.structure, k).toFixed(2)} A from the truth`);
    for (let i = 0; i < 30; i++) if (i !== k) assert.ok(d(r.structure, i) < 0.75, `residue ${i + 1} (not displaced) ends ${d(r.structure, i).toFixed(2)} A from the truth`);
    assert.ok(r.after.geometry.bondRmsdA <= 0.02, `bond RMSD ${r.after.geometry.bondRmsdA}`);
    assert.equal(r.after.geometry.chiralityErrors, 0);
  }
});

test('protein atoms stay in place; runs are deterministic', async () => {
  const s = idealStrand('A', 4);
  // A glycine next to the strand (fixed atom set).
  const a0 = s.chains[0].residues[1].atoms[0];
  s.chains.push({ id: 'P', residues: [{ name: 'GLY', originalName: 'GLY', seqNum: 1, insCode: '', kind: 'protein', atoms: [
    { name: 'N', element: 'N', x: a0.x + 2.5, y: a0.y, z: a0.z, occupancy: 1, bFactor: 20, hetero: false },
    { name: 'CA', element: 'C', x: a0.x + 3.9, y: a0.y, z: a0.z, occupancy: 1, bFactor: 20, hetero: false },
  ] }] });
  const map = simulateMap(s, { resolutionA: 4, padA: 8 });
  const bad = jitter(s, 0.2, 2);
  const r1 = await refineModel(bad, map, { resolutionA: 4, cycles: 2 });
  const r2 = await refineModel(bad, map, { resolutionA: 4, cycles: 2 });
  const prot = (x: Structure) => x.chains[1].residues[0].atoms.map((a) => [a.x, a.y, a.z]);
  assert.deepEqual(prot(r1.structure), prot(bad));
  assert.equal(r1.fixedAtoms, 2);
  assert.ok(r1.notes.some((n) => n.includes('kept in place')));
  assert.equal(rmsdTo(r1.structure, r2.structure), 0);
  assert.deepEqual(r1.iterations.map((i) => i.energy), r2.iterations.map((i) => i.energy));
});

test('an AbortSignal stops refinement between iterations; bad input gives typed errors', async () => {
  const s = idealStrand('A', 4);
  const map = simulateMap(s, { resolutionA: 4, padA: 8 });
  const ac = new AbortController();
  let n = 0;
  await assert.rejects(refineModel(s, map, { resolutionA: 4 }, { signal: ac.signal, onProgress: () => { if (++n === 2) ac.abort(); } }), AbortError);
  await assert.rejects(refineModel(s, map, {}), /resolutionA=0; give the map resolution/);
  await assert.rejects(refineModel({ chains: [] }, null, {}), /no DNA\/RNA nucleotides/);
  await assert.rejects(refineModel(s, map, { resolutionA: 4, rounds: 0 }), /rounds=0; give a whole number >= 1/);
});

test('rounds: each round runs the placement search, the rigid-body fit and its all-atom cycles again, numbered on', async () => {
  const truth = idealStrand('G', 5);
  const map = simulateMap(truth, { resolutionA: 3.7, padA: 8, noiseSnr: 5, seed: 5 });
  const r = await refineModel(truth, map, { resolutionA: 3.7, cycles: 2, rounds: 2 });
  assert.deepEqual(r.cycles.map((c) => `${c.stage}${c.cycle}`).slice(0, 6), ['rigid0', 'all-atom1', 'all-atom2', 'rigid0', 'all-atom3', 'all-atom4']);
  assert.equal(r.notes.filter((n) => n.startsWith('placement search')).length, 2);
  assert.ok(r.after.geometry.bondRmsdA <= 0.02 && r.after.geometry.chiralityErrors === 0);
});
