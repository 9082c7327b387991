/** detect() with real onnxruntime sessions on the tiny fixture models (test/detect/fixtures, make_fixtures.py). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { detect } from '../../src/detect/detect.js';
import { loadDetectionModel } from '../../src/detect/registry.js';
import { PROBABILITY_CHANNELS } from '../../src/grid/probability-maps.js';
import { simulatedPrepared } from './maps.js';
import { bruteForceDiff, maxDiff } from './brute-force.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

test('tiny ONNX model: on a map that fits one box, detect() equals a brute-force single-box run', async (t) => {
  const sim = simulatedPrepared(t, 'x3dna_bdl084.pdb');
  if (!sim) return;
  const v = sim.prepared.normalised;
  assert.ok(v.shape.every((n) => n <= 64), `map ${v.shape} fits one box`);
  const model = await loadDetectionModel(`${FIXTURES}tiny`, { threads: 1 });
  try {
    const r = await detect(sim.prepared, model, { batchSize: 2 });
    assert.deepEqual(r.boxes, { stage1: 1, stage2: 1, total: 1 });
    assert.match(r.warnings.join(' '), /placeholder/);
    const diff = await bruteForceDiff(`${FIXTURES}tiny`, v, r, true);
    assert.ok(diff < 1e-6, `max difference ${diff}`);
    // the fixture's outputs vary over the map (so the comparison is not 0.5 == 0.5 everywhere)
    const s = r.probabilities.channels.sugar;
    const range = s.reduce((m, x) => Math.max(m, x), 0) - s.reduce((m, x) => Math.min(m, x), 1);
    assert.ok(range > 0.05, `sugar range ${range}`);
    assert.ok(r.timingsMs.inferenceOnly > 0 && r.timingsMs.stage1 + r.timingsMs.stage2 >= r.timingsMs.inferenceOnly);

    // a model that emits logits gets its sigmoid applied by detect(): same weights, same maps
    const logits = await loadDetectionModel(`${FIXTURES}tiny-logits`, { threads: 1 });
    const r2 = await detect(sim.prepared, logits);
    await logits.release();
    assert.ok(maxDiff(r2.probabilities.channels.UT, r.probabilities.channels.UT) < 1e-6);
    assert.ok(maxDiff(r2.stage1.chain.phosphate, r.stage1.chain.phosphate) < 1e-6);
    assert.ok((await bruteForceDiff(`${FIXTURES}tiny-logits`, v, r2, false)) < 1e-6);
  } finally {
    await model.release();
  }
});

test('tiny ONNX model: batch size does not change the maps of a multi-box map', async (t) => {
  const sim = simulatedPrepared(t, 'rnatools_6TNA.pdb');
  if (!sim) return;
  const model = await loadDetectionModel(`${FIXTURES}tiny`, { threads: 1 });
  try {
    const a = await detect(sim.prepared, model, { batchSize: 1 });
    const b = await detect(sim.prepared, model, { batchSize: 4 });
    assert.equal(a.boxes.stage1, 2);
    for (const name of PROBABILITY_CHANNELS) assert.ok(maxDiff(a.probabilities.channels[name], b.probabilities.channels[name]) < 1e-6, name);
  } finally {
    await model.release();
  }
});
