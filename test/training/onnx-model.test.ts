/**
 * The shipped detection model (models/cryoread-ts-v1) seen from TypeScript: onnxruntime-node loads
 * both stages and a 64^3 box gives the documented shapes and probability ranges. The trained model's
 * accuracy is tested in test/detect/committed-model.test.ts (AUC on the example map) and measured in
 * models/MODEL_CARD.md.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';

const DIR = fileURLToPath(new URL('../../models/cryoread-ts-v1/', import.meta.url));

test('models/cryoread-ts-v1: stage 1 -> [1,4,64^3] + [1,5,64^3], stage 2 -> [1,8,64^3], probabilities in [0,1]', async () => {
  const card = JSON.parse(readFileSync(`${DIR}model.json`, 'utf8'));
  assert.equal(card.boxSize, 64);
  assert.equal(card.sigmoidInGraph, true);
  const n = 64 ** 3;
  const density = new Float32Array(n);
  // a smooth blob so the network sees something density-like
  for (let z = 0; z < 64; z++) for (let y = 0; y < 64; y++) for (let x = 0; x < 64; x++) {
    density[(z * 64 + y) * 64 + x] = Math.exp(-((x - 32) ** 2 + (y - 30) ** 2 + (z - 34) ** 2) / 50);
  }
  const s1 = await ort.InferenceSession.create(`${DIR}stage1.onnx`);
  assert.deepEqual(s1.inputNames, ['density']);
  assert.deepEqual([...s1.outputNames].sort(), ['base', 'chain']);
  const r1 = await s1.run({ density: new ort.Tensor('float32', density, [1, 1, 64, 64, 64]) });
  assert.deepEqual(r1.chain.dims, [1, 4, 64, 64, 64]);
  assert.deepEqual(r1.base.dims, [1, 5, 64, 64, 64]);
  const s2 = await ort.InferenceSession.create(`${DIR}stage2.onnx`);
  const prob8 = new Float32Array(8 * n);
  (r1.chain.data as Float32Array).forEach((v, i) => { prob8[i] = v; });
  const base = r1.base.data as Float32Array;
  for (let i = 0; i < n; i++) {
    prob8[4 * n + i] = base[i]; // A
    prob8[5 * n + i] = Math.max(base[n + i], base[4 * n + i]); // UT = max(U, T)
    prob8[6 * n + i] = base[2 * n + i]; // C
    prob8[7 * n + i] = base[3 * n + i]; // G
  }
  const r2 = await s2.run({ prob8: new ort.Tensor('float32', prob8, [1, 8, 64, 64, 64]) });
  assert.deepEqual(r2.prob.dims, [1, 8, 64, 64, 64]);
  for (const t of [r1.chain, r1.base, r2.prob]) {
    const d = t.data as Float32Array;
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < d.length; i += 97) { lo = Math.min(lo, d[i]); hi = Math.max(hi, d[i]); }
    assert.ok(lo >= 0 && hi <= 1, `probabilities in [0, 1], got [${lo}, ${hi}]`);
  }
});
