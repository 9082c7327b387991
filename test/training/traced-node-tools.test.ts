/**
 * Training tools that learn from the pipeline's own traced nodes, end to end on a tiny dataset.
 *
 * Nucleic-acid classifier training tools end to end on a tiny dataset: make-dataset.ts (two small DNA
 * structures, one map each) -> make-na-classifier-data.ts (the pipeline run on each map, traced nodes labelled
 * by the truth; split by structure) -> train_base_caller.py on a "na-classifier" folder (one epoch) -> the card
 * parses in TypeScript and predictNucleicAcid reproduces PyTorch's probabilities on the same features.
 * Traced-node base caller: make-traced-base-caller-data.ts (nodes within 2.5 A of a true sugar point, read in
 * the true direction, labelled by the base) -> train_base_caller.py --init models/base-caller-v3.json.
 * Needs /usr/bin/python3 with torch (CI installs python3-torch) and ../shared/data.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PY, ROOT, TSX, maxBaseProbabilityDiff, readF32, run, tinyDataset, withTrainingTools } from '../helpers/training-tools.js';
import { DEFAULT_TEMPLATE_GRID, featureCount, readBaseCaller, searchFrames } from '../../src/trace/base-caller.js';
import { DEFAULT_FRAME_SEARCH } from '../../src/trace/frame-fit.js';
import { Rng } from '../../src/util/random.js';
import { sampleVolume, trainingSamples } from '../../training/traced-views.js';
import { predictNucleicAcid, readNaClassifier } from '../../src/trace/na-classifier.js';

// Split by a hash of the file name (training/split.ts isValidationStructure): at --val-fraction 0.23
// biotite_1bna.cif (0.240) trains and x3dna_pde0128.pdb (0.216) validates.
const FILES = ['biotite_1bna.cif', 'x3dna_pde0128.pdb'];
const nodesOf = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));

test('NA classifier: maps -> traced nodes -> training -> TypeScript inference equals PyTorch', { timeout: 600_000 }, (t) => withTrainingTools(t, 'cryoread-nac-', (shared, tmp) => {
  const data = tinyDataset(shared, tmp, FILES, 'v2');
  run(TSX, ['training/make-na-classifier-data.ts', '--data', data, '--val-fraction', '0.23']);
  const out = join(data, 'na-classifier');
  const meta = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8'));
  assert.equal(meta.kind, 'na-classifier');
  assert.ok(meta.counts.train.views >= 10 && meta.counts.val.views >= 10, JSON.stringify(meta.counts));
  assert.equal(meta.counts.train.views % 2, 0, 'two readings per node');
  const nodes = nodesOf(join(out, 'val.nodes.jsonl'));
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
}));

test('traced-node base caller: maps -> traced nodes labelled by the true base and direction -> fine-tuning from the shipped card -> TypeScript equals PyTorch', { timeout: 600_000 }, (t) => withTrainingTools(t, 'cryoread-bct-', (shared, tmp) => {
  const data = tinyDataset(shared, tmp, FILES, 'v2');
  run(TSX, ['training/make-traced-base-caller-data.ts', '--data', data, '--val-fraction', '0.23', '--copies', '1']);
  const out = join(data, 'bc-traced');
  const meta = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8'));
  assert.equal(meta.points, 'traced');
  assert.ok(meta.counts.train >= 10 && meta.counts.val >= 10, JSON.stringify(meta.counts));
  const nodes = nodesOf(join(out, 'val.nodes.jsonl'));
  assert.equal(nodes.reduce((n, x) => n + x.views, 0), meta.counts.val, 'views per node add up');
  assert.ok(nodes.every((n) => n.structure === 'x3dna_pde0128.pdb' && n.offA <= 2.5 && n.label >= 0 && n.label <= 3 && n.p5.length === 3), 'validation nodes: held-out structure, matched within 2.5 A, a base label, their points');
  const labels = readFileSync(join(out, 'val.labels.u8'));
  let v = 0;
  for (const n of nodes) for (let k = 0; k < n.views; k++) assert.equal(labels[v++], n.label);
  // a duplex traced both ways: some nodes are read against the path's order
  const all = [...nodes, ...nodesOf(join(out, 'train.nodes.jsonl'))];
  assert.ok(all.some((n) => n.reversed) && all.some((n) => !n.reversed), 'both reading directions occur');
  const card = join(tmp, 'bc.json'), pred = join(tmp, 'pred.f32');
  const v3 = join(ROOT, 'models', 'base-caller-v3.json');
  run(PY, ['training/train_base_caller.py', '--data', out, '--out', card, '--epochs', '1', '--hidden', '256,128', '--init', v3, '--predictions', pred]);
  const c = readBaseCaller(card);
  assert.equal(c.frame, 'template');
  assert.match(JSON.stringify(c.extra.training), /base-caller-v3\.json/, 'the card records what it was fine-tuned from');
  const maxDiff = maxBaseProbabilityDiff(c, readF32(join(out, 'val.f32')), readF32(pred));
  assert.ok(maxDiff < 1e-4, `TypeScript vs PyTorch base probabilities: max abs diff ${maxDiff}`);
  // a card of other layer sizes cannot be the starting point
  const bad = spawnSync(PY, ['training/train_base_caller.py', '--data', out, '--out', join(tmp, 'x.json'), '--epochs', '1', '--hidden', '16', '--init', v3], { cwd: ROOT, encoding: 'utf8' });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /layer sizes differ/);
  // The same nodes re-read in the frames the frame search picks (make-searched-base-caller-data.ts): `keep` views
  // per node, same split and labels, and the first node's views are searchFrames' own.
  run(TSX, ['training/make-searched-base-caller-data.ts', '--traced', out, '--data', data, '--candidates', '6', '--keep', '2', '--out', join(data, 'bc-searched')]);
  const sOut = join(data, 'bc-searched');
  const sMeta = JSON.parse(readFileSync(join(sOut, 'meta.json'), 'utf8'));
  assert.equal(sMeta.points, 'traced, frame-searched');
  const sTrain = nodesOf(join(sOut, 'train.nodes.jsonl')), sVal = nodesOf(join(sOut, 'val.nodes.jsonl'));
  assert.equal(sVal.length, nodes.length, 'every traced validation node re-read');
  assert.ok([...sTrain, ...sVal].every((n) => n.views === 2), 'the 2 best of 6 frames per node');
  assert.equal(sMeta.counts.val, 2 * sVal.length);
  const sLabels = readFileSync(join(sOut, 'val.labels.u8'));
  sVal.forEach((n, i) => { assert.equal(n.label, nodes[i].label); assert.equal(sLabels[2 * i], n.label); assert.equal(sLabels[2 * i + 1], n.label); });
  const first = sTrain[0];
  const sample = trainingSamples(data).find((x) => x.id === first.sample)!;
  const frames = searchFrames(DEFAULT_TEMPLATE_GRID, sampleVolume(data, sample), first.p5, first.s, first.p3, new Rng(1), { ...DEFAULT_FRAME_SEARCH, candidates: 6, keep: 2 })!;
  const X = readF32(join(sOut, 'train.f32'));
  const nf = featureCount(DEFAULT_TEMPLATE_GRID);
  for (let k = 0; k < 2; k++) for (let i = 0; i < nf; i++) assert.ok(Math.abs(X[k * nf + i] - frames[k][i]) < 1e-6, `view ${k} feature ${i}`);
}));
