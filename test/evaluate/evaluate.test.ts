import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { sharedDataOrSkip } from '../helpers/shared-data.js';
import { readStructure } from '../../src/io/structure-file.js';
import { evaluateModel, clashScore, chiralityInversions, chiralityReport } from '../../src/evaluate/index.js';
import type { Structure, Residue, BaseLetter } from '../../src/structure/model.js';
import { InputError } from '../../src/util/errors.js';

const clone = (s: Structure): Structure => structuredClone({ chains: s.chains, source: s.source });
function shifted(s: Structure, dx: number, dy: number, dz: number): Structure {
  const c = clone(s);
  for (const ch of c.chains) for (const r of ch.residues) for (const a of r.atoms) { a.x += dx; a.y += dy; a.z += dz; }
  return c;
}
function setBase(r: Residue, b: BaseLetter): void {
  r.base = b;
  r.name = r.kind === 'dna' ? 'D' + b : b;
  r.originalName = r.name;
}

function load(t: import('node:test').TestContext, f: string): Structure | null {
  const dir = sharedDataOrSkip(t);
  return dir ? readStructure(join(dir, 'structures', f)) : null;
}

test('a model against itself: coverage, precision, sequence recall 1; deviations 0', (t) => {
  const ref = load(t, 'cryoread_6v5b_drna.pdb');
  if (!ref) return;
  const m = evaluateModel(clone(ref), ref);
  assert.equal(m.counts.referenceNucleotides, 78);
  assert.equal(m.coverage, 1);
  assert.equal(m.precision, 1);
  assert.equal(m.sequenceRecall, 1);
  assert.equal(m.sequencePrecision, 1);
  assert.equal(m.sequenceRecallMatch, 1);
  assert.equal(m.sequencePrecisionMatch, 1);
  assert.equal(m.rmsdA, 0);
  assert.equal(m.meanBackboneDeviationA, 0);
  assert.equal(m.pRecall3A, 1);
  assert.equal(m.counts.rmsdPairs, 78);
  assert.equal(m.counts.referencePhosphates, 78);
  assert.ok(m.clashesPer1000 < 5, `deposited model clashes ${m.clashesPer1000}`);
});

test('a copy shifted by 1 A: deviation 1, C4\' RMSD 1, all else 1; 3.5 A shift loses P recall; far away loses coverage', (t) => {
  const ref = load(t, 'cryoread_6v5b_drna.pdb');
  if (!ref) return;
  const d = 1 / Math.sqrt(3);
  const m = evaluateModel(shifted(ref, d, d, d), ref);
  assert.equal(m.coverage, 1);
  assert.equal(m.precision, 1);
  assert.equal(m.sequenceRecall, 1);
  assert.ok(Math.abs(m.rmsdA - 1) < 1e-9, `rmsd ${m.rmsdA}`);
  assert.ok(Math.abs(m.meanBackboneDeviationA - 1) < 1e-9, `mean deviation ${m.meanBackboneDeviationA}`);
  assert.equal(m.pRecall3A, 1);
  const far = evaluateModel(shifted(ref, 3.5, 0, 0), ref);
  // 3 of the 78 reference P atoms find a neighbour's shifted P within 3 A (measured).
  assert.equal(far.counts.recalledPhosphates, 3);
  assert.equal(far.pRecall3A, 3 / 78);
  assert.equal(far.coverage, 1);
  // At 3.5 A (about one base-stacking rise) some neighbours come closer than the residue's own copy:
  // measured values, pinned to catch regressions.
  assert.ok(Math.abs(far.meanBackboneDeviationA - 3.482) < 1e-3, `mean deviation ${far.meanBackboneDeviationA}`);
  assert.ok(Math.abs(far.rmsdA - 3.450) < 1e-3, `rmsd ${far.rmsdA}`);
  assert.equal(far.counts.rmsdPairs, 70);
  assert.equal(far.counts.sequenceMatches, 77);
  const gone = evaluateModel(shifted(ref, 0, 0, 500), ref);
  assert.equal(gone.coverage, 0);
  assert.equal(gone.precision, 0, 'no used model nucleotides');
  assert.equal(gone.counts.usedModel, 0);
  assert.ok(Number.isNaN(gone.rmsdA));
});

