/**
 * The kernel for notebooks outside the checkout (issue 14 item 7), the way README says: in a
 * temporary folder of one's own, `npm install /path/to/cryoread-ts` (offline: a link to the
 * checkout), the kernelspec installed by `cryoread-kernel install --prefix` into a temp
 * JUPYTER_PATH, and a notebook in that folder executed by nbconvert (Debian's Jupyter under
 * /usr/bin/python3; Jupyter starts the kernel in the notebook's folder). Its cell imports the
 * library by name (`from 'cryoread-ts'`), reads the header of a map copied into the folder by a
 * relative path and FASTA text; the printed values must equal what the library reads in this
 * process. Skips with the reason when nbconvert is missing (fails with CRYOREAD_REQUIRE_SHARED=1
 * or CI). dist/ (what `main` points at) is built first when this worktree has none.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LAUNCHER } from '../kernel-ext/kernel-client.js';
import { readMrcHeader } from '../../src/io/mrc.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const PYTHON = '/usr/bin/python3';
const REQUIRED = process.env.CI === 'true' || process.env.CRYOREAD_REQUIRE_SHARED === '1';
const MAP = join(ROOT, 'example', '6v5b_sim_3.7A.mrc');

function skipOrFail(t: TestContext, why: string): void {
  if (REQUIRED) assert.fail(`${why} (needed with CRYOREAD_REQUIRE_SHARED=1 / CI)`);
  t.skip(why);
}

function cell(source: string) {
  return { cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source };
}

test('a notebook in one\'s own folder runs on the cryoread kernel and imports the library as cryoread-ts', { timeout: 600_000 }, (t) => {
  if (!existsSync(PYTHON) || spawnSync(PYTHON, ['-c', 'import nbconvert, nbclient'], { timeout: 30_000 }).status !== 0) {
    return skipOrFail(t, `${PYTHON} has no nbconvert/nbclient (Debian: apt-get install jupyter-nbconvert python3-nbclient)`);
  }
  if (!existsSync(join(ROOT, 'dist', 'index.js'))) {
    const b = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stdout + b.stderr);
  }
  const work = realpathSync(mkdtempSync(join(tmpdir(), 'cryoread-own-kernel-')));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const dir = join(work, 'my-analysis');
  const prefix = join(work, 'prefix');
  mkdirSync(join(dir, 'maps'), { recursive: true });
  assert.ok(!dir.startsWith(ROOT + '/'), 'the folder is outside the checkout');

  // README: `npm install /path/to/cryoread-ts` in one's own folder
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'my-analysis', private: true, type: 'module' }));
  const npm = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', ROOT], { cwd: dir, encoding: 'utf8', timeout: 180_000 });
  assert.equal(npm.status, 0, `npm install ${ROOT}: ${npm.stderr}`);
  assert.equal(realpathSync(join(dir, 'node_modules', 'cryoread-ts')), realpathSync(ROOT), 'npm links the checkout');
  copyFileSync(MAP, join(dir, 'maps', 'my-map.mrc'));

  // README: `npx cryoread-kernel install` (here into a temp prefix, found through JUPYTER_PATH)
  const ks = spawnSync(process.execPath, [LAUNCHER, 'install', '--prefix', prefix, '--json'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(ks.status, 0, ks.stderr);
  const env: NodeJS.ProcessEnv = { ...process.env, JUPYTER_PATH: join(prefix, 'share', 'jupyter'), JUPYTER_DATA_DIR: join(work, 'data'), JUPYTER_RUNTIME_DIR: join(work, 'runtime'), JUPYTER_CONFIG_DIR: join(work, 'config'), PYTHONNOUSERSITE: '1' };
  delete env.CRYOREAD_KERNEL_ROOT;

  const nb = {
    cells: [
      cell([
        "import { readMrcHeader, parseFasta } from 'cryoread-ts';",
        "const info = readMrcHeader('maps/my-map.mrc');",
        "const h = info.header;",
        "console.log('RESULT ' + JSON.stringify({ cwd: process.cwd(), size: [h.NC, h.NR, h.NS], mode: h.MODE, voxelSizeA: info.geometry.voxelSizeA, fasta: parseFasta('>A mine\\nacgu')[0].sequence }));",
      ].join('\n')),
    ],
    metadata: { kernelspec: { name: 'cryoread', display_name: 'CryoREAD (TypeScript)', language: 'typescript' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  writeFileSync(join(dir, 'mine.ipynb'), JSON.stringify(nb));
  const out = join(dir, 'mine.out.ipynb');
  const r = spawnSync(PYTHON, ['-m', 'nbconvert', '--to', 'notebook', '--execute', '--ExecutePreprocessor.kernel_name=cryoread', '--ExecutePreprocessor.timeout=300', '--ExecutePreprocessor.startup_timeout=180', '--output', out, join(dir, 'mine.ipynb')], { cwd: dir, env, encoding: 'utf8', timeout: 400_000 });
  assert.equal(r.status, 0, `nbconvert failed:\n${r.stderr.slice(-3000)}`);
  const executed = JSON.parse(readFileSync(out, 'utf8')) as { cells: { outputs: { output_type: string; ename?: string; text?: string | string[] }[] }[] };
  const outputs = executed.cells[0].outputs;
  for (const o of outputs) assert.notEqual(o.output_type, 'error', `cell error: ${o.ename}`);
  const text = outputs.map((o) => (Array.isArray(o.text) ? o.text.join('') : o.text ?? '')).join('');
  const line = text.split('\n').find((l) => l.startsWith('RESULT '));
  assert.ok(line, `no RESULT line in the cell output: ${text.slice(0, 2000)}`);
  const got = JSON.parse(line.slice('RESULT '.length)) as { cwd: string; size: number[]; mode: number; voxelSizeA: number[]; fasta: string };

  const want = readMrcHeader(MAP);
  assert.equal(realpathSync(got.cwd), dir, 'cells run in the notebook\'s own folder (relative paths are the user\'s)');
  assert.deepEqual(got.size, [want.header.NC, want.header.NR, want.header.NS]);
  assert.ok(got.size.every((n) => Number.isInteger(n) && n > 10), `map size ${got.size}`);
  assert.equal(got.mode, want.header.MODE);
  for (let a = 0; a < 3; a++) assert.ok(Math.abs(got.voxelSizeA[a] - want.geometry.voxelSizeA[a]) < 1e-6, `voxel size ${got.voxelSizeA} vs ${want.geometry.voxelSizeA}`);
  assert.equal(got.fasta, 'ACGU');
});
