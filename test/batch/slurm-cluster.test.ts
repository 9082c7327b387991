/**
 * `cryoread batch --slurm` on a real one-node Slurm cluster (issue 17, item 5): munged, slurmctld and
 * slurmd from Debian (slurm-wlm, munge; installed by .ci/run) are started on localhost with a
 * private configuration in a temporary folder (own munge socket and key, own ports, no accounting),
 * a 3-job batch with one broken map is submitted as a job array, and the summary is checked once
 * every task has written its status. Skipped with a message where the Slurm programs are missing or
 * the daemons do not come up (e.g. no permission to run them).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const TINY = resolve('test/detect/fixtures/tiny');
const EXAMPLE = resolve('example/6v5b_sim_3.7A.mrc');
const which = (cmd: string) => spawnSync('bash', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim();

interface Cluster { dir: string; env: NodeJS.ProcessEnv; stop(): void }

/** Starts munged + slurmctld + slurmd; returns null and a reason when it cannot. */
async function startCluster(): Promise<Cluster | string> {
  const tools = ['munged', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'sinfo'].map((t) => [t, which(t)]);
  const missing = tools.filter(([, p]) => !p).map(([t]) => t);
  if (missing.length) return `Slurm programs not installed (${missing.join(', ')}; .ci/run installs slurm-wlm and munge)`;
  const dir = mkdtempSync(join(tmpdir(), 'crs-'));
  for (const d of ['munge', 'state', 'spool', 'log']) mkdirSync(join(dir, d));
  chmodSync(join(dir, 'munge'), 0o700);
  writeFileSync(join(dir, 'munge', 'munge.key'), Buffer.alloc(1024, 0).map((_, i) => (i * 131 + 7) % 251), { mode: 0o600 });
  const pids: string[] = [join(dir, 'munge', 'munged.pid'), join(dir, 'slurmctld.pid'), join(dir, 'slurmd.pid')];
  /** Stops the daemons this test started (by their pid files) and waits up to 20 s for them to exit. */
  const stop = () => {
    const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
    const started = [...pids].reverse().filter((p) => existsSync(p)).map((p) => Number(readFileSync(p, 'utf8').trim())).filter((pid) => pid > 0);
    for (const pid of started) {
      try { process.kill(pid, 'SIGTERM'); } catch { /* already gone */ }
    }
    const nap = new Int32Array(new SharedArrayBuffer(4));
    for (let i = 0; i < 200 && started.some(alive); i++) Atomics.wait(nap, 0, 0, 100);
  };
  const sock = join(dir, 'munge', 'munge.sock');
  const m = spawnSync('munged', ['--force', `--socket=${sock}`, `--key-file=${join(dir, 'munge', 'munge.key')}`, `--log-file=${join(dir, 'log', 'munged.log')}`,
    `--pid-file=${pids[0]}`, `--seed-file=${join(dir, 'munge', 'seed')}`], { encoding: 'utf8' });
  if (m.status !== 0) { stop(); return `munged did not start: ${m.stderr.trim()}`; }
  const host = spawnSync('hostname', ['-s'], { encoding: 'utf8' }).stdout.trim() || 'localhost';
  const port = 20000 + (process.pid % 5000) * 2;
  writeFileSync(join(dir, 'slurm.conf'), [
    'ClusterName=cryoreadtest', `SlurmctldHost=${host}`, `SlurmctldPort=${port}`, `SlurmdPort=${port + 1}`,
    'AuthType=auth/munge', 'CredType=cred/munge', `AuthInfo=socket=${sock}`,
    'ProctrackType=proctrack/linuxproc', 'TaskPlugin=task/none', 'SchedulerType=sched/backfill',
    'SelectType=select/cons_tres', 'SelectTypeParameters=CR_Core', 'JobAcctGatherType=jobacct_gather/none',
    'AccountingStorageType=accounting_storage/none', 'MpiDefault=none', 'ReturnToService=2',
    'SlurmUser=root', 'SlurmdUser=root', `StateSaveLocation=${join(dir, 'state')}`, `SlurmdSpoolDir=${join(dir, 'spool')}`,
    `SlurmctldPidFile=${pids[1]}`, `SlurmdPidFile=${pids[2]}`,
    `SlurmctldLogFile=${join(dir, 'log', 'slurmctld.log')}`, `SlurmdLogFile=${join(dir, 'log', 'slurmd.log')}`,
    `NodeName=${host} NodeAddr=127.0.0.1 CPUs=${availableParallelism()} State=UNKNOWN`,
    `PartitionName=test Nodes=${host} Default=YES MaxTime=INFINITE State=UP`, '',
  ].join('\n'));
  const env = { ...process.env, SLURM_CONF: join(dir, 'slurm.conf') };
  const logs = () => ['slurmctld.log', 'slurmd.log'].map((f) => { const p = join(dir, 'log', f); return existsSync(p) ? `${f}: ${readFileSync(p, 'utf8').trim().split('\n').slice(-3).join(' / ')}` : ''; }).join('; ');
  for (const [cmd, args] of [['slurmctld', ['-i']], ['slurmd', []]] as const) {
    const r = spawnSync(cmd, [...args], { encoding: 'utf8', env });
    if (r.status !== 0) { stop(); return `${cmd} did not start (exit ${r.status}): ${r.stderr.trim()} ${logs()}`; }
  }
  for (let i = 0; i < 60; i++) {
    const s = spawnSync('sinfo', ['-h', '-o', '%T'], { encoding: 'utf8', env });
    if (s.status === 0 && /idle|mixed|allocated/.test(s.stdout)) return { dir, env, stop };
    await sleep(500);
  }
  stop();
  return `the Slurm node did not become idle within 30 s: ${logs()}`;
}

