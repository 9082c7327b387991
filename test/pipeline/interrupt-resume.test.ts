/**
 * Issue 17, items 2 and 3: outputs never half-written (staging folder beside DIR, swapped in at the
 * end), SIGINT/SIGTERM during detection (exit 130, nothing under the final names, an earlier run
 * kept), a second Ctrl-C, and --resume from DIR/.cache (every stage reused with the same inputs;
 * a changed parameter recomputes its stage and the later ones only).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readStructure } from '../../src/io/structure-file.js';
import { writeMrc } from '../../src/io/mrc.js';
import { simulateMap } from '../../src/simulate/index.js';
import { runPipeline } from '../../src/pipeline/run-pipeline.js';
import { stageKey, type PipelineCache } from '../../src/pipeline/stage-cache.js';
import { sharedDataOrSkip, sharedPath } from '../helpers/shared-data.js';

const EXAMPLE = 'example/6v5b_sim_3.7A.mrc';

function cli(args: string[]) {
  return spawnSync(process.execPath, ['bin/cryoread.mjs', 'build', ...args], { encoding: 'utf8' });
}

const atoms = (pdb: string) => readFileSync(pdb, 'utf8').split('\n').filter((l) => l.startsWith('ATOM')).join('\n');
const stages = (summaryPath: string) => JSON.parse(readFileSync(summaryPath, 'utf8')).timings as { stage: string; cached?: boolean }[];

/** Starts a network build, sends `signals` once detection has reported progress, resolves with the outcome. */
/**
 * Exit status as a shell reports it: an interrupted build ends by SIGINT (see src/cli/interrupt.ts),
 * which a shell shows as 130.
 */
const shellStatus = (code: number | null, signal: NodeJS.Signals | null) => (signal === 'SIGINT' ? 130 : code);

/** Starts a network build (default threads: onnxruntime's own thread pool), sends `signals` once stage `at` reports. */
function interruptDuringDetection(out: string, signals: NodeJS.Signals[], at = 'detect/stage1'): Promise<{ code: number | null; stderr: string; afterSignalS: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/cryoread.mjs', 'build', EXAMPLE, '--resolution', '3.7', '--batch-size', '4', '--out', out, '--json-progress'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let sentAt = 0;
    child.stderr.on('data', (d) => {
      stderr += String(d);
      if (!sentAt && stderr.includes(`"stage":"${at}"`)) {
        sentAt = performance.now();
        signals.forEach((s, i) => setTimeout(() => child.kill(s), i * 100));
      }
    });
    child.on('exit', (code, signal) => resolve({ code: shellStatus(code, signal), stderr, afterSignalS: (performance.now() - sentAt) / 1000 }));
  });
}

test('SIGINT during detection: exit 130 quickly, no outputs under final names, an earlier run left as it was', async (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'cryoread-int-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const out = join(tmp, 'out');
  mkdirSync(out);
  writeFileSync(join(out, 'summary.json'), JSON.stringify({ tool: 'cryoread-ts build', earlier: true }));
  writeFileSync(join(out, 'CryoREAD.pdb'), 'EARLIER\n');
  const r = await interruptDuringDetection(out, ['SIGINT']);
  t.diagnostic(`exit ${r.code} ${r.afterSignalS.toFixed(2)} s after SIGINT (during the first stage-1 batch)`);
  assert.equal(r.code, 130, r.stderr);
  assert.match(r.stderr, /SIGINT received, stopping/);
  assert.match(r.stderr, /interrupted; no outputs written to/);
  assert.equal(readFileSync(join(out, 'CryoREAD.pdb'), 'utf8'), 'EARLIER\n', 'earlier model kept');
  assert.equal(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).earlier, true);
  assert.deepEqual(readdirSync(tmp), ['out'], 'no staging folder left beside DIR');
  assert.ok(!existsSync(join(out, '2nd_stage_detection')), 'no probability maps of the interrupted run');
});

test('SIGTERM during clustering (pipeline in a worker thread), and a second SIGINT exits at once', async (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'cryoread-int2-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const a = await interruptDuringDetection(join(tmp, 'a'), ['SIGTERM'], 'pipeline/cluster');
  t.diagnostic(`SIGTERM: exit ${a.code} after ${a.afterSignalS.toFixed(2)} s`);
  assert.equal(a.code, 130, a.stderr);
  assert.match(a.stderr, /SIGTERM received, stopping/);
  assert.match(a.stderr, /"stage":"pipeline\/detect","done":1/, 'detection had finished');
  const b = await interruptDuringDetection(join(tmp, 'b'), ['SIGINT', 'SIGINT']);
  t.diagnostic(`SIGINT twice: exit ${b.code} after ${b.afterSignalS.toFixed(2)} s`);
  assert.equal(b.code, 130, b.stderr);
  assert.ok(!existsSync(join(tmp, 'a', 'CryoREAD.pdb')) && !existsSync(join(tmp, 'b', 'CryoREAD.pdb')));
  assert.deepEqual(readdirSync(tmp).filter((n) => n.includes('.partial-')), [], 'no staging folder left');
});

