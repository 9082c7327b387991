import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dropDuplicateResidues } from '../../src/pipeline/dedupe.js';
import type { CoarseChain, CoarseResidue } from '../../src/build/types.js';

const res = (seqNum: number, letter: CoarseResidue['letter'], x: number, confidence: number): CoarseResidue =>
  ({ seqNum, letter, moleculeType: 'rna', phosphateA: [x - 3, 1, 0], sugarA: [x, 0, 0], baseA: null, confidence, baseCallProbability: confidence });

test('duplicates: two consecutive residues < 4 A apart are one; the better one is kept whole (number and letter agree with the FASTA)', () => {
  // FASTA ... 65 G, 66 U, 67 G, 68 A: 66 and 67 are one nucleotide traced twice (2 A apart), 67 scores higher.
  const chain: CoarseChain = { chainId: 'A', assigned: { recordIndex: 0, recordChainId: 'A' }, residues: [res(65, 'G', 0, 0.8), res(66, 'U', 6, 0.3), res(67, 'G', 8, 0.9), res(68, 'A', 14, 0.8)] };
  const r = dropDuplicateResidues([chain]);
  assert.equal(r.dropped, 1);
  assert.deepEqual(r.chains[0].residues.map((x) => `${x.seqNum}${x.letter}`), ['65G', '67G', '68A'], 'never 66 with the letter of 67');
  assert.equal(r.chains[0].residues[1], chain.residues[2]);
  // The lower-scoring later copy is dropped and the earlier residue stays as it was.
  const other: CoarseChain = { ...chain, residues: [res(65, 'G', 0, 0.8), res(66, 'U', 6, 0.9), res(67, 'G', 8, 0.3), res(68, 'A', 14, 0.8)] };
  assert.deepEqual(dropDuplicateResidues([other]).chains[0].residues.map((x) => `${x.seqNum}${x.letter}`), ['65G', '66U', '68A']);
  assert.equal(dropDuplicateResidues([chain], 1.5).dropped, 0, 'nothing closer than the separation asked for');
});
