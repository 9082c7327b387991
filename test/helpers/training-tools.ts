/**
 * Shared by the training-tool tests (base caller, nucleic-acid classifier, traced-node base caller): run a
 * repository script, read float32 files, skip (fail in CI) when /usr/bin/python3 lacks torch or
 * ../shared/data is absent, make a tiny dataset in a temporary folder, and compare TypeScript base-caller
 * inference with PyTorch's.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import { featureCount, predictBaseType, type BaseCaller } from '../../src/trace/base-caller.js';
import { sharedDataOrSkip, sharedPath } from './shared-data.js';

export const PY = '/usr/bin/python3';
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

/** Runs `cmd args` in the repository root; fails the test with its output when it exits non-zero. */
export function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
}

export function readF32(path: string): Float32Array {
  const b = readFileSync(path);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

/** True when /usr/bin/python3 has torch; otherwise skips the test (throws under CRYOREAD_REQUIRE_SHARED=1). */
export function torchOrSkip(t: TestContext): boolean {
  if (spawnSync(PY, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0) return true;
  if (process.env.CRYOREAD_REQUIRE_SHARED === '1') throw new Error('/usr/bin/python3 lacks torch (apt-get install python3-torch)');
  t.skip('needs /usr/bin/python3 with torch');
  return false;
}

/**
 * Runs `body(shared, tmp)` with ../shared/data and torch present (else skips, or fails in CI) in a fresh
 * temporary folder, removed afterwards.
 */
export async function withTrainingTools(t: TestContext, prefix: string, body: (shared: string, tmp: string) => Promise<void> | void): Promise<void> {
  const shared = sharedDataOrSkip(t);
  if (!shared || !torchOrSkip(t)) return;
  const tmp = mkdtempSync(join(tmpdir(), prefix));
  try {
    await body(shared, tmp);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** make-dataset.ts on `files` of shared/data/structures (one plain-simulator map each) into tmp/data. */
export function tinyDataset(shared: string, tmp: string, files: readonly string[], split: 'v1' | 'v2'): string {
  const structures = join(tmp, 'structures');
  mkdirSync(structures);
  for (const f of files) symlinkSync(sharedPath(shared, 'structures', f), join(structures, f));
  const data = join(tmp, 'data');
  run(TSX, ['training/make-dataset.ts', '--structures', structures, '--out', data, '--per-structure', '1', '--targets', 'binary', '--seed', '3', '--split', split, '--realism', 'off']);
  return data;
}

/** Largest difference between the caller's probabilities on the rows of X (N x features) and PyTorch's P (N x 4). */
export function maxBaseProbabilityDiff(caller: BaseCaller, X: Float32Array, P: Float32Array): number {
  const nf = featureCount(caller.grid);
  assert.equal(P.length, (X.length / nf) * 4, 'one row of 4 probabilities per feature vector');
  let maxDiff = 0;
  for (let i = 0; i < X.length / nf; i++) {
    const p = predictBaseType(caller, X.subarray(i * nf, (i + 1) * nf));
    for (let k = 0; k < 4; k++) maxDiff = Math.max(maxDiff, Math.abs(p[k] - P[4 * i + k]));
  }
  return maxDiff;
}
