/**
 * Nucleic-acid classifier training tools end to end on a tiny dataset: make-dataset.ts (two small DNA
 * structures, one map each) -> make-na-classifier-data.ts (the pipeline run on each map, traced nodes labelled
 * by the truth; split by structure) -> train_base_caller.py on a "na-classifier" folder (one epoch) -> the card
 * parses in TypeScript and predictNucleicAcid reproduces PyTorch's probabilities on the same features.
 * Needs /usr/bin/python3 with torch (CI installs python3-torch) and ../shared/data.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, mkdirSync, symlinkSync, existsSync } from 'node:fs';
import { PY, TSX, readF32, run, torchOrSkip } from '../helpers/training-tools.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { featureCount } from '../../src/trace/base-caller.js';
import { predictNucleicAcid, readNaClassifier } from '../../src/trace/na-classifier.js';
import { sharedDataOrSkip, sharedPath } from '../helpers/shared-data.js';

test('NA classifier: maps -> traced nodes -> training -> TypeScript inference equals PyTorch', { timeout: 600_000 }, async (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  if (!torchOrSkip(t)) return;
  const tmp = mkdtempSync(join(tmpdir(), 'cryoread-nac-'));
  try {
    const structures = join(tmp, 'structures');
    mkdirSync(structures);
    // Split by a hash of the file name: at --val-fraction 0.23 biotite_1bna.cif (0.240) trains and
    // x3dna_pde0128.pdb (0.216) validates.
    for (const f of ['biotite_1bna.cif', 'x3dna_pde0128.pdb']) symlinkSync(sharedPath(dir, 'structures', f), join(structures, f));
    const data = join(tmp, 'data');
    run(TSX, ['training/make-dataset.ts', '--structures', structures, '--out', data, '--per-structure', '1', '--targets', 'binary', '--seed', '3', '--split', 'v2', '--realism', 'off']);
    run(TSX, ['training/make-na-classifier-data.ts', '--data', data, '--val-fraction', '0.23']);
    const out = join(data, 'na-classifier');
    const meta = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8'));
    assert.equal(meta.kind, 'na-classifier');
    assert.ok(meta.counts.train.views >= 10 && meta.counts.val.views >= 10, JSON.stringify(meta.counts));
    assert.equal(meta.counts.train.views % 2, 0, 'two readings per node');
    const nodes = readFileSync(join(out, 'val.nodes.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(nodes.length * 2, meta.counts.val.views);
    assert.ok(nodes.every((n) => n.structure === 'x3dna_pde0128.pdb' && (n.label === 0 || n.label === 1) && n.s.length === 3), 'validation nodes come from the held-out structure, with their points');
    const card = join(tmp, 'na.json'), pred = join(tmp, 'pred.f32');
    run(PY, ['training/train_base_caller.py', '--data', out, '--out', card, '--epochs', '1', '--hidden', '16', '--predictions', pred]);
    assert.ok(existsSync(card) && !existsSync(`${card}.tmp`));
    const c = readNaClassifier(card);
    assert.deepEqual(c.extra.classes, ['not', 'NA']);
    const nf = featureCount(c.grid);
    const X = readF32(join(out, 'val.f32')), P = readF32(pred);
    assert.equal(P.length, (X.length / nf) * 2);
    let maxDiff = 0;
    for (let i = 0; i < X.length / nf; i++) maxDiff = Math.max(maxDiff, Math.abs(predictNucleicAcid(c, X.subarray(i * nf, (i + 1) * nf)) - P[2 * i + 1]));
    assert.ok(maxDiff < 1e-4, `TypeScript vs PyTorch P(nucleic acid): max abs diff ${maxDiff}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