test('cryoread batch --slurm on a one-node Slurm cluster: 3 array tasks (one broken map), summary and batch-status', async (t) => {
  const c = await startCluster();
  if (typeof c === 'string') {
    t.skip(c);
    return;
  }
  t.after(() => { c.stop(); rmSync(c.dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }); });
  const work = join(c.dir, 'work');
  mkdirSync(work);
  writeFileSync(join(work, 'broken.mrc'), 'this is not a map');
  writeFileSync(join(work, 'jobs.tsv'), [
    'name\tmap\tresolution\tmodel\tprediction-only\tstride',
    `s32\t${EXAMPLE}\t3.7\t${TINY}\tyes\t32`,
    `s48\t${EXAMPLE}\t3.7\t${TINY}\tyes\t48`,
    'broken\tbroken.mrc\t3.7\t\t\t',
  ].join('\n') + '\n');
  const out = join(work, 'out');
  const cli = (args: string[]) => spawnSync(process.execPath, ['bin/cryoread.mjs', ...args], { encoding: 'utf8', env: c.env });
  const sub = cli(['batch', join(work, 'jobs.tsv'), '--out', out, '--slurm', '--parallel', '2', '--cpus-per-task', '1', '--time', '00:10:00']);
  assert.equal(sub.status, 0, sub.stderr);
  const jobId = /submitted Slurm job (\d+) \(3 array tasks\)/.exec(sub.stdout)?.[1];
  assert.ok(jobId, sub.stdout);

  // Wait for the three tasks to write their final status (each takes a few seconds).
  const final = () => ['s32', 's48', 'broken'].every((n) => {
    const p = join(out, 'jobs', `${n}.status.json`);
    return existsSync(p) && JSON.parse(readFileSync(p, 'utf8')).status !== 'running';
  });
  for (let i = 0; i < 600 && !final(); i++) await sleep(500);
  assert.ok(final(), `tasks did not finish; squeue: ${cli(['batch-status', out]).stdout}`);
  // The queue empties once the last task has exited.
  for (let i = 0; i < 60; i++) {
    if (spawnSync('squeue', ['-h', '-j', jobId!], { encoding: 'utf8', env: c.env }).stdout.trim() === '') break;
    await sleep(500);
  }

  const st = cli(['batch-status', out]);
  assert.equal(st.status, 1, `one job failed: ${st.stdout}${st.stderr}`);
  assert.match(st.stdout, new RegExp(`Slurm job ${jobId}, submitted`));
  assert.match(st.stdout, /# cryoread batch: 3 jobs \(2 done, 1 bad-input\)/);
  const csv = readFileSync(join(out, 'batch-summary.csv'), 'utf8');
  assert.match(csv, /^s32,done,0,ok,/m);
  assert.match(csv, /^s48,done,0,ok,/m);
  assert.match(csv, /^broken,bad-input,2,.*broken\.mrc: file is 17 bytes/m);
  assert.ok(existsSync(join(out, 'jobs', 's48', '2nd_stage_detection', 'chain_sugar_prob.mrc')));
  // One Slurm output file per array task.
  assert.deepEqual(readdirSync(join(out, 'slurm')).sort(), [0, 1, 2].map((k) => `${jobId}_${k}.out`));
  assert.match(readFileSync(join(out, 'batch.sbatch'), 'utf8'), /#SBATCH --array=0-2%2/);
});
