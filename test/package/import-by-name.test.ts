/**
 * The package from one's own folder (issue 14 item 7): a script outside the checkout imports the
 * library by name (`import { runPipeline } from 'cryoread-ts'`) and runs the `cryoread` command, as
 * after `npm install /path/to/cryoread-ts` (a symlink in node_modules). `main`/`exports` point at
 * dist/, which the `prepare` script builds on `npm ci` / `npm install`; when dist/ is absent here
 * (a worktree without a fresh install) the test builds it first (tsc, ~30 s).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve('.');

test('import { runPipeline } from "cryoread-ts" and the cryoread command work from another folder', { timeout: 300_000 }, (t) => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  assert.equal(pkg.scripts.prepare, 'npm run build', 'dist/ is built on install');
  assert.equal(pkg.exports['.'].import, './dist/index.js');
  if (!existsSync(join(ROOT, 'dist', 'index.js'))) {
    const b = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stdout + b.stderr);
  }
  const dir = mkdtempSync(join(tmpdir(), 'cryoread-own-folder-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'cryoread-ts'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'my-analysis', type: 'module', private: true }));
  writeFileSync(join(dir, 'script.mjs'), [
    "import { runPipeline, parseFasta, readMrc, pipeline } from 'cryoread-ts';",
    "const map = readMrc(process.argv[2]).volume;",
    "console.log(JSON.stringify({ runPipeline: typeof runPipeline, fasta: parseFasta('>A\\nACGU')[0].sequence, shape: map.shape, writeOutputs: typeof pipeline.writePipelineOutputs }));",
  ].join('\n'));
  const r = spawnSync(process.execPath, ['script.mjs', join(ROOT, 'example', '6v5b_sim_3.7A.mrc')], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const o = JSON.parse(r.stdout.trim());
  assert.deepEqual(o, { runPipeline: 'function', fasta: 'ACGU', shape: o.shape, writeOutputs: 'function' });
  assert.equal(o.shape.length, 3);
  const c = spawnSync(process.execPath, [join(dir, 'node_modules', 'cryoread-ts', 'bin', 'cryoread.mjs'), 'build', '--help'], { cwd: dir, encoding: 'utf8' });
  assert.equal(c.status, 0, c.stderr);
  assert.match(c.stdout, /usage: cryoread build MAP --out DIR/);
});
