/**
 * The committed model models/cryoread-ts-v1 (helper H5): contract, brute-force equality on a one-box map,
 * and, once trained (placeholder: false), sugar probability at C4' atoms against solvent (AUC >= 0.9)
 * on the bundled example map.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { detect } from '../../src/detect/detect.js';
import { defaultModelsDir, listModels, loadDetectionModel } from '../../src/detect/registry.js';
import type { DetectionModel } from '../../src/detect/onnx-model.js';
import { readMrc } from '../../src/io/mrc.js';
import { prepareMap } from '../../src/grid/prepare.js';
import { ProbabilityMaps } from '../../src/grid/probability-maps.js';
import { Volume } from '../../src/grid/volume.js';
import { NeighbourGrid } from '../../src/grid/neighbour-grid.js';
import { readStructure } from '../../src/io/structure-file.js';
import { Structure } from '../../src/structure/model.js';
import { Rng } from '../../src/util/random.js';
import { sharedDataOrSkip, sharedPath } from '../helpers/shared-data.js';
import { simulatedPrepared } from './maps.js';
import { bruteForceDiff } from './brute-force.js';

/** The repository's models/ (or $CRYOREAD_MODELS_DIR). */
const MODELS = `${defaultModelsDir()}/`.replace(/\/+$/, '/');
const NAME = 'cryoread-ts-v1';
const EXAMPLE = fileURLToPath(new URL('../../example/6v5b_sim_3.7A.mrc', import.meta.url));

async function committedModel(t: TestContext): Promise<DetectionModel | null> {
  if (!existsSync(`${MODELS}${NAME}/model.json`)) {
    t.skip(`models/${NAME} is not committed yet (helper H5 exports it)`);
    return null;
  }
  return loadDetectionModel(NAME, { modelsDir: MODELS, threads: 2 });
}

test(`models/${NAME}: listed, in the contract, equal to a brute-force single-box run`, async (t) => {
  const sim = simulatedPrepared(t, 'x3dna_bdl084.pdb');
  if (!sim) return;
  const model = await committedModel(t);
  if (!model) return;
  try {
    assert.ok(listModels(MODELS).some((e) => e.name === NAME));
    assert.equal(model.boxSize, 64);
    const r = await detect(sim.prepared, model, { batchSize: 1 });
    assert.deepEqual(r.boxes, { stage1: 1, stage2: r.boxes.stage2, total: 1 });
    const diff = await bruteForceDiff(model.dir, sim.prepared.normalised, r, model.card.sigmoidInGraph);
    assert.ok(diff < 1e-5, `max difference ${diff}`);
  } finally {
    await model.release();
  }
});

/** Area under the ROC curve: probability that a positive scores above a negative (ties count half). */
export function auc(pos: number[], neg: number[]): number {
  const all = [...pos.map((v) => [v, 1] as const), ...neg.map((v) => [v, 0] as const)].sort((a, b) => a[0] - b[0]);
  let rankSum = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j][0] === all[i][0]) j++;
    const mid = (i + j + 1) / 2; // 1-based average rank of the tie group
    for (let k = i; k < j; k++) if (all[k][1] === 1) rankSum += mid;
    i = j;
  }
  return (rankSum - (pos.length * (pos.length + 1)) / 2) / (pos.length * neg.length);
}

test('auc helper', () => {
  assert.equal(auc([3, 4], [1, 2]), 1);
  assert.equal(auc([1], [2]), 0);
  assert.equal(auc([1, 2], [1, 2]), 0.5);
});

test(`models/${NAME} (trained): sugar probability at C4' atoms above solvent, AUC >= 0.9 on the example map`, async (t) => {
  const shared = sharedDataOrSkip(t);
  if (!shared) return;
  const model = await committedModel(t);
  if (!model) return;
  try {
    if (model.card.placeholder) {
      t.skip(`models/${NAME} still has placeholder (random) weights; this test runs once the trained model is committed`);
      return;
    }
    const prepared = prepareMap(readMrc(EXAMPLE).volume, { contour: 0 });
    const r = await detect(prepared, model);
    const sugar = ProbabilityMaps.channel(r.probabilities, 'sugar');
    const structure = readStructure(sharedPath(shared, 'structures', 'cryoread_6v5b_drna.pdb'));
    const atoms = [...Structure.atoms(structure)].map((a) => a.atom);
    const c4 = atoms.filter((a) => a.name === "C4'");
    assert.ok(c4.length >= 70, `${c4.length} C4' atoms`);
    const pos = c4.map((a) => Volume.interpolateAngstrom(sugar, a.x, a.y, a.z));
    // solvent: grid voxels more than 6 A from every atom, 2000 drawn with a fixed seed
    const grid = new NeighbourGrid({ count: atoms.length, x: atoms.map((a) => a.x), y: atoms.map((a) => a.y), z: atoms.map((a) => a.z) }, 6);
    const rng = new Rng(21051), [nz, ny, nx] = sugar.shape, neg: number[] = [];
    for (let tries = 0; neg.length < 2000 && tries < 200000; tries++) {
      const [x, y, z] = Volume.indexToAngstrom(sugar, rng.int(nx), rng.int(ny), rng.int(nz));
      if (grid.nearest(x, y, z, 6).index >= 0) continue;
      neg.push(Volume.interpolateAngstrom(sugar, x, y, z));
    }
    assert.ok(neg.length === 2000, `${neg.length} solvent voxels`);
    const a = auc(pos, neg);
    t.diagnostic(`sugar AUC C4' vs solvent = ${a.toFixed(4)} (${pos.length} C4', ${neg.length} solvent voxels)`);
    assert.ok(a >= 0.9, `AUC ${a}`);
  } finally {
    await model.release();
  }
});
