import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { sharedDataOrSkip } from '../helpers/shared-data.js';
import { readStructure } from '../../src/io/structure-file.js';
import { evaluateModel } from '../../src/evaluate/index.js';
import type { Structure } from '../../src/structure/model.js';

function shifted(s: Structure, d: number, id: string): Structure['chains'] {
  return s.chains.map((c) => ({ ...c, id: c.id + id, residues: c.residues.map((r) => ({ ...r, atoms: r.atoms.map((a) => ({ ...a, x: a.x + d })) })) }));
}

test('one-to-one metrics: a model with every nucleotide twice keeps CryoREAD precision 1 but one-to-one precision 0.5', (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const ref = readStructure(join(dir, 'structures', 'cryoread_6v5b_drna.pdb'));
  const doubled: Structure = { chains: [...shifted(ref, 0.5, ''), ...shifted(ref, 1.5, 'x')] };
  const m = evaluateModel(doubled, ref);
  assert.equal(m.coverage, 1);
  assert.equal(m.precision, 1);
  assert.equal(m.oneToOne.coverage, 1);
  assert.equal(m.oneToOne.precision, 0.5);
  assert.equal(m.oneToOne.sequenceRecall, 1);
  assert.equal(m.oneToOne.pairs, 78);
  assert.ok(Math.abs(m.oneToOne.rmsdA - 0.5) < 1e-9, `RMSD ${m.oneToOne.rmsdA}`);
});

test('one-to-one metrics: wrong base letters on every second nucleotide cost sequence recall only; nothing pairs beyond the cut-off', (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const ref = readStructure(join(dir, 'structures', 'cryoread_6v5b_drna.pdb'));
  const swap: Record<string, string> = { A: 'G', G: 'A', C: 'U', U: 'C' };
  let k = 0;
  const relabelled: Structure = {
    chains: ref.chains.map((c) => ({ ...c, residues: c.residues.map((r) => (k++ % 2 === 0 && r.base ? { ...r, base: swap[r.base] as typeof r.base, name: swap[r.name] ?? r.name } : r)) })),
  };
  const m = evaluateModel(relabelled, ref);
  assert.equal(m.oneToOne.coverage, 1);
  assert.equal(m.oneToOne.precision, 1);
  assert.equal(m.oneToOne.sequenceMatches, 39);
  assert.ok(Math.abs(m.oneToOne.sequenceRecall - 0.5) < 1e-9);
  // nothing pairs beyond the cut-off
  const far = evaluateModel({ chains: shifted(ref, 30, '') }, ref);
  assert.equal(far.oneToOne.pairs, 0);
  assert.ok(Number.isNaN(far.oneToOne.rmsdA));
});

test('register recall: the right letters at the wrong residue numbers count for sequence recall, not for register recall', (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const ref = readStructure(join(dir, 'structures', 'cryoread_6v5b_drna.pdb'));
  const same = evaluateModel(ref, ref);
  assert.equal(same.oneToOne.registerRecall, 1);
  assert.equal(same.oneToOne.registerMatches, 78);
  // every residue of the first chain numbered 10 higher (a placement shifted along the sequence)
  const first = ref.chains[0].id;
  const nFirst = ref.chains[0].residues.filter((r) => r.base).length;
  const renumbered: Structure = { chains: ref.chains.map((c) => (c.id === first ? { ...c, residues: c.residues.map((r) => ({ ...r, seqNum: r.seqNum + 10 })) } : c)) };
  const m = evaluateModel(renumbered, ref);
  assert.equal(m.oneToOne.sequenceRecall, 1);
  assert.equal(m.oneToOne.registerMatches, 78 - nFirst);
  // another chain id: no register match either
  const renamed: Structure = { chains: ref.chains.map((c) => ({ ...c, id: `${c.id}x` })) };
  assert.equal(evaluateModel(renamed, ref).oneToOne.registerRecall, 0);
});
