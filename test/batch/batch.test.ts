/**
 * `cryoread batch` and `batch-status` (issue 17, item 4): the JOBS.tsv reader, a local batch (a
 * working job, an oracle job with a reference, a broken map) with its summaries and a rerun that
 * skips finished jobs, the Slurm script (--dry-run), and submission + status through fake
 * sbatch/squeue/sacct executables written by the test (the real single-node cluster is in
 * slurm-cluster.test.ts), plus the squeue/sacct parsers on text as Slurm 22.05 prints it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseJobsTsv, buildArgs } from '../../src/batch/jobs.js';
import { expandTaskSpec, parseSacct, parseSbatchParsable, parseSqueue, slurmScript } from '../../src/batch/slurm.js';
import { mergeStates } from '../../src/cli/batch-status.js';
import type { JobRecord } from '../../src/batch/run-batch.js';
import { BUILD_OPTIONS } from '../../src/cli/build.js';
import type { OptionKinds } from '../../src/batch/jobs.js';
import { readStructure } from '../../src/io/structure-file.js';
import { writeMrc } from '../../src/io/mrc.js';
import { simulateMap } from '../../src/simulate/index.js';
import { sharedDataOrSkip, sharedPath } from '../helpers/shared-data.js';

const KINDS = BUILD_OPTIONS as unknown as OptionKinds;
const TINY = resolve('test/detect/fixtures/tiny');
const EXAMPLE = resolve('example/6v5b_sim_3.7A.mrc');

function cli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['bin/cryoread.mjs', ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
}

test('JOBS.tsv: columns, relative paths, build-option columns, and one-line errors', () => {
  const text = '# jobs\r\nname\tmap\tresolution\tfasta\tcontour\tstride\tprediction-only\r\na\tmaps/a.mrc\t3.5\ta.fasta\t0.1\t16\tyes\r\n\r\nb\t/abs/b.mrc\t4\t-\t\t\tno\r\n';
  const jobs = parseJobsTsv(text, '/data/jobs.tsv', KINDS);
  assert.equal(jobs.length, 2);
  assert.deepEqual(jobs[0], { index: 0, name: 'a', map: '/data/maps/a.mrc', resolution: '3.5', fasta: '/data/a.fasta', contour: '0.1', reference: null, options: { stride: '16', 'prediction-only': '' } });
  assert.deepEqual(buildArgs(jobs[0]), ['/data/maps/a.mrc', '--resolution', '3.5', '--fasta', '/data/a.fasta', '--contour', '0.1', '--stride', '16', '--prediction-only']);
  assert.deepEqual(buildArgs(jobs[1]), ['/abs/b.mrc', '--resolution', '4']);
  const bad: [string, RegExp][] = [
    ['', /no header row/],
    ['name\tmap\n', /no 'resolution' column/],
    ['name\tmap\tresolution\tcolour\n', /column 'colour' is not a cryoread build option/],
    ['name\tmap\tresolution\tout\n', /column 'out' is set by cryoread batch itself/],
    ['name\tmap\tresolution\na\tx.mrc\t3\na\ty.mrc\t3\n', /line 3: name 'a' used twice/],
    ['name\tmap\tresolution\na b\tx.mrc\t3\n', /name 'a b' must be letters/],
    ['name\tmap\tresolution\na\t\t3\n', /line 2: empty 'map'/],
    ['name\tmap\tresolution\tprediction-only\na\tx.mrc\t3\tmaybe\n', /'prediction-only' = 'maybe'; expected yes or no/],
    ['name\tmap\tresolution\n', /a header but no job rows/],
  ];
  for (const [t, re] of bad) assert.throws(() => parseJobsTsv(t, 'jobs.tsv', KINDS), re);
});

test('local batch: one failing job does not stop the others, summaries, metrics with a reference, rerun skips finished jobs', async (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const tmp = mkdtempSync(join(tmpdir(), 'cryoread-batch-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const ref = sharedPath(dir, 'structures', 'rnapolis_1ATO.pdb');
  writeMrc(join(tmp, 'hairpin.mrc'), simulateMap(readStructure(ref), { resolutionA: 4 }));
  writeFileSync(join(tmp, 'broken.mrc'), 'not a map at all');
  writeFileSync(join(tmp, 'jobs.tsv'), [
    'name\tmap\tresolution\tfasta\tcontour\treference\tmodel\tprediction-only\toracle\ttime-budget-s',
    `pred\t${EXAMPLE}\t3.7\t\t\t\t${TINY}\tyes\t\t`,
    `hairpin\thairpin.mrc\t4\t\t\t${ref}\t\t\t${ref}\t2`,
    'broken\tbroken.mrc\t3.7\t\t\t\t\t\t\t',
  ].join('\n') + '\n');
  const out = join(tmp, 'out');
  const r = cli(['batch', join(tmp, 'jobs.tsv'), '--out', out, '--jobs', '2']);
  assert.equal(r.status, 1, 'not every job finished');
  const csv = readFileSync(join(out, 'batch-summary.csv'), 'utf8').trim().split('\n');
  assert.equal(csv[0], 'name,status,exit_code,message,seconds,nucleotides,chains,coverage,precision,sequenceRecall,sequencePrecision,rmsdA,pRecall3A,clashesPer1000');
  const rows = Object.fromEntries(csv.slice(1).map((l) => [l.split(',')[0], l]));
  assert.match(rows.pred, /^pred,done,0,ok,[\d.]+,,,/);
  assert.match(rows.broken, /^broken,bad-input,2,"?MrcFormatError: .*broken\.mrc: file is 16 bytes/);
  const h = rows.hairpin.split(',');
  assert.equal(h[1], 'done');
  assert.ok(Number(h[5]) > 5, `nucleotides ${h[5]}`);
  assert.ok(Number(h[7]) >= 0.9, `coverage ${h[7]}`);
  assert.ok(existsSync(join(out, 'jobs', 'hairpin', 'CryoREAD.pdb')));
  assert.ok(existsSync(join(out, 'jobs', 'broken.log')));
  const md = readFileSync(join(out, 'batch-summary.md'), 'utf8');
  assert.match(md, /# cryoread batch: 3 jobs \(2 done, 1 bad-input\)/);
  assert.match(md, /\| hairpin \| done \| 0 \| ok \|/);

  // Rerun: the finished jobs are skipped, the broken one runs again (and fails again).
  const r2 = cli(['batch', join(tmp, 'jobs.tsv'), '--out', out]);
  assert.equal(r2.status, 1);
  assert.match(r2.stderr, /pred: ok \(finished earlier, skipped\)/);
  assert.match(r2.stderr, /hairpin: ok \(finished earlier, skipped\)/);
  assert.match(r2.stderr, /broken: started/);
  assert.doesNotMatch(r2.stderr, /(pred|hairpin): started/);

  const s = cli(['batch-status', out]);
  assert.equal(s.status, 1);
  assert.match(s.stdout, /\| pred \| done \|/);
  assert.match(s.stdout, /\| broken \| bad-input \|/);
});

test('--slurm --dry-run writes a job array script; --slurm submits through sbatch; batch-status reads squeue and sacct (fake executables)', (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'cryoread-slurmfake-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  writeFileSync(join(tmp, 'jobs.tsv'), 'name\tmap\tresolution\n' + ['a', 'b', 'c', 'd', 'e'].map((n) => `${n}\t${n}.mrc\t3.5`).join('\n') + '\n');
  const out = join(tmp, 'out');
  const d = cli(['batch', join(tmp, 'jobs.tsv'), '--out', out, '--slurm', '--dry-run', '--parallel', '2', '--cpus-per-task', '4', '--mem', '8G', '--time', '01:30:00', '--partition', 'gpu', '--sbatch-arg=--qos=short']);
  assert.equal(d.status, 0, d.stderr);
  assert.match(d.stdout, /not submitted \(--dry-run\)/);
  const script = readFileSync(join(out, 'batch.sbatch'), 'utf8');
  for (const line of ['#!/bin/bash', '#SBATCH --array=0-4%2', '#SBATCH --cpus-per-task=4', '#SBATCH --mem=8G', '#SBATCH --time=01:30:00', '#SBATCH --partition=gpu', '#SBATCH --qos=short', `#SBATCH --output=${join(out, 'slurm', '%A_%a.out')}`]) {
    assert.ok(script.split('\n').includes(line), `script has ${line}`);
  }
  assert.match(script, /batch .*jobs\.tsv --out .*out --task "\$SLURM_ARRAY_TASK_ID"\n/);
  assert.equal(spawnSync('bash', ['-n', join(out, 'batch.sbatch')]).status, 0, 'valid bash');
  assert.ok(!existsSync(join(out, 'batch-slurm.json')), 'nothing submitted');

  // Fake Slurm tools: sbatch records its arguments and prints a job id; squeue/sacct print as 22.05 does.
  const bin = (name: string, body: string) => { const p = join(tmp, name); writeFileSync(p, `#!/bin/bash\n${body}\n`); chmodSync(p, 0o755); return p; };
  const sbatch = bin('sbatch', `echo "$@" > ${join(tmp, 'sbatch.args')}\necho "4242;cluster"`);
  const squeue = bin('squeue', `echo "$@" > ${join(tmp, 'squeue.args')}\ncat <<'EOF'\n4242_2|RUNNING|None\n4242_[3-4%2]|PENDING|JobArrayTaskLimit\nEOF`);
  const sacct = bin('sacct', `cat <<'EOF'\n4242_0|COMPLETED|0:0|00:00:41\n4242_0.batch|COMPLETED|0:0|00:00:41\n4242_1|TIMEOUT|0:0|01:30:02\n4242_2|RUNNING|0:0|00:00:10\nEOF`);
  const s = cli(['batch', join(tmp, 'jobs.tsv'), '--out', out, '--slurm', '--parallel', '2'], { CRYOREAD_SBATCH: sbatch });
  assert.equal(s.status, 0, s.stderr);
  assert.match(s.stdout, /submitted Slurm job 4242 \(5 array tasks\)/);
  assert.equal(readFileSync(join(tmp, 'sbatch.args'), 'utf8').trim(), `--parsable ${join(out, 'batch.sbatch')}`);
  assert.equal(JSON.parse(readFileSync(join(out, 'batch-slurm.json'), 'utf8')).jobId, '4242');
  // Task 0 wrote its status file (as `--task 0` does when it ends).
  writeFileSync(join(out, 'jobs', 'a.status.json'), JSON.stringify({ name: 'a', index: 0, status: 'done', exitCode: 0, message: 'ok', seconds: 41, nucleotides: 70, chains: 2, metrics: null, spec: 'x' }));
  const st = cli(['batch-status', out], { CRYOREAD_SQUEUE: squeue, CRYOREAD_SACCT: sacct });
  assert.equal(st.status, 1, st.stderr);
  assert.match(readFileSync(join(tmp, 'squeue.args'), 'utf8'), /-h -r -j 4242 -o %i\|%T\|%r/);
  assert.match(st.stdout, /Slurm job 4242, submitted .*: 3 task\(s\) in the queue/);
  const csv = readFileSync(join(out, 'batch-summary.csv'), 'utf8');
  assert.match(csv, /^a,done,0,ok,41,70,2$/m);
  assert.match(csv, /^b,failed,,Slurm TIMEOUT exit 0:0 after 01:30:02,,,$/m);
  assert.match(csv, /^c,running,,Slurm RUNNING,,,$/m);
  assert.match(csv, /^d,pending,,Slurm PENDING \(JobArrayTaskLimit\),,,$/m);
  assert.match(csv, /^e,pending,,Slurm PENDING \(JobArrayTaskLimit\),,,$/m);
  // Tools missing: notes, not a crash.
  const none = cli(['batch-status', out], { CRYOREAD_SQUEUE: join(tmp, 'no-squeue'), CRYOREAD_SACCT: join(tmp, 'no-sacct') });
  assert.equal(none.status, 1);
  assert.match(none.stdout, /note: .*no-squeue: not available \(ENOENT\)/);
  assert.equal(cli(['batch-status', tmp]).status, 2, 'not a batch folder');
});

test('Slurm output parsers and the state merge', () => {
  assert.equal(parseSbatchParsable('123\n'), '123');
  assert.equal(parseSbatchParsable('77;cluster\n'), '77');
  assert.throws(() => parseSbatchParsable('sbatch: error: Batch job submission failed'), /expected a job id/);
  assert.deepEqual(expandTaskSpec('[0-3%2]'), [0, 1, 2, 3]);
  assert.deepEqual(expandTaskSpec('[1,4-5]'), [1, 4, 5]);
  assert.deepEqual(expandTaskSpec('7'), [7]);
  assert.deepEqual(parseSqueue('9_1|RUNNING|None\n9_[2-3]|PENDING|Priority\n10_1|RUNNING|None\n', '9'),
    [{ task: 1, state: 'RUNNING' }, { task: 2, state: 'PENDING', reason: 'Priority' }, { task: 3, state: 'PENDING', reason: 'Priority' }]);
  assert.deepEqual(parseSacct('9_0|CANCELLED by 0|0:15|00:00:03\n9_0.batch|CANCELLED|0:15|00:00:03\n9_1|OUT_OF_MEMORY|0:125|00:10:00\n', '9'),
    [{ task: 0, state: 'CANCELLED', exitCode: '0:15', elapsed: '00:00:03' }, { task: 1, state: 'OUT_OF_MEMORY', exitCode: '0:125', elapsed: '00:10:00' }]);
  const rec = (index: number, status: JobRecord['status']): JobRecord => ({ name: `j${index}`, index, status, exitCode: null, message: '', seconds: null, nucleotides: null, chains: null, metrics: null, spec: '' });
  const merged = mergeStates([rec(0, 'done'), rec(1, 'pending'), rec(2, 'running'), rec(3, 'running')], [{ task: 0, state: 'COMPLETING' }, { task: 1, state: 'RUNNING' }], [{ task: 2, state: 'OUT_OF_MEMORY' }]);
  assert.deepEqual(merged.map((r) => r.status), ['done', 'running', 'failed', 'unknown']);
  const s = slurmScript({ jobsTsv: '/j/jobs.tsv', outDir: '/o', count: 3, command: ['/usr/bin/node', '/p/bin/cryoread.mjs'], cwd: '/w d' }, {});
  assert.match(s, /#SBATCH --array=0-2\n/);
  assert.match(s, /cd '\/w d'\n/);
});
