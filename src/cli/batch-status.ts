/**
 * `cryoread batch-status DIR`: state of every job of a batch folder: the per-job status files
 * (written when a job ends) first, then Slurm's view of the submitted array (squeue for queued and
 * running tasks, sacct for finished ones when accounting is enabled). Rewrites DIR/batch-summary.csv
 * and .md and prints the table.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BatchJob } from '../batch/jobs.js';
import type { JobRecord, JobStatus } from '../batch/run-batch.js';
import { writeBatchSummary, summaryMarkdown } from '../batch/summary.js';
import { queryQueue, readSubmission, type TaskState } from '../batch/slurm.js';
import { BATCH_JOBS_FILE, collectRecords } from './batch.js';
import { parseCommand } from './args.js';

const USAGE = `usage: cryoread batch-status DIR

Reports the jobs of a batch folder written by 'cryoread batch' (local or --slurm): finished jobs from
their status files, queued and running Slurm array tasks from squeue, finished tasks without a status
file (killed, out of time or memory) from sacct. Rewrites DIR/batch-summary.csv and .md.
Exit code: 0 when every job is done, 1 otherwise, 2 when DIR is not a batch folder.`;

/** Our status for a Slurm state (squeue %T / sacct State). */
export function statusFromSlurm(state: string): JobStatus {
  if (/^(PENDING|CONFIGURING|REQUEUED|RESIZING|SUSPENDED)/.test(state)) return 'pending';
  if (/^(RUNNING|COMPLETING|STAGE_OUT)/.test(state)) return 'running';
  if (state === 'COMPLETED') return 'done';
  if (/^CANCELLED/.test(state)) return 'interrupted';
  return 'failed';
}

/** Merges the status files with squeue/sacct states (a status file of a finished job wins). */
export function mergeStates(records: JobRecord[], squeue: TaskState[], sacct: TaskState[]): JobRecord[] {
  return records.map((r) => {
    if (!['pending', 'running', 'unknown'].includes(r.status)) return r;
    const q = squeue.find((t) => t.task === r.index);
    if (q) return { ...r, status: statusFromSlurm(q.state), message: `Slurm ${q.state}${q.reason ? ` (${q.reason})` : ''}` };
    const a = sacct.find((t) => t.task === r.index);
    if (a) {
      const st = statusFromSlurm(a.state);
      // A task that ended without writing its final status (killed: time limit, memory, node failure).
      return { ...r, status: st === 'done' ? 'failed' : st, message: `Slurm ${a.state}${a.exitCode ? ` exit ${a.exitCode}` : ''}${st === 'done' ? ' but no job status written' : ''}${a.elapsed ? ` after ${a.elapsed}` : ''}` };
    }
    return r.status === 'running' ? { ...r, status: 'unknown', message: 'running by its status file, but not in squeue/sacct (killed?)' } : r;
  });
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand('batch-status', argv, {}, USAGE, { count: 1, what: 'exactly one batch folder' });
  if (typeof parsed === 'number') return parsed;
  const dir = parsed.positionals[0];
  const jobsFile = join(dir, BATCH_JOBS_FILE);
  if (!existsSync(jobsFile)) {
    process.stderr.write(`cryoread batch-status: ${jobsFile} not found; give the --out folder of a 'cryoread batch' run\n`);
    return 2;
  }
  const { jobs } = JSON.parse(readFileSync(jobsFile, 'utf8')) as { jobs: BatchJob[] };
  let records = collectRecords(dir, jobs);
  const sub = readSubmission(dir);
  if (sub) {
    const q = queryQueue(sub.jobId, { squeue: process.env.CRYOREAD_SQUEUE, sacct: process.env.CRYOREAD_SACCT });
    records = mergeStates(records, q.squeue, q.sacct);
    process.stdout.write(`Slurm job ${sub.jobId}, submitted ${sub.submittedAt}: ${q.squeue.length} task(s) in the queue\n`);
    for (const n of q.notes) process.stdout.write(`note: ${n}\n`);
  }
  const paths = writeBatchSummary(dir, records);
  process.stdout.write(summaryMarkdown(records) + `\nsummary written to ${paths.csv} and ${paths.markdown}\n`);
  return records.every((r) => r.status === 'done') ? 0 : 1;
}
