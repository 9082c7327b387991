import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { detectWithRunner } from '../../src/detect/detect.js';
import { writeDetectionMaps } from '../../src/detect/write-maps.js';
import { readMrc } from '../../src/io/mrc.js';
import { Volume } from '../../src/grid/volume.js';
import { readStructure } from '../../src/io/structure-file.js';
import { simulateMap, structureBounds } from '../../src/simulate/index.js';
import { prepareMap } from '../../src/grid/prepare.js';
import { Structure } from '../../src/structure/model.js';
import { InputError } from '../../src/util/errors.js';
import { sharedDataOrSkip, sharedPath } from '../helpers/shared-data.js';
import { PointwiseRunner, chainFn } from './fake-runners.js';

test('detection maps are written under CryoREAD names, read back equal, and overlay the input map', async (t) => {
  const shared = sharedDataOrSkip(t);
  if (!shared) return;
  const structure = readStructure(sharedPath(shared, 'structures', 'x3dna_bdl084.pdb'));
  // an input map on a 1 A grid whose origin is not a whole number of Angstroms (prepareMap crops it); the
  // 4th decimal keeps atoms (3 decimals) off half-voxel ties, which the float32 origin in the file could flip
  const { min } = structureBounds(structure);
  const input = simulateMap(structure, { resolutionA: 4, padA: 6, originA: [min[0] - 6.3217, min[1] - 5.8493, min[2] - 6.1071] });
  const prepared = prepareMap(input, { contour: 0.05 });
  const r = await detectWithRunner(prepared, new PointwiseRunner(16), { boxSize: 16, strideVoxels: 8 });
  const out = mkdtempSync(join(tmpdir(), 'cryoread-detect-maps-'));
  try {
    const paths = writeDetectionMaps(out, r, prepared.normalised);
    assert.deepEqual(paths.map((p) => relative(out, p)), [
      ...['sugar', 'phosphate', 'A', 'UT', 'C', 'G', 'protein', 'base'].map((c) => `2nd_stage_detection/chain_${c}_prob.mrc`),
      ...['sugar', 'phosphate', 'base', 'protein'].map((c) => `1st_stage_detection/chain_${c}_prob.mrc`),
      ...['A', 'UT', 'C', 'G'].map((c) => `1st_stage_detection/base_${c}_prob.mrc`),
    ]);
    const sugar = readMrc(paths[0]).volume;
    assert.deepEqual([...sugar.shape], [...prepared.normalised.shape]);
    assert.deepEqual([...sugar.voxelSizeA], [1, 1, 1]);
    for (let k = 0; k < 3; k++) assert.ok(Math.abs(sugar.originA[k] - prepared.normalised.originA[k]) < 1e-4, `origin ${sugar.originA} vs ${prepared.normalised.originA}`);
    assert.deepEqual(sugar.data, r.probabilities.channels.sugar);
    assert.deepEqual(readMrc(paths[13]).volume.data, r.stage1.base.UT);

    // Overlay: at every atom (all inside kept boxes), the written stage-1 sugar map holds the pointwise function of the input map's
    // (normalised) density at the voxel nearest the same Cartesian position; one voxel off would not.
    const sugar1 = readMrc(paths[8]).volume;
    const meanDiff = (shiftA: number) => {
      let n = 0, sum = 0;
      for (const { atom } of Structure.atoms(structure)) {
        const raw = Volume.valueAtAngstrom(input, atom.x, atom.y, atom.z);
        const want = chainFn(0, Math.min(1, raw / prepared.topDensity));
        const got = Volume.valueAtAngstrom(sugar1, atom.x + shiftA, atom.y, atom.z);
        sum += Math.abs(got - want);
        n++;
      }
      assert.ok(n > 400, `${n} atoms`);
      return sum / n;
    };
    const aligned = meanDiff(0), shifted = meanDiff(1);
    assert.ok(aligned < 1e-6, `mean difference at atoms ${aligned}`);
    assert.ok(shifted > 0.02, `a 1 A shift changes the values: ${shifted}`);
    assert.throws(() => writeDetectionMaps(out, r, { ...prepared.normalised, shape: [1, 2, 3] }), InputError);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
