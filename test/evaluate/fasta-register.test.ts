import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { alignToRecord, fastaRegisterMaps, modelRecordsFromLetters } from '../../src/evaluate/fasta-register.js';
import { evaluateModel } from '../../src/evaluate/evaluate-model.js';
import { evaluateAgainst, evaluateAgainstStructure } from '../../src/pipeline/evaluate-hook.js';
import { readStructure, writeStructure } from '../../src/io/structure-file.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFasta } from '../../src/io/fasta.js';
import { Structure } from '../../src/structure/model.js';
import type { BuiltChainInfo } from '../../src/build/numbering.js';
import { sharedDataOrSkip, sharedPath } from '../helpers/shared-data.js';

const FASTA = fileURLToPath(new URL('../../example/21051.fasta', import.meta.url));

test('alignToRecord: a chain inside a longer record, a residue missing in the middle, a mismatch, T for U', () => {
  const exact = alignToRecord('GACU', 'UUGACUAA');
  assert.deepEqual(exact.positions, [3, 4, 5, 6]);
  assert.equal(exact.identity, 1);
  const gap = alignToRecord('GAUAC', 'GACUACG');
  assert.deepEqual(gap.positions, [1, 2, 4, 5, 6], 'the record C at 3 is not in the chain');
  const mismatch = alignToRecord('GGCU', 'AGACUA');
  assert.deepEqual(mismatch.positions, [2, 3, 4, 5]);
  assert.equal(mismatch.identity, 0.75);
  assert.deepEqual(alignToRecord('ACT', 'GACUG').positions, [2, 3, 4], 'DNA letters against an RNA record');
});

test('register recall through the FASTA: a model numbered by FASTA position in its own chain ids matches a reference with other ids and numbers', (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  // The bundled example's reference: one chain with a blank id, numbered its own way.
  const reference = readStructure(sharedPath(dir, 'structures', 'cryoread_6v5b_drna.pdb'));
  const records = readFasta(FASTA);
  const nts = reference.chains.flatMap((c) => c.residues.filter(Structure.isSequenceNucleotide));
  assert.equal(nts.length, records[0].sequence.length, 'the reference models every FASTA letter');
  // A "model": the reference itself in two chains X (positions 1-40) and Y (41-78), numbered by FASTA position.
  const renumbered = nts.map((r, k) => ({ ...r, seqNum: k + 1, insCode: '' }));
  const model = { ...reference, chains: [{ id: 'X', residues: renumbered.slice(0, 40) }, { id: 'Y', residues: renumbered.slice(40) }] } as Structure;
  const assigned = (id: string) => (id === 'X' || id === 'Y' ? 0 : null);
  const register = fastaRegisterMaps(reference, records, assigned);
  const m = evaluateModel(model, reference, {}, { register });
  assert.equal(m.oneToOne.pairs, 78);
  assert.equal(m.oneToOne.registerRecall, 1);
  assert.equal(evaluateModel(model, reference).oneToOne.registerRecall, 0, 'by chain id and number the same model scores 0');
  // Shifted by one position: every letter pair still matches in space, none in register.
  const shifted = { ...model, chains: model.chains.map((c) => ({ ...c, residues: c.residues.map((r) => ({ ...r, seqNum: r.seqNum + 1 })) })) };
  assert.equal(evaluateModel(shifted, reference, {}, { register }).oneToOne.registerRecall, 0);
  // Unassigned chains (geometry only) never count.
  assert.equal(evaluateModel(model, reference, {}, { register: fastaRegisterMaps(reference, records, (id) => (id === 'X' ? 0 : null)) }).oneToOne.registerMatches, 40);
  // The pipeline hook reads the chain -> record assignment from the built model's chainInfo.
  const info = (id: string, n: number): BuiltChainInfo => ({ id, assigned: id === 'Y' ? null : { recordIndex: 0, recordChainId: '3' }, firstSeqNum: 1, lastSeqNum: n, residues: n, baseCallProbability: [] });
  const built = { ...model, chainInfo: [info('X', 40), info('Y', 38)] };
  const viaHook = evaluateAgainst(built, sharedPath(dir, 'structures', 'cryoread_6v5b_drna.pdb'), records);
  assert.equal(viaHook.oneToOne.registerMatches, 40);
  assert.equal(evaluateAgainst(built, sharedPath(dir, 'structures', 'cryoread_6v5b_drna.pdb')).oneToOne.registerMatches, 0, 'without the FASTA: chain ids and numbers');
  // A record's chain the build split under a second id (both assigned to the record) counts whole (bench/real-density
  // counts this way since session 13; by chain id only the piece that kept the record's id would).
  const split = { ...model, chainInfo: [info('X', 40), { ...info('X', 38), id: 'Y', assigned: { recordIndex: 0, recordChainId: '3' } }] };
  assert.equal(evaluateAgainstStructure(split, reference, records).oneToOne.registerMatches, 78);
});

test('model chains recognised by their letters: a chain numbered by record position is assigned, one numbered 1..n with its own letters is not', () => {
  const records = [{ sequence: 'GGACUUCGAAGCUAGC', moleculeType: 'rna' as const }, { sequence: 'MKV', moleculeType: 'protein' as const }];
  const nt = (seqNum: number, base: string) => ({ name: base, seqNum, insCode: '', kind: 'rna', base, atoms: [] });
  const model = { chains: [
    { id: 'A', residues: [5, 6, 7, 8, 9].map((k) => nt(k, records[0].sequence[k - 1])) },
    { id: 'B', residues: [nt(1, 'C'), nt(2, 'C'), nt(3, 'U'), nt(4, 'A')] },
    { id: 'C', residues: [nt(3, 'A'), nt(4, 'C')] },
  ] } as unknown as Structure;
  const recordOf = modelRecordsFromLetters(model, records);
  assert.equal(recordOf('A'), 0);
  assert.equal(recordOf('B'), null, 'letters do not match the record at those numbers');
  assert.equal(recordOf('C'), null, 'too few residues to tell');
  assert.equal(recordOf('Z'), null);
});

test('cryoread evaluate --fasta: register recall by FASTA position for a model file with its own chain ids', async (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const refPath = sharedPath(dir, 'structures', 'cryoread_6v5b_drna.pdb');
  const reference = readStructure(refPath);
  const nts = reference.chains.flatMap((c) => c.residues.filter(Structure.isSequenceNucleotide));
  const model = { ...reference, chains: [{ id: 'Q', residues: nts.map((r, k) => ({ ...r, seqNum: k + 1, insCode: '' })) }] } as Structure;
  const tmp = mkdtempSync(join(tmpdir(), 'cryoread-eval-fasta-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const modelPath = writeStructure(join(tmp, 'model.pdb'), model);
  const { run } = await import('../../src/cli/evaluate.js');
  const json = async (argv: string[]) => {
    let out = '';
    const o = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => { out += s; return true; }) as typeof process.stdout.write;
    try { assert.equal(await run(argv), 0); } finally { process.stdout.write = o; }
    return JSON.parse(out);
  };
  assert.equal((await json([modelPath, refPath, '--json'])).oneToOne.registerRecall, 0, 'chain ids differ: 0 without the FASTA');
  assert.equal((await json([modelPath, refPath, '--json', '--fasta', FASTA])).oneToOne.registerRecall, 1);
});
