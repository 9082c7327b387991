/**
 * `cryoread batch JOBS.tsv --out DIR [--jobs N]`: runs one `cryoread build` per row of JOBS.tsv
 * (src/batch/jobs.ts) into DIR/jobs/<name>/, in parallel up to N, and writes DIR/batch-summary.csv
 * + .md; a rerun skips finished jobs. `--slurm` writes DIR/batch.sbatch (a job array, one task per
 * job) and submits it with sbatch (`--dry-run`: write only); `--task I` runs job I (what each
 * array task calls).
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { InputError, CryoreadError, exitCodeFor } from '../util/errors.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { readJobsTsv, type BatchJob, type OptionKinds } from '../batch/jobs.js';
import { cryoreadBin, readJobRecord, runBatch, runJob, type JobRecord } from '../batch/run-batch.js';
import { writeBatchSummary, summaryMarkdown } from '../batch/summary.js';
import { slurmScript, submitScript } from '../batch/slurm.js';
import { BUILD_OPTIONS } from './build.js';
import { handleInterrupts } from './interrupt.js';
import { parseCommand } from './args.js';

const USAGE = `usage: cryoread batch JOBS.tsv --out DIR [--jobs N] [--slurm [slurm options] [--dry-run]]

Builds a model for every row of JOBS.tsv (tab-separated, header row). Columns: name, map, resolution
(required), fasta, contour, reference (optional); any other column is a cryoread build option of that
name (e.g. stride, model, prediction-only = yes). Relative paths are relative to JOBS.tsv.
Each job runs as its own 'cryoread build' into DIR/jobs/<name>/ (log: DIR/jobs/<name>.log); a failing
job never stops the others. DIR/batch-summary.csv and DIR/batch-summary.md list name, status, message,
seconds, nucleotides, chains and, with a reference column, the metrics. A rerun skips finished jobs
(same row) and retries the others. Exit code: 0 all done, 1 some job did not finish, 2 bad JOBS.tsv.

options:
  --out DIR            batch folder (required)
  --jobs N             jobs at a time on this machine (default 1)
  --threads T          inference threads per job (default: cores / N; in a Slurm task: --cpus-per-task)
  --slurm              write DIR/batch.sbatch (one array task per job) and submit it with sbatch
  --dry-run            with --slurm: write the script, do not submit
  --parallel P         with --slurm: array tasks at a time (--array=0-(N-1)%P)
  --cpus-per-task C    with --slurm: passed to #SBATCH
  --mem M              with --slurm: e.g. 8G
  --time T             with --slurm: e.g. 02:00:00
  --partition P        with --slurm
  --account A          with --slurm
  --sbatch-arg ARG     with --slurm: another #SBATCH line (repeatable), e.g. --sbatch-arg=--qos=short
  --task I             run only job I (0-based; what each Slurm array task runs)
  -h, --help           this text

Check a submitted batch with: cryoread batch-status DIR`;

const OPTIONS = {
  out: { type: 'string' },
  jobs: { type: 'string' },
  threads: { type: 'string' },
  slurm: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  parallel: { type: 'string' },
  'cpus-per-task': { type: 'string' },
  mem: { type: 'string' },
  time: { type: 'string' },
  partition: { type: 'string' },
  account: { type: 'string' },
  'sbatch-arg': { type: 'string', multiple: true },
  task: { type: 'string' },
} as const;

const intArg = (v: string | undefined, flag: string, min: number): number | undefined => {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!Number.isInteger(x) || x < min) throw new InputError('CLI_VALUE', `--${flag} ${v}: expected an integer >= ${min}`);
  return x;
};

/** Jobs file of a batch folder, read by batch-status. */
export const BATCH_JOBS_FILE = 'batch-jobs.json';

