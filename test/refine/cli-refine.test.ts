/**
 * `cryoread refine` and `cryoread validate` as a user runs them (child processes): files written,
 * report JSON, usage errors, the missing-program fallback line, --map-mask.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeMrc } from '../../src/io/mrc.js';
import { readStructure, writeStructure } from '../../src/io/structure-file.js';
import { simulateMap } from '../../src/simulate/simulate-map.js';
import { Structure as S } from '../../src/structure/model.js';
import { Volume } from '../../src/grid/volume.js';
import { Rng } from '../../src/util/random.js';
import { idealStrand } from '../helpers/ideal-strand.js';

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, ['bin/cryoread.mjs', ...args], { encoding: 'utf8', env: { ...process.env, CRYOREAD_FROM_SOURCE: '1', ...env } });
}

function inputs(t: { after(fn: () => void): void }) {
  const tmp = mkdtempSync(join(tmpdir(), 'cryoread-refine-cli-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const truth = idealStrand('G', 5);
  const mapPath = join(tmp, 'map.mrc');
  const map = simulateMap(truth, { resolutionA: 3.5, padA: 8 });
  writeMrc(mapPath, map);
  const bad = idealStrand('G', 5);
  const rng = new Rng(4);
  for (const { atom } of S.atoms(bad)) { atom.x += 0.2 * rng.normal(); atom.y += 0.2 * rng.normal(); atom.z += 0.2 * rng.normal(); }
  const modelPath = join(tmp, 'model.pdb');
  writeStructure(modelPath, bad);
  return { tmp, mapPath, modelPath, map };
}

test('cryoread refine writes OUT.pdb and OUT.json with before/after metrics and per-iteration records', (t) => {
  const { tmp, mapPath, modelPath } = inputs(t);
  const out = join(tmp, 'refined.cif');
  const r = cli(['refine', modelPath, mapPath, '--resolution', '3.5', '--out', out, '--cycles', '3']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /engine builtin, [\d.]+ s/);
  assert.match(r.stdout, /bond RMSD \(A\)\s+0\.\d+\s+0\.0[0-2]\d\d/);
  assert.ok(existsSync(out));
  assert.equal(S.nucleotides(readStructure(out)).length, 5);
  const rep = JSON.parse(readFileSync(join(tmp, 'refined.json'), 'utf8'));
  assert.equal(rep.tool, 'cryoread-ts refine');
  assert.deepEqual(rep.engine, { requested: 'builtin', used: 'builtin' });
  assert.ok(rep.after.bondRmsdA < 0.02 && rep.before.bondRmsdA > 0.1);
  assert.ok(rep.after.mapCC > rep.before.mapCC);
  assert.equal(rep.cycles.length, 4);
  assert.ok(rep.iterations.length > 10 && 'bondRmsdA' in rep.iterations[0]);
  // Progress on stderr, one JSON line per event (not a TTY).
  assert.ok(r.stderr.split('\n').some((l) => l.startsWith('{') && JSON.parse(l).stage === 'refine/cycle'));
});

test('cryoread refine: usage errors exit 2; a missing external program falls back with one line', (t) => {
  const { tmp, mapPath, modelPath } = inputs(t);
  assert.equal(cli(['refine', modelPath, mapPath, '--out', join(tmp, 'x.pdb')]).status, 2);
  assert.equal(cli(['refine', modelPath, mapPath, '--resolution', '3.5']).status, 2);
  const bad = cli(['refine', modelPath, mapPath, '--resolution', '3.5', '--out', join(tmp, 'x.pdb'), '--engine', 'shelx']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--engine shelx: expected one of builtin, phenix, coot, cryoread/);
  assert.equal(cli(['refine', modelPath, mapPath, '--resolution', '3.5', '--out', join(tmp, 'x.txt')]).status, 2);
  const r = cli(['refine', modelPath, mapPath, '--resolution', '3.5', '--out', join(tmp, 'p.pdb'), '--engine', 'phenix', '--cycles', '1'], { PATH: '/usr/bin:/bin', PHENIX: '', CRYOREAD_PHENIX: '' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^note: phenix\.real_space_refine not found \(looked in PATH\): the built-in engine ran instead of 'phenix'$/m);
  assert.match(r.stdout, /engine builtin \(asked: phenix\)/);
  assert.ok(existsSync(join(tmp, 'p.pdb')));
});

test('cryoread refine --map-mask reads a build folder\'s probability maps; cryoread validate prints the table and JSON', (t) => {
  const { tmp, mapPath, modelPath, map } = inputs(t);
  const probDir = join(tmp, 'build', '2nd_stage_detection');
  mkdirSync(probDir, { recursive: true });
  const ones = Volume.create(map, new Float32Array(map.data.length).fill(0.5));
  const zeros = Volume.create(map);
  for (const ch of ['sugar', 'phosphate', 'base']) writeMrc(join(probDir, `chain_${ch}_prob.mrc`), ones);
  writeMrc(join(probDir, 'chain_protein_prob.mrc'), zeros);
  const r = cli(['refine', modelPath, mapPath, '--resolution', '3.5', '--out', join(tmp, 'm.pdb'), '--map-mask', join(tmp, 'build'), '--cycles', '1']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(readFileSync(join(tmp, 'm.json'), 'utf8')).mapMask, join(tmp, 'build'));
  const missing = cli(['refine', modelPath, mapPath, '--resolution', '3.5', '--out', join(tmp, 'n.pdb'), '--map-mask', tmp]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /chain_sugar_prob\.mrc not found; give the output folder of cryoread build/);

  const v = cli(['validate', join(tmp, 'm.pdb'), mapPath, '--resolution', '3.5']);
  assert.equal(v.status, 0, v.stderr);
  assert.match(v.stdout, /bond RMSD 0\.0[0-2]\d\d A over \d+ bonds/);
  assert.match(v.stdout, /map CC \(mask\) 0\.\d{3}/);
  assert.equal(v.stdout.split('\n').filter((l) => /^A\s+\d+\s+G\s/.test(l)).length, 5);
  const j = JSON.parse(cli(['validate', modelPath, '--json']).stdout);
  assert.equal(j.summary.nucleotides, 5);
  assert.equal(j.summary.mapCC, null);
  assert.equal(j.residues.length, 5);
  assert.equal(cli(['validate', modelPath, mapPath]).status, 2, 'a map needs --resolution');
});
