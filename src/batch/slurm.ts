/**
 * Slurm side of `cryoread batch --slurm`: the job-array script (one task per job:
 * `--array=0-(N-1)%P`; each task runs `cryoread batch JOBS.tsv --out DIR --task $SLURM_ARRAY_TASK_ID`),
 * submission with `sbatch --parsable`, and the parsing of `squeue` / `sacct` output that
 * `cryoread batch-status` merges with the per-job status files.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CryoreadError } from '../util/errors.js';
import { writeFileAtomic } from '../util/atomic-write.js';

export interface SlurmOptions {
  /** Tasks running at once (`%P` of --array). @default all */
  parallel?: number;
  cpusPerTask?: number;
  /** e.g. '8G'. */
  mem?: string;
  /** e.g. '02:00:00'. */
  time?: string;
  partition?: string;
  account?: string;
  /** Further `#SBATCH` arguments, each as written after `#SBATCH` (e.g. '--qos=short'). */
  extra?: string[];
  jobName?: string;
}

export interface ScriptInput {
  jobsTsv: string;
  outDir: string;
  count: number;
  /** The command that runs cryoread (node + bin script), absolute paths. */
  command: string[];
  /** Working folder of the tasks. */
  cwd: string;
}

const q = (s: string) => (/^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The sbatch script text. */
export function slurmScript(input: ScriptInput, o: SlurmOptions = {}): string {
  const n = input.count;
  const p = o.parallel && o.parallel < n ? `%${o.parallel}` : '';
  const lines = [
    '#!/bin/bash',
    `#SBATCH --job-name=${o.jobName ?? 'cryoread-batch'}`,
    `#SBATCH --array=0-${n - 1}${p}`,
    `#SBATCH --output=${join(input.outDir, 'slurm', '%A_%a.out')}`,
    ...(o.cpusPerTask ? [`#SBATCH --cpus-per-task=${o.cpusPerTask}`] : []),
    ...(o.mem ? [`#SBATCH --mem=${o.mem}`] : []),
    ...(o.time ? [`#SBATCH --time=${o.time}`] : []),
    ...(o.partition ? [`#SBATCH --partition=${o.partition}`] : []),
    ...(o.account ? [`#SBATCH --account=${o.account}`] : []),
    ...(o.extra ?? []).map((e) => `#SBATCH ${e}`),
    '',
    `# ${n} job(s) of ${input.jobsTsv}; written by cryoread batch --slurm. Check with: cryoread batch-status ${input.outDir}`,
    'set -eu',
    `cd ${q(input.cwd)}`,
    `exec ${[...input.command, 'batch', input.jobsTsv, '--out', input.outDir].map(q).join(' ')} --task "$SLURM_ARRAY_TASK_ID"`,
    '',
  ];
  return lines.join('\n');
}

export interface SubmissionRecord {
  jobId: string;
  submittedAt: string;
  script: string;
  count: number;
}

export const SUBMISSION_FILE = 'batch-slurm.json';

/** Submits the script with `sbatch --parsable`; records the job id in DIR/batch-slurm.json. */
export function submitScript(scriptPath: string, outDir: string, count: number, sbatch = 'sbatch'): SubmissionRecord {
  const r = spawnSync(sbatch, ['--parsable', scriptPath], { encoding: 'utf8' });
  if (r.error) throw new CryoreadError('SLURM_SBATCH', `${sbatch}: could not run (${(r.error as NodeJS.ErrnoException).code ?? r.error.message}); is Slurm installed here? The script is ${scriptPath}`);
  if (r.status !== 0) throw new CryoreadError('SLURM_SBATCH', `${sbatch} ${scriptPath}: exit ${r.status}: ${(r.stderr || r.stdout).trim().split('\n').pop()}`);
  const jobId = parseSbatchParsable(r.stdout);
  const rec: SubmissionRecord = { jobId, submittedAt: new Date().toISOString(), script: scriptPath, count };
  writeFileAtomic(join(outDir, SUBMISSION_FILE), JSON.stringify(rec, null, 2) + '\n');
  return rec;
}

/** `sbatch --parsable` prints `JOBID` or `JOBID;CLUSTER`. */
export function parseSbatchParsable(stdout: string): string {
  const m = /^(\d+)(;\S+)?\s*$/m.exec(stdout.trim());
  if (!m) throw new CryoreadError('SLURM_SBATCH', `sbatch --parsable printed ${JSON.stringify(stdout.trim())}, expected a job id`);
  return m[1];
}

export function readSubmission(outDir: string): SubmissionRecord | null {
  const p = join(outDir, SUBMISSION_FILE);
  return existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) as SubmissionRecord : null;
}

