/**
 * Runs batch jobs: each job is its own `cryoread build` process (so one failing or crashing job
 * never stops the others), at most `parallel` at a time, writing DIR/jobs/<name>/ (the build's
 * output folder, with --resume so an interrupted job reuses its finished stages), DIR/jobs/<name>.log
 * (its stdout + stderr) and DIR/jobs/<name>.status.json (status, exit code, message, seconds, counts,
 * metrics). A job whose status says done with the same job spec is skipped on a rerun.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../util/atomic-write.js';
import { buildArgs, jobSpecHash, type BatchJob } from './jobs.js';

export type JobStatus = 'done' | 'failed' | 'bad-input' | 'interrupted' | 'running' | 'pending' | 'unknown';

export interface JobRecord {
  name: string;
  index: number;
  status: JobStatus;
  exitCode: number | null;
  /** Last error line of the build, or a short note. */
  message: string;
  seconds: number | null;
  nucleotides: number | null;
  chains: number | null;
  /** Evaluation metrics against the job's reference (summary.json `evaluation`), when given. */
  metrics: Record<string, number> | null;
  spec: string;
  finishedAt?: string;
}

export const jobsDir = (outDir: string) => join(outDir, 'jobs');
export const jobOutDir = (outDir: string, name: string) => join(outDir, 'jobs', name);
export const jobStatusPath = (outDir: string, name: string) => join(outDir, 'jobs', `${name}.status.json`);
export const jobLogPath = (outDir: string, name: string) => join(outDir, 'jobs', `${name}.log`);

/** The `cryoread` entry script of this package. */
export function cryoreadBin(): string {
  return fileURLToPath(new URL('../../bin/cryoread.mjs', import.meta.url));
}

export function readJobRecord(outDir: string, name: string): JobRecord | null {
  const p = jobStatusPath(outDir, name);
  if (!existsSync(p)) return null;
  try {
    return JSON.parse(readFileSync(p, 'utf8')) as JobRecord;
  } catch {
    return null;
  }
}

/** True when the job finished earlier with the same spec (skipped on a rerun). */
export function finishedEarlier(outDir: string, job: BatchJob): boolean {
  const r = readJobRecord(outDir, job.name);
  return r !== null && r.status === 'done' && r.spec === jobSpecHash(job) && existsSync(join(jobOutDir(outDir, job.name), 'summary.json'));
}

const STATUS_BY_EXIT: Record<number, JobStatus> = { 0: 'done', 1: 'failed', 2: 'bad-input', 130: 'interrupted' };

/** Counts and metrics from the build's summary.json. */
function fromSummary(dir: string): Pick<JobRecord, 'nucleotides' | 'chains' | 'metrics'> {
  try {
    const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { model?: { chains: number; residues: number } | null; evaluation?: Record<string, unknown> };
    const metrics = s.evaluation
      ? Object.fromEntries(Object.entries(s.evaluation).filter(([, v]) => typeof v === 'number')) as Record<string, number>
      : null;
    return { nucleotides: s.model?.residues ?? null, chains: s.model?.chains ?? null, metrics };
  } catch {
    return { nucleotides: null, chains: null, metrics: null };
  }
}

/** Last line of a build's stderr that states an error (not progress, not a warning). */
export function errorLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('{') && !l.includes(': warning: '));
  const err = [...lines].reverse().find((l) => /^cryoread build: (\w*Error|internal error|interrupted)/.test(l));
  return (err ?? lines[lines.length - 1] ?? '').replace(/^cryoread build: /, '').slice(0, 300);
}

export interface RunJobOptions {
  /** Extra build arguments (e.g. --threads). */
  extraArgs?: string[];
  signal?: AbortSignal;
}

