/**
 * `cryoread build` as a user runs it (child process): a simulated map of a small RNA with --oracle,
 * and --prediction-only. Checks the files, their frame and the summary.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readStructure } from '../../src/io/structure-file.js';
import { DEFAULT_FRAME_SEARCH } from '../../src/trace/frame-fit.js';
import { readMrc, writeMrc } from '../../src/io/mrc.js';
import { simulateMap } from '../../src/simulate/index.js';
import { paramsFromArgs } from '../../src/cli/build.js';
import { sharedDataOrSkip, sharedPath } from '../helpers/shared-data.js';

function cli(args: string[]) {
  return spawnSync(process.execPath, ['bin/cryoread.mjs', 'build', ...args], { encoding: 'utf8', env: { ...process.env, CRYOREAD_FROM_SOURCE: '1' } });
}

test('cryoread build --oracle writes CryoREAD.pdb/.cif, probability maps on the map frame and summary.json', async (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const tmp = mkdtempSync(join(tmpdir(), 'cryoread-build-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const refPath = sharedPath(dir, 'structures', 'rnapolis_1ATO.pdb');
  const mapPath = join(tmp, 'hairpin.mrc');
  writeMrc(mapPath, simulateMap(readStructure(refPath), { resolutionA: 4 }));
  const out = join(tmp, 'out');
  // No resolution given and none in the header: a clear error naming --resolution, exit code 2.
  const none = cli([mapPath, '--oracle', refPath, '--out', join(tmp, 'none')]);
  assert.equal(none.status, 2, none.stderr);
  assert.match(none.stderr, /hairpin\.mrc: no --resolution given and the header labels do not state one; give --resolution R/);
  const r = cli([mapPath, '--oracle', refPath, '--reference', refPath, '--out', out, '--time-budget-s', '2', '--resolution', '4']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /model written to .*CryoREAD\.pdb \(\d+ nucleotides in \d+ chains\)/);
  assert.match(r.stdout, /stage\s+seconds\s+nodes\s+residues/);
  assert.match(r.stdout, /coverage\s+1\b|coverage\s+0\.9[7-9]/);
  // Not a TTY: progress is one JSON object per line.
  const events = r.stderr.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  assert.ok(events.some((e) => e.stage === 'pipeline/build' && e.done === 1));
  const pdb = readFileSync(join(out, 'CryoREAD.pdb'), 'utf8');
  assert.ok(pdb.includes('TER'), 'TER records');
  assert.match(pdb, /REMARK 999 B-FACTOR = 20 \+ 80/);
  const model = readStructure(join(out, 'CryoREAD.pdb'));
  const cif = readStructure(join(out, 'CryoREAD.cif'));
  assert.equal(cif.chains.flatMap((c) => c.residues).length, model.chains.flatMap((c) => c.residues).length);
  for (const c of model.chains) assert.equal(c.residues[0].seqNum, 1, 'numbering per chain from 1');
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  assert.equal(summary.detection, 'oracle');
  // Reference-free quality: one CSV row per residue, its confidence in the B-factor column, a one-line summary.
  const csv = readFileSync(join(out, 'CryoREAD_residues.csv'), 'utf8').trim().split('\r\n').map((l) => l.split(','));
  const col = (n: string) => csv[0].indexOf(n);
  assert.deepEqual(csv[0], ['chain', 'seqNum', 'name', 'assigned', 'record', 'mapValue', 'localCC', 'sugarProb', 'phosphateProb', 'baseProb', 'baseCallProb', 'confidence', 'bFactorA2']);
  const residues = model.chains.flatMap((c) => c.residues.map((r) => ({ c: c.id, r })));
  assert.equal(csv.length - 1, residues.length);
  residues.forEach(({ c, r }, k) => {
    const row = csv[k + 1];
    assert.equal(row[col('chain')], c);
    assert.equal(Number(row[col('seqNum')]), r.seqNum);
    assert.ok(Math.abs(Number(row[col('bFactorA2')]) - r.atoms[0].bFactor) < 0.011, 'B-factor column = CSV');
    assert.ok(Math.abs(20 + 80 * (1 - Number(row[col('confidence')])) - r.atoms[0].bFactor) < 0.02);
  });
  // A perfect oracle on a clean simulated map: the model fits its map.
  const ccs = csv.slice(1).map((row) => Number(row[col('localCC')])).sort((a, b) => a - b);
  assert.ok(ccs[ccs.length >> 1] > 0.5, `median local CC ${ccs[ccs.length >> 1]}`);
  assert.match(summary.quality.line, /^\d+ nucleotides in \d+ chains; 0 \(0 %\) carry the FASTA sequence; median local map-model CC 0\.\d\d; \d+ clashes per 1000 atoms; mean confidence 0\.\d\d$/);
  assert.match(r.stdout, /model quality: /);
  assert.match(pdb, /REMARK 999 model quality: /);
  assert.ok(summary.evaluation.coverage >= 0.9);
  assert.deepEqual(summary.timings.map((x: { stage: string }) => x.stage), ['prepare', 'oracle', 'cluster', 'trace', 'build']);
  const sugar = readMrc(join(out, '2nd_stage_detection', 'chain_sugar_prob.mrc')).volume;
  const input = readMrc(mapPath).volume;
  // On the input map's grid: same shape, voxel size and origin.
  assert.deepEqual([sugar.shape, sugar.voxelSizeA, sugar.originA].map((x) => [...x]), [input.shape, input.voxelSizeA, input.originA].map((x) => [...x]));
  assert.ok(!readdirTmp(out).some((f) => f.endsWith('.tmp')), 'no temporary files left');

  const out2 = join(tmp, 'pred');
  const r2 = cli([mapPath, '--oracle', refPath, '--prediction-only', '--out', out2, '--resolution', '4', '--json-progress']);
  assert.equal(r2.status, 0, r2.stderr);
  // --json-progress: every stderr line is one JSON event with structured fields (no JSON inside a
  // string), the last one {"event":"done", files, summary}; no human text on a non-terminal stdout.
  const lines = r2.stderr.trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(lines.every((e) => typeof e.event === 'string' && !(typeof e.message === 'string' && /^[{[]/.test(e.message))));
  const stageEnd = lines.find((e) => e.stage === 'pipeline/oracle' && e.done === 1);
  assert.equal(typeof stageEnd.data.seconds, 'number');
  const done = lines[lines.length - 1];
  assert.equal(done.event, 'done');
  assert.ok(done.files.some((f: string) => f.endsWith(join('2nd_stage_detection', 'chain_phosphate_prob.mrc'))) && done.files.every((f: string) => existsSync(f)), done.files.join(' '));
  assert.equal(done.summary.resolutionA, 4);
  assert.equal(r2.stdout, '');
  assert.ok(existsSync(join(out2, '2nd_stage_detection', 'chain_phosphate_prob.mrc')));
  assert.ok(!existsSync(join(out2, 'CryoREAD.pdb')));
});

test('cryoread build --prediction-only with an ONNX model (tiny test fixture) writes stage-1 and stage-2 maps on the input frame', (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'cryoread-pred-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const out = join(tmp, 'out');
  const r = cli(['example/6v5b_sim_3.7A.mrc', '--model', 'test/detect/fixtures/tiny', '--threads', '1', '--prediction-only', '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  for (const f of ['2nd_stage_detection/chain_sugar_prob.mrc', '2nd_stage_detection/chain_base_prob.mrc', '1st_stage_detection/chain_phosphate_prob.mrc', '1st_stage_detection/base_UT_prob.mrc']) {
    assert.ok(existsSync(join(out, f)), f);
  }
  assert.ok(!existsSync(join(out, 'CryoREAD.pdb')));
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  assert.equal(summary.detection, 'network');
  assert.deepEqual(summary.timings.map((x: { stage: string }) => x.stage), ['prepare', 'detect']);
  // No --resolution: read from the example's header label ("cryoread-ts simulate 3.7 A ...").
  assert.equal(summary.resolutionA, 3.7);
  assert.match(r.stderr, /resolution 3\.7 A read from the map header label "cryoread-ts simulate 3\.7 A/);
  const input = readMrc('example/6v5b_sim_3.7A.mrc').volume;
  // Every map on the input's grid (1.05 A voxels, resampled back from the 1 A working grid), its
  // origin in ORIGIN and, as a whole number of voxels, in NSTART (what Coot and CCP4 read).
  for (const f of ['2nd_stage_detection/chain_sugar_prob.mrc', '1st_stage_detection/base_UT_prob.mrc']) {
    const m = readMrc(join(out, f));
    assert.deepEqual([m.volume.shape, m.volume.voxelSizeA, m.volume.originA].map((x) => [...x].map((v) => +v.toFixed(4))), [input.shape, input.voxelSizeA, input.originA].map((x) => [...x].map((v) => +v.toFixed(4))), f);
    const nstart = [m.header.NCSTART, m.header.NRSTART, m.header.NSSTART].map((n, i) => n * input.voxelSizeA[i]);
    const whole = input.originA.every((o, i) => Math.abs(o / input.voxelSizeA[i] - Math.round(o / input.voxelSizeA[i])) < 1e-3);
    for (let k = 0; k < 3; k++) assert.ok(Math.abs(nstart[k] - (whole ? input.originA[k] : 0)) < 1e-3, `${f} NSTART ${nstart}`);
  }
});

function readdirTmp(dir: string): string[] {
  return spawnSync('find', [dir, '-type', 'f'], { encoding: 'utf8' }).stdout.split('\n');
}

test('cryoread build: argument errors and parameter mapping', () => {
  const p = paramsFromArgs({ resolution: '3.7', stride: '16', 'batch-size': '2', 'frag-size': '10', 'rule-soft': true, contour: '-0.5', 'time-budget-s': '5' });
  assert.equal(p.resolutionA, 3.7);
  assert.equal(p.detection.stride, 16);
  assert.equal(p.detection.batchSize, 2);
  assert.equal(p.sequence.fragmentSize, 10);
  assert.equal(p.sequence.ruleSoft, true);
  assert.equal(p.sequence.pairTemplateAnchors, true, 'base pairs from template-placed bases by default');
  assert.equal(paramsFromArgs({ 'pair-anchors': 'detected' }).sequence.pairTemplateAnchors, false);
  assert.throws(() => paramsFromArgs({ 'pair-anchors': 'nodes' }), /--pair-anchors nodes: expected template or detected/);
  assert.deepEqual(p.baseCallFrameSearch, DEFAULT_FRAME_SEARCH, 'base calls read in the best-fitting frames by default');
  assert.equal(paramsFromArgs({ 'frame-search': 'off' }).baseCallFrameSearch, null);
  assert.deepEqual(paramsFromArgs({ 'frame-search': 'on' }).baseCallFrameSearch, DEFAULT_FRAME_SEARCH);
  assert.throws(() => paramsFromArgs({ 'frame-search': 'yes' }), /--frame-search yes: expected on or off/);
  assert.equal(p.prepare.contour, -0.5);
  assert.equal(p.build.sugarAnchor, 'sugar-atoms');
  assert.equal(p.baseCaller, 'base-caller-v4');
  assert.equal(paramsFromArgs({ 'base-caller': 'none' }).baseCaller, null);
  assert.equal(paramsFromArgs({}).naClassifier, 'na-classifier-v1', 'the nucleic-acid classifier runs by default');
  assert.equal(paramsFromArgs({}).naFilter.when, 'auto', '... and drops paths only on protein-rich maps');
  assert.equal(paramsFromArgs({ 'na-filter': 'always' }).naFilter.when, 'always');
  assert.throws(() => paramsFromArgs({ 'na-filter': 'never' }), /--na-filter never: expected auto or always/);
  assert.equal(paramsFromArgs({}).naFilter.minPathScore, 0.5);
  const na = paramsFromArgs({ 'na-classifier': 'na-classifier-v1', 'min-na-score': '0.3' });
  assert.equal(na.naClassifier, 'na-classifier-v1');
  assert.equal(na.naFilter.minPathScore, 0.3);
  assert.equal(paramsFromArgs({ 'na-classifier': 'none' }).naClassifier, null);
  assert.throws(() => paramsFromArgs({ 'min-na-score': '1.5' }), /--min-na-score 1\.5: expected a number >= 0 and <= 1/);
  assert.equal(paramsFromArgs({ 'base-caller': 'my/caller.json' }).baseCaller, 'my/caller.json');
  assert.equal(p.baseAnchors, 'template');
  assert.equal(paramsFromArgs({ 'base-anchors': 'detected' }).baseAnchors, 'detected');
  assert.throws(() => paramsFromArgs({ 'base-anchors': 'nearest' }), /--base-anchors nearest: expected template or detected/);
  assert.throws(() => paramsFromArgs({ stride: 'abc' }), /--stride abc/);
  assert.throws(() => paramsFromArgs({ resolution: '12' }), /above 10 A/);
  const r = cli(['--out', 'x']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /expected exactly one MAP/);
});
