/**
 * CryoREAD checkpoint converter (training/convert_cryoread_checkpoint.py): random-weight
 * checkpoints in exactly CryoREAD's key layout ('state_dict', 'module.' prefix,
 * 'module.chain_net.' / 'module.base_net.' for stage 1) are converted to our ONNX contract, and
 * onnxruntime-node's outputs equal PyTorch's (max abs difference < 1e-4) on a 16^3 input.
 * Needs Debian's python3-torch + python3-onnx under /usr/bin/python3 (CI installs them).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';

const PY = '/usr/bin/python3';
const EDGE = 16;

function torchAvailable(): boolean {
  return spawnSync(PY, ['-c', 'import torch, onnx'], { stdio: 'ignore' }).status === 0;
}

function readF32(path: string): Float32Array {
  const b = readFileSync(path);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

test('CryoREAD checkpoints (width 64, DataParallel keys) convert to ONNX that matches PyTorch', { timeout: 600_000 }, async (t) => {
  if (!torchAvailable()) {
    if (process.env.CRYOREAD_REQUIRE_SHARED === '1') throw new Error('/usr/bin/python3 lacks torch/onnx (apt-get install python3-torch python3-onnx)');
    t.skip('needs /usr/bin/python3 with torch and onnx');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'cryoread-convert-'));
  try {
    const make = spawnSync(PY, ['training/tests/make_random_cryoread_checkpoints.py', dir, '--edge', String(EDGE)], { encoding: 'utf8' });
    assert.equal(make.status, 0, make.stderr);
    assert.match(make.stdout, /stage-1 keys, e\.g\. module\.chain_net\./);
    const out = join(dir, 'model');
    const conv = spawnSync(PY, ['training/convert_cryoread_checkpoint.py', join(dir, 'ckpt'), out, '--name', 'cryoread-converted'], { encoding: 'utf8' });
    assert.equal(conv.status, 0, conv.stderr);
    const card = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    assert.equal(card.width, 64);
    assert.equal(card.placeholder, false);
    assert.deepEqual(card.stage1, { input: 'density', outputs: ['chain', 'base'] });

    const s1 = await ort.InferenceSession.create(join(out, 'stage1.onnx'));
    const r1 = await s1.run({ density: new ort.Tensor('float32', readF32(join(dir, 'input_density.f32')), [1, 1, EDGE, EDGE, EDGE]) });
    assert.deepEqual(r1.chain.dims, [1, 4, EDGE, EDGE, EDGE]);
    assert.deepEqual(r1.base.dims, [1, 5, EDGE, EDGE, EDGE]);
    const dChain = maxAbsDiff(r1.chain.data as Float32Array, readF32(join(dir, 'ref_chain.f32')));
    const dBase = maxAbsDiff(r1.base.data as Float32Array, readF32(join(dir, 'ref_base.f32')));
    const s2 = await ort.InferenceSession.create(join(out, 'stage2.onnx'));
    const r2 = await s2.run({ prob8: new ort.Tensor('float32', readF32(join(dir, 'input_prob8.f32')), [1, 8, EDGE, EDGE, EDGE]) });
    assert.deepEqual(r2.prob.dims, [1, 8, EDGE, EDGE, EDGE]);
    const dProb = maxAbsDiff(r2.prob.data as Float32Array, readF32(join(dir, 'ref_prob.f32')));
    t.diagnostic(`max |ONNX - PyTorch|: chain ${dChain.toExponential(2)}, base ${dBase.toExponential(2)}, stage 2 ${dProb.toExponential(2)}`);
    assert.ok(dChain < 1e-4 && dBase < 1e-4 && dProb < 1e-4, `differences ${dChain} ${dBase} ${dProb}`);

    // A checkpoint with a missing key is refused with a message naming it.
    const broken = join(dir, 'broken');
    mkdirSync(broken);
    const strip = spawnSync(PY, ['-c', [
      'import torch, sys',
      `ck = torch.load("${join(dir, 'ckpt', 'stage1_network.pth')}")`,
      'ck["state_dict"].pop("module.chain_net.outconv1.weight")',
      `torch.save(ck, "${join(broken, 'stage1_network.pth')}")`,
      `import shutil; shutil.copy("${join(dir, 'ckpt', 'stage2_network.pth')}", "${join(broken, 'stage2_network.pth')}")`,
    ].join('\n')], { encoding: 'utf8' });
    assert.equal(strip.status, 0, strip.stderr);
    const bad = spawnSync(PY, ['training/convert_cryoread_checkpoint.py', broken, join(dir, 'bad-out')], { encoding: 'utf8' });
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /missing \['chain_net\.outconv1\.weight'\]/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
