/**
 * Shared by the training-tool tests (base caller, nucleic-acid classifier): run a repository script, read
 * float32 files, and skip (fail in CI) when /usr/bin/python3 lacks torch.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';

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