test('changing two residues\' base letters lowers sequence recall by exactly 2/N, not coverage', (t) => {
  const ref = load(t, 'cryoread_6v5b_drna.pdb');
  if (!ref) return;
  const model = clone(ref);
  const rs = model.chains[0].residues;
  const a = rs.findIndex((r) => r.base === 'A'), c = rs.findIndex((r, i) => i > 30 && r.base === 'C');
  setBase(rs[a], 'G');
  setBase(rs[c], 'U');
  const m = evaluateModel(model, ref);
  const n = 78;
  assert.ok(Math.abs(m.sequenceRecall - (n - 2) / n) < 1e-12, `recall ${m.sequenceRecall}`);
  assert.ok(Math.abs(m.sequencePrecision - (n - 2) / n) < 1e-12);
  assert.equal(m.counts.sequenceMatches, n - 2);
  assert.equal(m.coverage, 1);
  assert.equal(m.rmsdA, 0, 'C4\' RMSD ignores letters');
  // compat: the label is a 4th coordinate, so with letters unchanged both modes agree exactly ...
  const same = evaluateModel(shifted(ref, 4.5, 0, 0), ref, { compat: true });
  const sameDefault = evaluateModel(shifted(ref, 4.5, 0, 0), ref);
  assert.deepEqual({ ...same, params: null }, { ...sameDefault, params: null });
  // ... and with A->G (label 0->3) on a 4.5 A shift, sqrt(4.5^2 + 3^2) = 5.41 > 5 uncovers exactly that residue.
  const moved = shifted(model, 4.5, 0, 0);
  const def = evaluateModel(moved, ref);
  const compat = evaluateModel(moved, ref, { compat: true });
  assert.equal(def.coverage, 1);
  assert.equal(compat.counts.coveredReference, def.counts.coveredReference - 1);
  assert.equal(compat.rmsdA, def.rmsdA, 'atom-level numbers do not use the label');
  assert.equal(compat.pRecall3A, def.pRecall3A);
});

function residue(name: BaseLetter | 'HOH', seq: number, atoms: [string, string, number, number, number][]): Residue {
  return { name, originalName: name, seqNum: seq, insCode: '', kind: name === 'HOH' ? 'other' : 'rna', base: name === 'HOH' ? undefined : name,
    atoms: atoms.map(([n, el, x, y, z]) => ({ name: n, element: el, x, y, z, occupancy: 1, bFactor: 0, hetero: false })) };
}

test('clashes: heavy atoms of different residues < 2.2 A; links, 1-3 pairs across links, hydrogens, water, metals excluded', () => {
  const s: Structure = { chains: [{ id: 'A', residues: [
    residue('G', 1, [["C4'", 'C', 0, 0, 0], ["O3'", 'O', 1.4, 0, 0], ['N1', 'N', 0, 1.0, 0]]),
    residue('A', 2, [['P', 'P', 3.0, 0, 0], ['OP1', 'O', 3.5, 1.5, 0], ['H8', 'H', 1.4, 0.8, 0]]), // O3'-P 1.6 A: link; O3'-OP1 2.58
    residue('U', 3, [['C2', 'C', 0, 3.0, 0], ['N3', 'N', 3.0, 3.3, 0]]), // N1(1)-C2(3) 2.0 A: clash; OP1(2)-N3 1.87: clash
    residue('C', 4, [['P', 'P', 30, 0, 0], ['C5', 'C', 32.3, 0, 0], ['OP2', 'O', 29, -1.5, 0]]), // C5 2.3 A from O3'(5)? no: 2.86
    residue('C', 5, [["O3'", 'O', 30, 1.7, 0], ["C3'", 'C', 29, 2.5, 0]]), // O3'(5)-P(4) 1.7: a link (any order); C3'(5)-P(4) 1-3
    residue('C', 7, [['P', 'P', 0, -1.9, 0]]), // P 1.9 A from C4'(1), not linked: clash
    residue('HOH', 8, [['O', 'O', 0.5, -0.5, 0]]), // water: ignored
  ] }, { id: 'M', residues: [
    { name: 'MG', originalName: 'MG', seqNum: 1, insCode: '', kind: 'other', atoms: [{ name: 'MG', element: 'Mg', x: 3.5, y: 1.5, z: 2.0, occupancy: 1, bFactor: 0, hetero: true }] },
    { name: 'GLY', originalName: 'GLY', seqNum: 2, insCode: '', kind: 'protein', atoms: [['CA', 'C', 50, 0, 0], ['C', 'C', 51.5, 0, 0], ['O', 'O', 52.0, 0.9, 0]].map(([n, el, x, y, z]) => ({ name: n as string, element: el as string, x: x as number, y: y as number, z: z as number, occupancy: 1, bFactor: 0, hetero: false })) },
    { name: 'GLY', originalName: 'GLY', seqNum: 3, insCode: '', kind: 'protein', atoms: [['N', 'N', 52.1, -1.2, 0], ['CA', 'C', 53.5, -1.4, 0]].map(([n, el, x, y, z]) => ({ name: n as string, element: el as string, x: x as number, y: y as number, z: z as number, occupancy: 1, bFactor: 0, hetero: false })) },
  ] }] };
  const r = clashScore(s);
  // peptide: C(2)-N(3) 1.34 A is the link, O(2)-N(3) 2.10 A is 1-3 across it: neither clashes.
  assert.equal(r.heavyAtoms, 18, 'H, water and Mg not counted');
  assert.equal(r.clashes, 3, r.worst.join('; '));
  assert.ok(Math.abs(r.clashesPer1000 - 3000 / 18) < 1e-9);
  assert.match(r.worst[0], /A2 OP1 - A3 N3 1\.87 A/);
  assert.equal(clashScore(s, { cutoffA: 1.88 }).clashes, 1);
});