/** Slurm state of one array task. */
export interface TaskState {
  task: number;
  state: string;
  exitCode?: string;
  elapsed?: string;
  reason?: string;
}

/** Expands an array task spec as squeue prints it for pending tasks: `3`, `[0-4%2]`, `[1,3-5]`. */
export function expandTaskSpec(spec: string): number[] {
  const body = spec.replace(/^\[|\]$/g, '').replace(/%\d+$/, '');
  const out: number[] = [];
  for (const part of body.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const a = Number(m[1]), b = m[2] === undefined ? a : Number(m[2]);
    for (let k = a; k <= b; k++) out.push(k);
  }
  return out;
}

/**
 * Parses `squeue -h -j JOBID -o '%i|%T|%r'` lines: `123_4|RUNNING|None`, `123_[5-9%2]|PENDING|JobArrayTaskLimit`.
 * Lines of other jobs are ignored.
 */
export function parseSqueue(text: string, jobId: string): TaskState[] {
  const out: TaskState[] = [];
  for (const line of text.split('\n')) {
    const [id, state, reason] = line.trim().split('|');
    if (!id || !state) continue;
    const m = /^(\d+)_(.+)$/.exec(id);
    if (!m || m[1] !== jobId) continue;
    for (const task of expandTaskSpec(m[2])) out.push({ task, state, ...(reason && reason !== 'None' ? { reason } : {}) });
  }
  return out;
}

/**
 * Parses `sacct -n -P -j JOBID -o JobID,State,ExitCode,Elapsed`: `123_4|COMPLETED|0:0|00:01:02`;
 * step lines (`123_4.batch`) are skipped; `CANCELLED by 0` keeps its first word.
 */
export function parseSacct(text: string, jobId: string): TaskState[] {
  const out: TaskState[] = [];
  for (const line of text.split('\n')) {
    const [id, state, exitCode, elapsed] = line.trim().split('|');
    if (!id || !state) continue;
    const m = /^(\d+)_(\[[^\]]+\]|\d+)$/.exec(id);
    if (!m || m[1] !== jobId) continue;
    for (const task of expandTaskSpec(m[2])) out.push({ task, state: state.split(' ')[0], ...(exitCode ? { exitCode } : {}), ...(elapsed ? { elapsed } : {}) });
  }
  return out;
}

export interface QueueReport {
  squeue: TaskState[];
  sacct: TaskState[];
  /** Why a tool gave nothing (not installed, accounting disabled, ...). */
  notes: string[];
}

/** Runs squeue and sacct for a job; a missing or failing tool becomes a note, not an error. */
export function queryQueue(jobId: string, tools: { squeue?: string; sacct?: string } = {}): QueueReport {
  const notes: string[] = [];
  const run = (cmd: string, args: string[]): string | null => {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    if (r.error) { notes.push(`${cmd}: not available (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})`); return null; }
    if (r.status !== 0) { notes.push(`${cmd}: ${(r.stderr || r.stdout).trim().split('\n').pop() ?? `exit ${r.status}`}`); return null; }
    return r.stdout;
  };
  const sq = run(tools.squeue ?? 'squeue', ['-h', '-r', '-j', jobId, '-o', '%i|%T|%r']);
  const sa = run(tools.sacct ?? 'sacct', ['-n', '-P', '-X', '-j', jobId, '-o', 'JobID,State,ExitCode,Elapsed']);
  return { squeue: sq ? parseSqueue(sq, jobId) : [], sacct: sa ? parseSacct(sa, jobId) : [], notes };
}
