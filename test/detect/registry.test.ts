import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync, mkdirSync, copyFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listModels, loadDetectionModel, selectModel } from '../../src/detect/registry.js';
import { parseModelCard } from '../../src/detect/model-card.js';
import { ModelError } from '../../src/util/errors.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const tinyCard = () => JSON.parse(readFileSync(join(FIXTURES, 'tiny', 'model.json'), 'utf8')) as Record<string, unknown>;

function withTemp(fn: (dir: string) => Promise<void> | void): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cryoread-detect-'));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

function card(dir: string, name: string, range: [number, number], placeholder: boolean, extra: Record<string, unknown> = {}): void {
  mkdirSync(join(dir, name), { recursive: true });
  writeFileSync(join(dir, name, 'model.json'), JSON.stringify({ ...tinyCard(), name, resolutionRangeA: range, placeholder, ...extra }));
}

test('selectModel: a card that supersedes another wins among equal ranges; by name the old one stays loadable', withTemp((dir) => {
  card(dir, 'net-v1', [2.5, 6], false);
  card(dir, 'net-v2', [2.5, 6], false, { supersedes: ['net-v1'] });
  assert.equal(selectModel(undefined, { modelsDir: dir, resolutionA: 3.7 }).entry.name, 'net-v2');
  assert.equal(selectModel(undefined, { modelsDir: dir }).entry.name, 'net-v2');
  assert.equal(selectModel(undefined, { modelsDir: dir, resolutionA: 2.0 }).entry.name, 'net-v2', 'finer than every range: still the successor');
  assert.equal(selectModel('net-v1', { modelsDir: dir, resolutionA: 3.7 }).entry.name, 'net-v1');
}));

/** ModelError with this code whose message matches `re`. */
const modelError = (code: string, re: RegExp) => (e: unknown) => e instanceof ModelError && e.code === code && re.test(e.message);

test('listModels: model folders sorted by name, loose files ignored', () => {
  assert.deepEqual(listModels(FIXTURES).map((e) => e.name), ['tiny', 'tiny-logits']);
  assert.equal(listModels(join(FIXTURES, 'nope')).length, 0);
  const [tiny] = listModels(FIXTURES);
  assert.deepEqual(tiny.card.resolutionRangeA, [2, 10]);
  assert.equal(tiny.card.placeholder, true);
  assert.equal(tiny.card.sigmoidInGraph, true);
  assert.equal(tiny.card.extra.description, 'test fixture: one seeded 3x3x3 convolution per head (make_fixtures.py)');
});

test('selectModel: by resolution range (trained first, narrowest range), a name is never overridden', withTemp((dir) => {
  card(dir, 'a-any', [2, 10], true);
  card(dir, 'b-high', [2, 5], false);
  card(dir, 'c-low', [5, 10], false);
  assert.equal(selectModel(undefined, { modelsDir: dir, resolutionA: 3.7 }).entry.name, 'b-high');
  assert.equal(selectModel(undefined, { modelsDir: dir, resolutionA: 7 }).entry.name, 'c-low');
  assert.equal(selectModel(undefined, { modelsDir: dir }).entry.name, 'c-low', 'no resolution: trained, then the widest range');
  const fine = selectModel(undefined, { modelsDir: dir, resolutionA: 1.6 });
  assert.equal(fine.entry.name, 'b-high', 'finer than every range: the nearest (finest lower limit), trained first');
  assert.match(fine.warnings[0], /the map \(1\.6 A\) is finer than every detection model's range \(finest 2 A\): using the nearest/);
  assert.throws(() => selectModel(undefined, { modelsDir: dir, resolutionA: 12 }), modelError('MODEL_RESOLUTION', /no model covers 12 A .*a-any \(2-10 A, placeholder\)/));
  const named = selectModel('b-high', { modelsDir: dir, resolutionA: 7 });
  assert.equal(named.entry.name, 'b-high');
  assert.match(named.warnings[0], /trained for 2-5 A maps but the map is at 7 A; kept because it was asked for by name/);
  const ph = selectModel('a-any', { modelsDir: dir, resolutionA: 4 });
  assert.deepEqual(ph.warnings, ['model a-any has placeholder (randomly initialised) weights: its probabilities are meaningless']);
  assert.throws(() => selectModel('zzz', { modelsDir: dir }), modelError('MODEL_NOT_FOUND', /model "zzz" not found; available in .*: a-any, b-high, c-low/));
  assert.throws(() => selectModel(undefined, { modelsDir: join(dir, 'empty') }), modelError('MODEL_NONE', /no model folders/));
  assert.throws(() => selectModel(undefined, { modelsDir: dir, resolutionA: -1 }), modelError('MODEL_RESOLUTION', /resolutionA = -1/));
}));

test('model card errors name the file and the field', () => {
  assert.throws(() => parseModelCard('{', 'x/model.json'), modelError('MODEL_CARD_JSON', /^x\/model.json: not valid JSON/));
  const bad = (patch: Record<string, unknown>, field: string) =>
    assert.throws(() => parseModelCard(JSON.stringify({ ...tinyCard(), ...patch }), 'm.json'), modelError('MODEL_CARD_FIELD', new RegExp(`^m.json: field "${field}"`)));
  bad({ resolutionRangeA: [5, 2] }, 'resolutionRangeA');
  bad({ stage1: { input: 'density', outputs: ['chain'] } }, 'stage1');
  bad({ stage2: {} }, 'stage2');
  bad({ name: '' }, 'name');
  bad({ boxSize: 6.5 }, 'boxSize');
  bad({ sigmoidInGraph: 'yes' }, 'sigmoidInGraph');
});

test('loadDetectionModel: missing ONNX file, wrong output shape, wrong input name', withTemp(async (dir) => {
  cpSync(join(FIXTURES, 'tiny'), join(dir, 'no-stage2'), { recursive: true });
  rmSync(join(dir, 'no-stage2', 'stage2.onnx'));
  await assert.rejects(loadDetectionModel('no-stage2', { modelsDir: dir, threads: 1 }), modelError('MODEL_FILE_MISSING', /no-stage2\/stage2.onnx: ONNX file not found/));

  cpSync(join(FIXTURES, 'tiny'), join(dir, 'wrong-shape'), { recursive: true });
  copyFileSync(join(FIXTURES, 'wrong-shape-stage1.onnx'), join(dir, 'wrong-shape', 'stage1.onnx'));
  await assert.rejects(
    loadDetectionModel('wrong-shape', { modelsDir: dir, threads: 1 }),
    modelError('MODEL_SHAPE', /wrong-shape\/stage1.onnx: output "chain" has shape \[N,3,64,64,64\], expected float32 \[N,4,64,64,64\]/),
  );

  cpSync(join(FIXTURES, 'tiny'), join(dir, 'wrong-name'), { recursive: true });
  writeFileSync(join(dir, 'wrong-name', 'model.json'), JSON.stringify({ ...tinyCard(), stage2: { input: 'probs', output: 'prob' } }));
  await assert.rejects(loadDetectionModel('wrong-name', { modelsDir: dir, threads: 1 }), modelError('MODEL_IO_NAME', /stage2.onnx: no input named "probs" \(has prob8\)/));

  writeFileSync(join(dir, 'wrong-name', 'stage2.onnx'), 'not an onnx file');
  await assert.rejects(loadDetectionModel(join(dir, 'wrong-name'), { threads: 1 }), modelError('MODEL_LOAD', /stage2.onnx: onnxruntime cannot load the file/));
  await assert.rejects(loadDetectionModel(join(FIXTURES, 'tiny'), { threads: 0 }), modelError('MODEL_THREADS', /threads = 0/));
}));
