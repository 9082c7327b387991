/**
 * `cryoread build --refine` (child process, oracle detection on a simulated hairpin map): the mask
 * map, the unrefined model kept as CryoREAD_norefine.pdb, the refined CryoREAD.pdb, the refinement
 * record in summary.json, and the missing-program fallback of --engine cryoread; --engine alone
 * implying --refine and the refinement-only options' errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readStructure } from '../../src/io/structure-file.js';
import { readMrc, writeMrc } from '../../src/io/mrc.js';
import { simulateMap } from '../../src/simulate/index.js';
import { validateModel } from '../../src/refine/validate.js';
import { sharedDataOrSkip, sharedPath } from '../helpers/shared-data.js';
import { idealStrand } from '../helpers/ideal-strand.js';
import { refineOptionsFromArgs } from '../../src/cli/build.js';
import { InputError } from '../../src/util/errors.js';

test('cryoread build --refine --engine cryoread (no Phenix/Coot here): built-in refinement, norefine model kept', (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const tmp = mkdtempSync(join(tmpdir(), 'cryoread-build-refine-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const refPath = sharedPath(dir, 'structures', 'rnapolis_1ATO.pdb');
  const mapPath = join(tmp, 'hairpin.mrc');
  writeMrc(mapPath, simulateMap(readStructure(refPath), { resolutionA: 4, noiseSnr: 5, seed: 2 }));
  const out = join(tmp, 'out');
  const r = spawnSync(process.execPath, ['bin/cryoread.mjs', 'build', mapPath, '--oracle', refPath, '--out', out, '--resolution', '4', '--time-budget-s', '2', '--refine', '--engine', 'cryoread'],
    { encoding: 'utf8', env: { ...process.env, CRYOREAD_FROM_SOURCE: '1', PATH: '/usr/bin:/bin', PHENIX: '', COOT: '', CRYOREAD_PHENIX: '', CRYOREAD_COOT: '' } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /note: refine: phenix\.real_space_refine not found \(looked in PATH\); coot not found \(looked in PATH\): the built-in engine ran instead of 'cryoread'/);
  for (const f of ['CryoREAD.pdb', 'CryoREAD.cif', 'CryoREAD_norefine.pdb', 'mask_map.mrc', 'summary.json']) assert.ok(existsSync(join(out, f)), f);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  assert.deepEqual(summary.refinement.engine, { requested: 'cryoread', used: 'builtin' });
  assert.ok(summary.timings.some((x: { stage: string }) => x.stage === 'refine'));
  const before = validateModel(readStructure(join(out, 'CryoREAD_norefine.pdb'))).summary;
  const after = validateModel(readStructure(join(out, 'CryoREAD.pdb'))).summary;
  assert.equal(after.nucleotides, before.nucleotides);
  assert.ok(after.bondRmsdA <= 0.021, `bond RMSD ${before.bondRmsdA} -> ${after.bondRmsdA}`);
  assert.ok(after.clashesPer1000 <= before.clashesPer1000);
  // The record is of the model in memory; the file's coordinates are rounded to 0.001 A.
  assert.ok(Math.abs(summary.refinement.after.bondRmsdA - after.bondRmsdA) < 3e-4, `summary ${summary.refinement.after.bondRmsdA} vs file ${after.bondRmsdA}`);
  assert.match(readFileSync(join(out, 'CryoREAD.pdb'), 'utf8'), /REMARK 999 refined by cryoread-ts \(engine builtin\) against mask_map\.mrc at 4 A/);
  // The mask map: the input density, zeroed away from the nucleic acid.
  const mask = readMrc(join(out, 'mask_map.mrc')).volume, raw = readMrc(mapPath).volume;
  assert.deepEqual([...mask.shape], [...raw.shape]);
  let kept = 0, zeroed = 0;
  for (let i = 0; i < raw.data.length; i++) { if (mask.data[i] !== 0) { kept++; assert.equal(mask.data[i], raw.data[i]); } else if (raw.data[i] > 0) zeroed++; }
  assert.ok(kept > 100 && zeroed > 100, `kept ${kept}, zeroed ${zeroed}`);
});

test('cryoread build: --engine alone implies --refine; refinement-only options without it, or with --prediction-only, are input errors', (t) => {
  // The option logic (no map needed).
  assert.equal(refineOptionsFromArgs({}), null);
  assert.deepEqual(refineOptionsFromArgs({ refine: true })?.implied, false);
  assert.equal(refineOptionsFromArgs({ refine: true })?.options.engine, 'builtin');
  const implied = refineOptionsFromArgs({ engine: 'phenix', phenix: '/opt/phenix' });
  assert.equal(implied?.implied, true);
  assert.equal(implied?.options.engine, 'phenix');
  assert.equal(implied?.options.tools.phenixDir, '/opt/phenix');
  assert.throws(() => refineOptionsFromArgs({ engine: 'rosetta' }), /--engine rosetta: expected one of builtin, phenix, coot, cryoread/);
  for (const k of ['phenix', 'coot', 'tool-timeout-s']) {
    assert.throws(() => refineOptionsFromArgs({ [k]: '1' }), (e: unknown) => e instanceof InputError && e.code === 'CLI_REFINE_OPTION'
      && new RegExp(`^--${k} is a refinement option but the model is not refined: add --refine .* or drop --${k}$`).test(e.message));
  }
  assert.throws(() => refineOptionsFromArgs({ engine: 'coot', 'prediction-only': true }), /--engine coot with --prediction-only: no model is built to refine; drop one of them/);
  assert.throws(() => refineOptionsFromArgs({ refine: true, 'prediction-only': true }), /--refine with --prediction-only/);
  // As a user meets it (child process, --check: inputs only, nothing built).
  const tmp = mkdtempSync(join(tmpdir(), 'cryoread-build-engine-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const mapPath = join(tmp, 'strand.mrc');
  writeMrc(mapPath, simulateMap(idealStrand('G', 3), { resolutionA: 4, padA: 6 }));
  const run = (extra: string[]) => spawnSync(process.execPath, ['bin/cryoread.mjs', 'build', mapPath, '--out', join(tmp, 'out'), '--resolution', '4', '--check', ...extra],
    { encoding: 'utf8', env: { ...process.env, CRYOREAD_FROM_SOURCE: '1' } });
  const ok = run(['--engine', 'builtin']);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stderr, /cryoread build: --engine builtin implies --refine: the model is refined \(the unrefined one kept as CryoREAD_norefine\.pdb\)/);
  const plain = run([]);
  assert.equal(plain.status, 0, plain.stderr);
  assert.doesNotMatch(plain.stderr, /implies --refine/);
  const stray = run(['--coot', '/usr/bin/coot']);
  assert.equal(stray.status, 2);
  assert.equal(stray.stderr.trim().split('\n').length, 1, stray.stderr);
  assert.match(stray.stderr, /cryoread build: InputError: --coot is a refinement option but the model is not refined/);
});
