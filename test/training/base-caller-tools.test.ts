/**
 * Base-caller training tools end to end on a tiny dataset: make-dataset.ts (two small structures,
 * one held out) -> make-base-caller-data.ts (features by the pipeline's own code) ->
 * train_base_caller.py (one epoch) -> the card parses in TypeScript and predictBaseType reproduces
 * PyTorch's probabilities on the same features (weight layout and activations agree).
 * Needs /usr/bin/python3 with torch (CI installs python3-torch) and ../shared/data.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PY, TSX, maxBaseProbabilityDiff, readF32, run, tinyDataset, withTrainingTools } from '../helpers/training-tools.js';
import { readBaseCaller } from '../../src/trace/base-caller.js';

test('base caller: dataset -> features -> training -> TypeScript inference equals PyTorch', { timeout: 600_000 }, (t) => withTrainingTools(t, 'cryoread-caller-', (shared, tmp) => {
  // biotite_1bna.cif trains, x3dna_bdl084.pdb is held out (training/split.ts): 1 + 4 maps.
  const data = tinyDataset(shared, tmp, ['biotite_1bna.cif', 'x3dna_bdl084.pdb'], 'v1');
  run(TSX, ['training/make-base-caller-data.ts', '--data', data, '--copies', '2', '--jitter-a', '0.5', '--seed', '2']);
  const meta = JSON.parse(readFileSync(join(data, 'base-caller', 'meta.json'), 'utf8'));
  assert.ok(meta.counts.train >= 30 && meta.counts.val >= 60, JSON.stringify(meta.counts));
  const card = join(tmp, 'caller.json'), pred = join(tmp, 'pred.f32');
  run(PY, ['training/train_base_caller.py', '--data', join(data, 'base-caller'), '--out', card, '--epochs', '1', '--hidden', '16', '--predictions', pred]);
  assert.ok(existsSync(card) && !existsSync(`${card}.tmp`));
  const caller = readBaseCaller(card);
  assert.equal(caller.layers.length, 2);
  const maxDiff = maxBaseProbabilityDiff(caller, readF32(join(data, 'base-caller', 'val.f32')), readF32(pred));
  assert.ok(maxDiff < 1e-4, `TypeScript vs PyTorch probabilities: max abs diff ${maxDiff}`);
}));