test('clashes of deposited structures: 0 for 6V5B chain D and for tRNA 1EHZ (with Mg and water)', (t) => {
  const a = load(t, 'cryoread_6v5b_drna.pdb');
  const b = load(t, 'rna3db_1ehz.cif');
  if (!a || !b) return;
  assert.equal(clashScore(a).clashes, 0);
  assert.equal(clashScore(b).clashes, 0);
  assert.equal(clashScore(a).heavyAtoms, 1652);
});

test('chirality: real nucleotides 0 inversions, a mirror image inverts every one', (t) => {
  const ref = load(t, 'rp_rp04_4_solution_0_rpr.pdb');
  if (!ref) return;
  const rep = chiralityReport(ref);
  assert.equal(rep.checked, 126);
  assert.equal(chiralityInversions(ref), 0);
  const mirror = clone(ref);
  for (const ch of mirror.chains) for (const r of ch.residues) for (const a of r.atoms) a.z = -a.z;
  assert.equal(chiralityInversions(mirror), 126);
});

test('evaluate rejects a reference without nucleotides and bad cutoffs', () => {
  const empty: Structure = { chains: [], source: 'empty.pdb' };
  assert.throws(() => evaluateModel(empty, empty), (e: unknown) => e instanceof InputError && /empty\.pdb: no DNA\/RNA/.test((e as Error).message));
  const one: Structure = { chains: [{ id: 'A', residues: [residue('G', 1, [['P', 'P', 0, 0, 0]])] }] };
  assert.throws(() => evaluateModel(one, one, { cutoffA: 0 }), InputError);
  assert.equal(evaluateModel(one, one).coverage, 1);
});

test('sequence matching: pass 1 nearest same-label pairs, pass 2 hands a model nucleotide to a closer free reference', () => {
  const one = (b: BaseLetter, x: number) => residue(b, Math.round(x * 10), [["C4'", 'C', x, 0, 0]]);
  const mk = (rs: Residue[]): Structure => ({ chains: [{ id: 'A', residues: rs }] });
  // r0 A@0, r1 A@3; model: G@0.1 (nearest to r0, wrong letter), G@3.1 (nearest to r1, wrong letter), A@2.5.
  // Pass 2 for r0 meets A@2.5 (2.5 A away) but r1 is free, same letter and closer (0.5 A): r1 gets it.
  const ref = mk([one('A', 0), one('A', 3)]);
  const model = mk([one('G', 0.1), one('G', 3.1), one('A', 2.5)]);
  const m = evaluateModel(model, ref);
  assert.equal(m.counts.sequenceMatches, 1);
  assert.equal(m.sequenceRecall, 0.5);
  assert.equal(m.coverage, 1);
  assert.equal(m.precision, 1);
  assert.equal(m.sequencePrecision, 1 / 3);
  // r0 A@0, r1 C@3; model C@1, A@2.5: pass 1 fails for both (nearest has the other letter), pass 2 matches both.
  const m2 = evaluateModel(mk([one('C', 1), one('A', 2.5)]), mk([one('A', 0), one('C', 3)]));
  assert.equal(m2.sequenceRecall, 1);
});
