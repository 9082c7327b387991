/**
 * Base-caller training tools end to end on a tiny dataset: make-dataset.ts (two small structures,
 * one held out) -> make-base-caller-data.ts (features by the pipeline's own code) ->
 * train_base_caller.py (one epoch) -> the card parses in TypeScript and predictBaseType reproduces
 * PyTorch's probabilities on the same features (weight layout and activations agree).
 * Needs /usr/bin/python3 with torch (CI installs python3-torch) and ../shared/data.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, mkdirSync, symlinkSync, existsSync } from 'node:fs';
import { PY, TSX, readF32, run, torchOrSkip } from '../helpers/training-tools.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { featureCount, predictBaseType, readBaseCaller } from '../../src/trace/base-caller.js';
import { sharedDataOrSkip, sharedPath } from '../helpers/shared-data.js';

test('base caller: dataset -> features -> training -> TypeScript inference equals PyTorch', { timeout: 600_000 }, async (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  if (!torchOrSkip(t)) return;
  const tmp = mkdtempSync(join(tmpdir(), 'cryoread-caller-'));
  try {
    const structures = join(tmp, 'structures');
    mkdirSync(structures);
    // biotite_1bna.cif trains, x3dna_bdl084.pdb is held out (training/split.ts): 1 + 4 maps.
    for (const f of ['biotite_1bna.cif', 'x3dna_bdl084.pdb']) symlinkSync(sharedPath(dir, 'structures', f), join(structures, f));
    const data = join(tmp, 'data');
    run(TSX, ['training/make-dataset.ts', '--structures', structures, '--out', data, '--per-structure', '1', '--targets', 'binary', '--seed', '3', '--split', 'v1', '--realism', 'off']);
    run(TSX, ['training/make-base-caller-data.ts', '--data', data, '--copies', '2', '--jitter-a', '0.5', '--seed', '2']);
    const meta = JSON.parse(readFileSync(join(data, 'base-caller', 'meta.json'), 'utf8'));
    assert.ok(meta.counts.train >= 30 && meta.counts.val >= 60, JSON.stringify(meta.counts));
    const card = join(tmp, 'caller.json'), pred = join(tmp, 'pred.f32');
    run(PY, ['training/train_base_caller.py', '--data', join(data, 'base-caller'), '--out', card, '--epochs', '1', '--hidden', '16', '--predictions', pred]);
    assert.ok(existsSync(card) && !existsSync(`${card}.tmp`));
    const caller = readBaseCaller(card);
    const nf = featureCount(caller.grid);
    assert.equal(caller.layers.length, 2);
    const X = readF32(join(data, 'base-caller', 'val.f32')), P = readF32(pred);
    assert.equal(P.length, (X.length / nf) * 4);
    let maxDiff = 0;
    for (let i = 0; i < X.length / nf; i++) {
      const p = predictBaseType(caller, X.subarray(i * nf, (i + 1) * nf));
      for (let k = 0; k < 4; k++) maxDiff = Math.max(maxDiff, Math.abs(p[k] - P[4 * i + k]));
    }
    assert.ok(maxDiff < 1e-4, `TypeScript vs PyTorch probabilities: max abs diff ${maxDiff}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
