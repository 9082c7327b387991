import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildAtoms } from '../../src/build/index.js';
import { dropOverlappingResidues } from '../../src/build/overlap.js';
import type { Vec3 } from '../../src/grid/volume.js';

test('a nucleotide built twice in one place loses its lower-confidence copy; real neighbours stay', () => {
  const residue = (k: number, confidence: number, dx = 0) => ({
    seqNum: k + 1, letter: 'G' as const, moleculeType: 'rna' as const, confidence,
    phosphateA: [k * 0.3 + dx, k * 5.8, k * 2.2] as Vec3, sugarA: [3 + k * 0.3 + dx, 1 + k * 5.8, 1 + k * 2.2] as Vec3, baseA: null,
  });
  const built = buildAtoms([
    { chainId: 'A', residues: [0, 1, 2, 3].map((k) => residue(k, 0.9)) },
    // chain B: residue 2 of chain A again, 0.4 A off, lower confidence
    { chainId: 'B', residues: [{ ...residue(2, 0.3, 0.4), seqNum: 1 }] },
  ], { relieveClashes: false });
  const chains = built.chains;
  const removed = dropOverlappingResidues(chains);
  assert.deepEqual(removed, ['B 1']);
  assert.equal(chains[0].residues.length, 4, 'the chain of real neighbours is untouched');
  assert.equal(chains[1].residues.length, 0);
  assert.deepEqual(dropOverlappingResidues(chains), [], 'nothing left to remove');
});