/** Records of every job from the status files (pending when a job has none yet). */
export function collectRecords(outDir: string, jobs: readonly Pick<BatchJob, 'name' | 'index'>[]): JobRecord[] {
  return jobs.map((j) => readJobRecord(outDir, j.name)
    ?? { name: j.name, index: j.index, status: 'pending', exitCode: null, message: 'not run yet', seconds: null, nucleotides: null, chains: null, metrics: null, spec: '' });
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand<Record<string, string | boolean | string[] | undefined>>('batch', argv, OPTIONS, USAGE, { count: 1, what: 'exactly one JOBS.tsv' });
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values;
  const outArg = v.out as string | undefined;
  if (!outArg) { process.stderr.write(`cryoread batch: --out DIR is required\n${USAGE}\n`); return 2; }
  const outDir = resolve(outArg);
  const tsv = resolve(parsed.positionals[0]);
  let jobs: BatchJob[];
  let parallel: number, task: number | undefined, threads: number | undefined, cpus: number | undefined, arrayParallel: number | undefined;
  try {
    jobs = readJobsTsv(tsv, BUILD_OPTIONS as unknown as OptionKinds);
    parallel = intArg(v.jobs as string | undefined, 'jobs', 1) ?? 1;
    task = intArg(v.task as string | undefined, 'task', 0);
    threads = intArg(v.threads as string | undefined, 'threads', 1);
    cpus = intArg(v['cpus-per-task'] as string | undefined, 'cpus-per-task', 1);
    arrayParallel = intArg(v.parallel as string | undefined, 'parallel', 1);
    if (task !== undefined && task >= jobs.length) throw new InputError('CLI_VALUE', `--task ${task}: ${tsv} has ${jobs.length} job(s) (tasks 0-${jobs.length - 1})`);
    if (v['dry-run'] && !v.slurm) throw new InputError('CLI_VALUE', '--dry-run goes with --slurm (it writes the Slurm script without submitting)');
    const foreign = safeList(outDir).filter((n) => !/^(jobs|slurm|batch[-.].*)$/.test(n));
    if (foreign.length) throw new InputError('OUT_NOT_EMPTY', `--out ${outArg}: folder holds ${foreign.length} entr${foreign.length === 1 ? 'y' : 'ies'} not written by cryoread batch (e.g. ${foreign.slice(0, 3).join(', ')}); give a new folder`, outArg);
    mkdirSync(join(outDir, 'jobs'), { recursive: true });
  } catch (e) {
    if (!(e instanceof CryoreadError)) throw e;
    process.stderr.write(`cryoread batch: ${e.name}: ${e.message}\n`);
    return exitCodeFor(e);
  }
  if (task === undefined) writeFileAtomic(join(outDir, BATCH_JOBS_FILE), JSON.stringify({ jobsTsv: tsv, jobs }, null, 2) + '\n');

  if (task !== undefined) {
    // One Slurm array task: threads from the allocation unless given.
    const t = threads ?? (Number(process.env.SLURM_CPUS_PER_TASK) || undefined);
    const rec = await runJob(outDir, jobs[task], { extraArgs: t ? ['--threads', String(t)] : [] });
    writeBatchSummary(outDir, collectRecords(outDir, jobs));
    process.stdout.write(`${rec.name}: ${rec.status} (${rec.message}) in ${rec.seconds} s\n`);
    return rec.exitCode ?? 1;
  }

  if (v.slurm) {
    const scriptPath = join(outDir, 'batch.sbatch');
    mkdirSync(join(outDir, 'slurm'), { recursive: true });
    const script = slurmScript({ jobsTsv: tsv, outDir, count: jobs.length, command: [process.execPath, cryoreadBin()], cwd: process.cwd() }, {
      parallel: arrayParallel, cpusPerTask: cpus, mem: v.mem as string | undefined, time: v.time as string | undefined,
      partition: v.partition as string | undefined, account: v.account as string | undefined, extra: (v['sbatch-arg'] as string[] | undefined) ?? [],
    });
    writeFileAtomic(scriptPath, script);
    if (v['dry-run']) {
      process.stdout.write(`Slurm script written to ${scriptPath} (${jobs.length} array tasks); not submitted (--dry-run). Submit with: sbatch ${scriptPath}\n`);
      return 0;
    }
    try {
      const sub = submitScript(scriptPath, outDir, jobs.length, process.env.CRYOREAD_SBATCH ?? 'sbatch');
      process.stdout.write(`submitted Slurm job ${sub.jobId} (${jobs.length} array tasks) from ${scriptPath}\ncheck with: cryoread batch-status ${outArg}\n`);
      return 0;
    } catch (e) {
      if (!(e instanceof CryoreadError)) throw e;
      process.stderr.write(`cryoread batch: ${e.message}\n`);
      return 1;
    }
  }

  const perJobThreads = threads ?? Math.max(1, Math.floor(availableParallelism() / parallel));
  const controller = new AbortController();
  const stop = handleInterrupts(controller, () => {}, 'batch');
  let finished = 0;
  let records: JobRecord[];
  try {
    records = await runBatch(outDir, jobs, {
      parallel, signal: controller.signal, extraArgs: ['--threads', String(perJobThreads)],
      onJob(event, job, rec) {
        if (event === 'start') process.stderr.write(`cryoread batch: ${job.name}: started\n`);
        else {
          finished++;
          const what = rec!.status === 'done' ? `${rec!.message}${rec!.nucleotides !== null ? `, ${rec!.nucleotides} nt in ${rec!.chains} chains` : ''}` : `${rec!.status}: ${rec!.message}`;
          process.stderr.write(`cryoread batch: [${finished}/${jobs.length}] ${job.name}: ${what}${event === 'end' ? ` (${rec!.seconds} s)` : ''}\n`);
        }
      },
    });
  } finally {
    stop();
  }
  const paths = writeBatchSummary(outDir, records);
  process.stdout.write(summaryMarkdown(records) + `\nsummary written to ${paths.csv} and ${paths.markdown}\n`);
  if (controller.signal.aborted) return 130;
  return records.every((r) => r.status === 'done') ? 0 : 1;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
