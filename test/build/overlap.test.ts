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
  const input = [
    { chainId: 'A', residues: [0, 1, 2, 3].map((k) => residue(k, 0.9)) },
    // chain B: residue 2 of chain A again, 0.4 A off, lower confidence
    { chainId: 'B', residues: [{ ...residue(2, 0.3, 0.4), seqNum: 1 }] },
  ];
  // buildAtoms does it by default, says so, and drops the emptied chain
  const auto = buildAtoms(input);
  assert.deepEqual(auto.removedResidues, ['B 1']);
  assert.deepEqual(auto.chains.map((c) => [c.id, c.residues.length]), [['A', 4]]);
  assert.ok(auto.remarks.some((r) => r.includes('BUILT ON TOP')));
  const built = buildAtoms(input, { relieveClashes: false, dropOverlapping: false });
  assert.deepEqual(built.removedResidues, []);
  const chains = built.chains;
  const removed = dropOverlappingResidues(chains);
  assert.deepEqual(removed, ['B 1']);
  assert.equal(chains[0].residues.length, 4, 'the chain of real neighbours is untouched');
  assert.equal(chains[1].residues.length, 0);
  assert.deepEqual(dropOverlappingResidues(chains), [], 'nothing left to remove');
});

test('real structures rebuilt from their own coarse points lose no nucleotide to the overlap rule', async (t) => {
  const { sharedDataOrSkip, sharedPath } = await import('../helpers/shared-data.js');
  const { readStructure } = await import('../../src/io/structure-file.js');
  const { coarseFromStructure } = await import('../../src/build/index.js');
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  // rigid-template misfits overlap their neighbours by a few atoms; 3 pairs removed 8 real 23S nucleotides here
  for (const f of ['occupancy_RNA1.pdb', 'rna3db_1ehz.cif', 'rnapolis_1JJP.cif']) {
    assert.deepEqual(buildAtoms(coarseFromStructure(readStructure(sharedPath(dir, 'structures', f)))).removedResidues, [], f);
  }
});
