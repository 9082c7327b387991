import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/simulate.js';
import { readMrc } from '../../src/io/mrc.js';
import { readStructure } from '../../src/io/structure-file.js';
import { Volume } from '../../src/grid/volume.js';
import { simulateMap } from '../../src/simulate/index.js';
import { sharedDataOrSkip, sharedPath } from '../helpers/shared-data.js';

/** Runs the command with stdout and stderr silenced; returns the exit code. */
async function quiet(argv: string[]): Promise<number> {
  const err = process.stderr.write, out = process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    return await run(argv);
  } finally {
    process.stderr.write = err;
    process.stdout.write = out;
  }
}

test('cryoread simulate writes map, labels and oracle maps on one grid (origin and voxel as asked)', async (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const model = sharedPath(dir, 'structures', 'cryoread_6v5b_drna.pdb');
  const out = mkdtempSync(join(tmpdir(), 'cryoread-sim-'));
  try {
    const code = await quiet([model, '--resolution', '4', '--voxel', '1.2', '--origin', '100.5,93.25,70', '--noise', '2', '--seed', '3',
      '--out', join(out, 'm.mrc'), '--labels', join(out, 'lab'), '--oracle', join(out, 'orc')]);
    assert.equal(code, 0);
    const m = readMrc(join(out, 'm.mrc')).volume;
    assert.deepEqual([...m.originA].map((x) => +x.toFixed(3)), [100.5, 93.25, 70]);
    assert.deepEqual([...m.voxelSizeA].map((x) => +x.toFixed(4)), [1.2, 1.2, 1.2]);
    const again = simulateMap(readStructure(model), { resolutionA: 4, voxelSizeA: 1.2, originA: [100.5, 93.25, 70], noiseSnr: 2, seed: 3 });
    assert.deepEqual(m.shape, again.shape);
    let maxDiff = 0;
    for (let i = 0; i < m.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(m.data[i] - again.data[i]));
    assert.equal(maxDiff, 0);
    const p = readMrc(join(out, 'lab', 'label_phosphate.mrc')).volume;
    assert.deepEqual(p.shape, m.shape);
    assert.ok(Volume.stats(p).max === 1 && Volume.stats(p).min === 0);
    for (const c of ['sugar', 'phosphate', 'A', 'UT', 'C', 'G', 'protein', 'base']) assert.ok(existsSync(join(out, 'orc', `chain_${c}_prob.mrc`)), c);
    const sugar = readMrc(join(out, 'orc', 'chain_sugar_prob.mrc')).volume;
    assert.ok(Volume.stats(sugar).max > 0.95);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('cryoread simulate rejects bad options with exit code 2', async () => {
  assert.equal(await quiet(['x.pdb', '--out', 'y.mrc']), 2);
  assert.equal(await quiet(['x.pdb', '--resolution', '-3', '--out', 'y.mrc']), 2);
  assert.equal(await quiet(['x.pdb', '--resolution', '3', '--origin', '1,2', '--out', 'y.mrc']), 2);
  assert.equal(await quiet(['--help']), 0);
});