test('--resume with the network: every stage reused, same model; a changed sequence option recomputes sequence and build only', async (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'cryoread-resume-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const out = join(tmp, 'out');
  const base = [EXAMPLE, '--fasta', 'example/21051.fasta', '--resolution', '3.7', '--out', out, '--time-budget-s', '3'];
  const r1 = cli(base);
  assert.equal(r1.status, 0, r1.stderr);
  const model1 = atoms(join(out, 'CryoREAD.pdb'));
  assert.ok(model1.length > 0);
  assert.ok(stages(join(out, 'summary.json')).every((s) => !s.cached));
  const cacheFiles = readdirSync(join(out, '.cache')).map((n) => n.replace(/-[0-9a-f]+\.v8$/, '')).sort();
  assert.deepEqual(cacheFiles, ['bases', 'build', 'classify', 'cluster', 'detect', 'sequence', 'trace']);
  // A stale file from an earlier run disappears with the swap.
  writeFileSync(join(out, 'stale.txt'), 'old');

  const r2 = cli([...base, '--resume']);
  assert.equal(r2.status, 0, r2.stderr);
  assert.match(r2.stdout, /detect \(cached\)/);
  assert.deepEqual(stages(join(out, 'summary.json')).filter((s) => s.cached).map((s) => s.stage), ['detect', 'cluster', 'trace', 'classify', 'bases', 'sequence', 'build']);
  assert.equal(atoms(join(out, 'CryoREAD.pdb')), model1, 'the resumed model equals the computed one');
  assert.ok(!existsSync(join(out, 'stale.txt')), 'files of the earlier run are gone');
  // Input-check warnings are kept in summary.json.
  assert.match(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).inputWarnings.join('\n'), /holds the outputs of an earlier build/);

  const r3 = cli([...base, '--resume', '--frag-size', '16']);
  assert.equal(r3.status, 0, r3.stderr);
  const s3 = stages(join(out, 'summary.json'));
  assert.deepEqual(s3.filter((s) => s.cached).map((s) => s.stage), ['detect', 'cluster', 'trace', 'classify', 'bases']);
  assert.deepEqual(s3.filter((s) => !s.cached).map((s) => s.stage), ['prepare', 'sequence', 'build']);
});

test('interrupt handler: the first signal aborts, the second cleans up and exits 130 at once', () => {
  const script = [
    "import { handleInterrupts } from './src/cli/interrupt.ts';",
    'const c = new AbortController();',
    "c.signal.addEventListener('abort', () => { process.stdout.write('aborted\\n'); process.kill(process.pid, 'SIGINT'); });",
    "handleInterrupts(c, () => process.stdout.write('cleanup\\n'), 'test');",
    "setInterval(() => {}, 1000); process.kill(process.pid, 'SIGINT');",
  ].join('\n');
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(shellStatus(r.status, r.signal), 130, r.stderr);
  assert.equal(r.stdout, 'aborted\ncleanup\n');
  assert.match(r.stderr, /SIGINT received, stopping \(press Ctrl-C again to exit at once\)/);
  assert.match(r.stderr, /exiting now/);
});

test('runPipeline with a cache: a changed clustering parameter recomputes cluster and later stages, not the probabilities', async (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const structure = readStructure(sharedPath(dir, 'structures', 'rnapolis_1ATO.pdb'));
  const map = simulateMap(structure, { resolutionA: 4 });
  const store = new Map<string, unknown>();
  const saved: string[] = [];
  const loaded: string[] = [];
  const cache: PipelineCache = {
    baseKey: 'test-inputs', read: true,
    load: (stage, key) => { const v = store.get(key); if (v !== undefined) loaded.push(stage); return v === undefined ? undefined : structuredClone(v); },
    save: (stage, key, v) => { saved.push(stage); store.set(key, structuredClone(v)); },
  };
  const input = { map, oracle: { structure } };
  const params = { trace: { timeBudgetMs: 500, timePerNodeMs: 0 } };
  const a = await runPipeline(input, params, undefined, { cache });
  assert.deepEqual(saved, ['oracle', 'cluster', 'trace', 'build']);
  assert.deepEqual(loaded, []);
  const b = await runPipeline(input, params, undefined, { cache });
  assert.deepEqual(loaded, ['oracle', 'cluster', 'trace', 'build']);
  assert.deepEqual(b.structure!.chains.map((c) => c.residues.length), a.structure!.chains.map((c) => c.residues.length));
  loaded.length = 0; saved.length = 0;
  await runPipeline(input, { ...params, cluster: { bandwidthA: 2.5 } }, undefined, { cache });
  assert.deepEqual(loaded, ['oracle']);
  assert.deepEqual(saved, ['cluster', 'trace', 'build']);
  // read: false (a build without --resume) stores but never loads.
  loaded.length = 0;
  await runPipeline(input, params, undefined, { cache: { ...cache, read: false, load: () => undefined } });
  assert.deepEqual(loaded, []);
  // Keys are chained: the same stage params after a different history give a different key.
  assert.notEqual(stageKey('a', 'cluster', {}), stageKey('b', 'cluster', {}));
  assert.equal(stageKey('a', 'cluster', { x: 1, y: 2 }), stageKey('a', 'cluster', { y: 2, x: 1 }), 'key independent of property order');
});