/** Runs one job to completion and writes its status file. Never throws for a failing build. */
export function runJob(outDir: string, job: BatchJob, opts: RunJobOptions = {}): Promise<JobRecord> {
  mkdirSync(jobsDir(outDir), { recursive: true });
  const out = jobOutDir(outDir, job.name);
  // Batch-wide extra arguments first, so that a job's own column (e.g. threads) wins.
  const args = [cryoreadBin(), 'build', ...(opts.extraArgs ?? []), ...buildArgs(job), '--out', out, '--resume', '--json-progress'];
  const log = createWriteStream(jobLogPath(outDir, job.name));
  log.write(`$ cryoread ${args.slice(1).join(' ')}\n`);
  const t0 = performance.now();
  const spec = jobSpecHash(job);
  const running: JobRecord = { name: job.name, index: job.index, status: 'running', exitCode: null, message: '', seconds: null, nucleotides: null, chains: null, metrics: null, spec };
  writeFileAtomic(jobStatusPath(outDir, job.name), JSON.stringify(running, null, 2) + '\n');
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.on('data', (d) => log.write(d));
    child.stderr.on('data', (d) => { stderr += String(d); if (stderr.length > 1 << 20) stderr = stderr.slice(-(1 << 19)); log.write(d); });
    const onAbort = () => child.kill('SIGINT');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (code: number | null, extra?: string) => {
      opts.signal?.removeEventListener('abort', onAbort);
      const status = code === null ? 'failed' : STATUS_BY_EXIT[code] ?? 'failed';
      const rec: JobRecord = {
        ...running, status, exitCode: code,
        message: status === 'done' ? 'ok' : extra ?? (errorLine(stderr) || `exit code ${code}`),
        seconds: Math.round((performance.now() - t0) / 10) / 100,
        ...(status === 'done' ? fromSummary(out) : { nucleotides: null, chains: null, metrics: null }),
        finishedAt: new Date().toISOString(),
      };
      writeFileAtomic(jobStatusPath(outDir, job.name), JSON.stringify(rec, null, 2) + '\n');
      log.end(() => resolvePromise(rec));
    };
    child.on('error', (e) => finish(null, `could not start: ${e.message}`));
    child.on('exit', (code, signal) => finish(code ?? (signal ? 128 + (signal === 'SIGINT' ? 2 : 15) : null), signal && code === null ? (signal === 'SIGINT' ? 'interrupted (SIGINT); rerun the batch to resume it' : `killed by ${signal}`) : undefined));
  });
}

export interface BatchRunOptions {
  /** Jobs at a time. @default 1 */
  parallel?: number;
  /** Extra build arguments for every job. */
  extraArgs?: string[];
  signal?: AbortSignal;
  /** Called when a job starts, is skipped, or ends. */
  onJob?: (event: 'start' | 'skip' | 'end', job: BatchJob, record?: JobRecord) => void;
}

/** Runs the jobs (skipping those finished earlier), `parallel` at a time; resolves with one record per job. */
export async function runBatch(outDir: string, jobs: readonly BatchJob[], opts: BatchRunOptions = {}): Promise<JobRecord[]> {
  const parallel = Math.max(1, opts.parallel ?? 1);
  const records: JobRecord[] = new Array(jobs.length);
  const queue = [...jobs];
  const worker = async () => {
    for (;;) {
      const job = queue.shift();
      if (!job) return;
      if (finishedEarlier(outDir, job)) {
        records[job.index] = { ...readJobRecord(outDir, job.name)!, message: 'ok (finished earlier, skipped)' };
        opts.onJob?.('skip', job, records[job.index]);
        continue;
      }
      if (opts.signal?.aborted) {
        records[job.index] = { name: job.name, index: job.index, status: 'pending', exitCode: null, message: 'not started (batch interrupted)', seconds: null, nucleotides: null, chains: null, metrics: null, spec: jobSpecHash(job) };
        continue;
      }
      opts.onJob?.('start', job);
      records[job.index] = await runJob(outDir, job, { extraArgs: opts.extraArgs, signal: opts.signal });
      opts.onJob?.('end', job, records[job.index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, jobs.length) }, worker));
  return records;
}
