import { test } from 'node:test';
import assert from 'node:assert/strict';
import { editProbabilities, defaultClusterParams } from '../../src/cluster/index.js';
import { ProbabilityMaps } from '../../src/grid/probability-maps.js';

test('protein suppression: nucleic-acid channels are zeroed where protein wins, kept where sugar wins or when disabled', () => {
  const pm = ProbabilityMaps.create({ shape: [1, 1, 4], voxelSizeA: [1, 1, 1], originA: [0, 0, 0] });
  const c = pm.channels;
  // voxel 0: protein 0.9 over sugar 0.6 -> protein; voxel 1: sugar 0.95 over protein 0.9 -> nucleic acid;
  // voxel 2: protein 0.4 (below the threshold) over sugar 0.3 -> kept; voxel 3: phosphate 0.7, protein 0.8, base 0.6 -> protein
  c.protein.set([0.9, 0.9, 0.4, 0.8]);
  c.sugar.set([0.6, 0.95, 0.3, 0.2]);
  c.phosphate.set([0.2, 0.2, 0.2, 0.7]);
  c.base.set([0.5, 0.3, 0.3, 0.6]);
  c.A.set([0.6, 0.6, 0.6, 0.6]);
  const e = editProbabilities(pm, null, defaultClusterParams).channels;
  assert.deepEqual(Array.from(e.sugar).map((v) => +v.toFixed(2)), [0, 0.95, 0.3, 0]);
  assert.deepEqual(Array.from(e.phosphate).map((v) => +v.toFixed(2)), [0, 0.2, 0.2, 0]);
  assert.equal(e.base[0], 0);
  assert.equal(e.A[0], 0);
  assert.equal(e.A[3], 0);
  assert.ok(e.A[1] > 0.5 && e.base[1] > 0.29);
  assert.deepEqual(Array.from(e.protein), Array.from(c.protein), 'protein itself is copied unchanged');
  const off = editProbabilities(pm, null, { ...defaultClusterParams, proteinSuppression: 0 }).channels;
  assert.ok(Math.abs(off.sugar[0] - 0.6) < 1e-6 && Math.abs(off.phosphate[3] - 0.7) < 1e-6, 'proteinSuppression 0 restores CryoREAD');
});
