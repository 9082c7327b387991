/**
 * External refinement programs and CryoREAD's protocol with them (reference section 21):
 *   Refine_cycle0.pdb (the model) -> phenix.real_space_refine -> Refine_cycle1.pdb (OP3 removed in
 *   the build pipeline) -> coot --no-graphics --script (each residue real-space refined on its own)
 *   -> Refine_cycle2.pdb -> phenix.real_space_refine -> Refine_cycle3.pdb.
 * Programs are found from --phenix DIR / --coot PATH, then $CRYOREAD_PHENIX / $PHENIX and
 * $CRYOREAD_COOT / $COOT, then PATH. Each run has a time limit; a program that fails, times out or
 * writes nothing stops the protocol and the last good cycle is kept (reported in the steps).
 * Departures: the Coot script is ours (Coot's Python API: read_pdb, handle_read_ccp4_map,
 * refine_zone, accept_regularizement, write_pdb_file), and a Phenix failure keeps cycle0 as the
 * result instead of producing no model (the original's fallback list omits cycle0).
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, openSync, closeSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { basename, delimiter, join, resolve } from 'node:path';
import type { Structure } from '../structure/model.js';
import { readStructure, writeStructure } from '../io/structure-file.js';
import { InputError } from '../util/errors.js';

export const PHENIX_PROGRAM = 'phenix.real_space_refine';
export const COOT_PROGRAM = 'coot';

export interface ToolSearch {
  /** --phenix DIR: a Phenix installation folder, or the folder holding phenix.real_space_refine. */
  phenixDir?: string;
  /** --coot PATH: the coot executable (or a folder holding it, or bin/coot). */
  cootPath?: string;
  env?: NodeJS.ProcessEnv;
}

export interface FoundTool {
  path: string | null;
  /** Where it was looked for, in order (for the "not found" message). */
  searched: string[];
}

function isExecutable(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function pathDirs(env: NodeJS.ProcessEnv): string[] {
  return (env.PATH ?? '').split(delimiter).filter(Boolean);
}

/** Candidate locations of `program` under an installation folder. */
function underDir(dir: string, program: string): string[] {
  return [join(dir, program), join(dir, 'bin', program), join(dir, 'build', 'bin', program)];
}

export function findPhenix(s: ToolSearch = {}): FoundTool {
  const env = s.env ?? process.env;
  const searched: string[] = [];
  const cands: string[] = [];
  if (s.phenixDir) { searched.push(`--phenix ${s.phenixDir}`); cands.push(...underDir(resolve(s.phenixDir), PHENIX_PROGRAM)); }
  else {
    for (const v of ['CRYOREAD_PHENIX', 'PHENIX']) if (env[v]) { searched.push(`$${v}=${env[v]}`); cands.push(...underDir(resolve(env[v]!), PHENIX_PROGRAM)); }
    searched.push('PATH');
    cands.push(...pathDirs(env).map((d) => join(d, PHENIX_PROGRAM)));
  }
  return { path: cands.find(isExecutable) ?? null, searched };
}

export function findCoot(s: ToolSearch = {}): FoundTool {
  const env = s.env ?? process.env;
  const searched: string[] = [];
  const cands: string[] = [];
  const fromValue = (v: string) => { const p = resolve(v); return [p, ...underDir(p, COOT_PROGRAM)]; };
  if (s.cootPath) { searched.push(`--coot ${s.cootPath}`); cands.push(...fromValue(s.cootPath)); }
  else {
    for (const v of ['CRYOREAD_COOT', 'COOT']) if (env[v]) { searched.push(`$${v}=${env[v]}`); cands.push(...fromValue(env[v]!)); }
    searched.push('PATH');
    cands.push(...pathDirs(env).map((d) => join(d, COOT_PROGRAM)));
  }
  return { path: cands.find(isExecutable) ?? null, searched };
}

export interface ToolRun {
  status: 'ok' | 'failed' | 'timeout' | 'aborted';
  exitCode: number | null;
  seconds: number;
  /** stdout + stderr of the program. */
  logPath: string;
}

/**
 * Runs `cmd args` in `cwd` with output to `logPath`, killing the program (and what it started: it
 * runs in its own process group) after `timeoutS` seconds or when `signal` aborts.
 */
export function runTool(cmd: string, args: string[], opts: { cwd: string; logPath: string; timeoutS: number; signal?: AbortSignal; env?: NodeJS.ProcessEnv }): Promise<ToolRun> {
  const t0 = performance.now();
  const fd = openSync(opts.logPath, 'w');
  return new Promise((resolveRun) => {
    let status: ToolRun['status'] | null = null;
    const child = spawn(cmd, args, { cwd: opts.cwd, stdio: ['ignore', fd, fd], detached: true, env: opts.env ?? process.env });
    const kill = (why: ToolRun['status']) => {
      if (status) return;
      status = why;
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
    };
    const timer = opts.timeoutS > 0 ? setTimeout(() => kill('timeout'), opts.timeoutS * 1000) : null;
    const onAbort = () => kill('aborted');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const done = (code: number | null) => {
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      try { closeSync(fd); } catch { /* closed */ }
      resolveRun({ status: status ?? (code === 0 ? 'ok' : 'failed'), exitCode: code, seconds: (performance.now() - t0) / 1000, logPath: opts.logPath });
    };
    child.on('error', () => { status = status ?? 'failed'; done(null); });
    child.on('close', (code) => done(code));
  });
}

/** Coot script: read model + map, contour at `level`, refine each residue alone (auto-accept), write `out`. */
export function cootScript(modelPath: string, mapPath: string, outPath: string, level: number, residues: { chain: string; seqNum: number; insCode: string }[]): string {
  const q = (s: string) => JSON.stringify(s);
  const list = residues.map((r) => `(${q(r.chain)}, ${r.seqNum}, ${q(r.insCode)})`).join(',\n    ');
  return [
    '# cryoread-ts: per-residue real-space refinement in Coot (CryoREAD protocol, step 2 of 3)',
    `imol = read_pdb(${q(modelPath)})`,
    `imol_map = handle_read_ccp4_map(${q(mapPath)}, 0)`,
    'set_imol_refinement_map(imol_map)',
    `set_contour_level_absolute(imol_map, ${level.toPrecision(6)})`,
    'set_refinement_immediate_replacement(1)',
    `residues = [\n    ${list}\n]`,
    'for chain_id, resno, ins in residues:',
    '    refine_zone(imol, chain_id, resno, resno, ins)',
    '    accept_regularizement()',
    `write_pdb_file(imol, ${q(outPath)})`,
    'coot_real_exit(0)',
    '',
  ].join('\n');
}

export interface ExternalStep {
  program: string;
  /** Cycle file it should produce (Refine_cycleN.pdb). */
  output: string;
  status: ToolRun['status'] | 'no-output' | 'unreadable-output';
  seconds: number;
  logPath: string;
  message: string;
}

export interface ExternalProtocolOptions {
  engine: 'phenix' | 'coot' | 'cryoread';
  workDir: string;
  /** The model to refine (written as Refine_cycle0.pdb). */
  model: Structure;
  /** Map file the programs read. */
  mapPath: string;
  resolutionA: number;
  phenix: string | null;
  coot: string | null;
  /** Per-program time limit, seconds (0 = none). */
  timeoutS: number;
  /** Remove OP3 atoms after the first Phenix run (build pipeline; not in CryoREAD's mode 1). */
  removeOP3: boolean;
  /** Smallest positive map value (Coot contour, as CryoREAD sets it). */
  contour: number;
  signal?: AbortSignal;
  onStep?: (step: ExternalStep) => void;
}

export interface ExternalProtocolResult {
  /** Last good cycle file (Refine_cycle0.pdb when nothing succeeded). */
  finalPath: string;
  finalCycle: number;
  steps: ExternalStep[];
}

function phenixOutput(workDir: string, inputPath: string): string | null {
  const stem = basename(inputPath).replace(/\.(pdb|cif)$/i, '');
  for (let k = 0; k <= 5; k++) {
    for (const ext of ['pdb', 'cif']) {
      const f = join(workDir, `${stem}_phenix_refine_00${k}.${ext}`);
      if (existsSync(f) && statSync(f).size > 0) return f;
    }
  }
  return null;
}

function withoutOP3(s: Structure): Structure {
  return { ...s, chains: s.chains.map((c) => ({ ...c, residues: c.residues.map((r) => ({ ...r, atoms: r.atoms.filter((a) => a.name !== 'OP3') })) })) };
}

/** Runs the protocol; never throws for a program failure (the step says what happened). */
export async function runExternalProtocol(o: ExternalProtocolOptions): Promise<ExternalProtocolResult> {
  const cycle = (k: number) => join(o.workDir, `Refine_cycle${k}.pdb`);
  writeStructure(cycle(0), o.model, { fallbackToMmcif: false });
  const plan: ('phenix' | 'coot')[] = o.engine === 'phenix' ? ['phenix'] : o.engine === 'coot' ? ['coot'] : ['phenix', 'coot', 'phenix'];
  const steps: ExternalStep[] = [];
  let last = 0;
  const residues = o.model.chains.flatMap((c) => c.residues.filter((r) => r.kind === 'rna' || r.kind === 'dna').map((r) => ({ chain: c.id, seqNum: r.seqNum, insCode: r.insCode })));
  for (let k = 0; k < plan.length; k++) {
    const input = cycle(last), output = cycle(k + 1);
    const tool = plan[k];
    let run: ToolRun;
    let produced: string | null = null;
    if (tool === 'phenix') {
      if (!o.phenix) throw new InputError('REFINE_NO_PHENIX', `${PHENIX_PROGRAM} not found`);
      run = await runTool(o.phenix, [input, o.mapPath, `resolution=${o.resolutionA.toFixed(4)}`, 'output.suffix=_phenix_refine', 'skip_map_model_overlap_check=True'],
        { cwd: o.workDir, logPath: join(o.workDir, `Refine_cycle${k + 1}_phenix.log`), timeoutS: o.timeoutS, signal: o.signal });
      if (run.status === 'ok') produced = phenixOutput(o.workDir, input);
    } else {
      if (!o.coot) throw new InputError('REFINE_NO_COOT', `${COOT_PROGRAM} not found`);
      const script = join(o.workDir, `Refine_cycle${k + 1}_coot.py`);
      writeFileSync(script, cootScript(input, o.mapPath, output, o.contour, residues));
      run = await runTool(o.coot, ['--no-graphics', '--script', script], { cwd: o.workDir, logPath: join(o.workDir, `Refine_cycle${k + 1}_coot.log`), timeoutS: o.timeoutS, signal: o.signal });
      if (run.status === 'ok' && existsSync(output) && statSync(output).size > 0) produced = output;
    }
    const program = tool === 'phenix' ? PHENIX_PROGRAM : COOT_PROGRAM;
    const step: ExternalStep = { program, output, status: run.status, seconds: run.seconds, logPath: run.logPath, message: '' };
    if (run.status !== 'ok') {
      step.message = run.status === 'timeout' ? `${program} stopped after the ${o.timeoutS} s limit (--tool-timeout-s)` : run.status === 'aborted' ? `${program} interrupted` : `${program} failed (exit code ${run.exitCode ?? 'none'}; see ${run.logPath})`;
    } else if (!produced) {
      step.status = 'no-output';
      step.message = `${program} exited 0 but wrote no model (see ${run.logPath})`;
    } else {
      // Read what the program wrote and write it back in our format (reformatting, as CryoREAD does).
      try {
        let s = readStructure(produced);
        if (tool === 'phenix' && k === 0 && o.removeOP3) s = withoutOP3(s);
        if (produced !== output || (tool === 'phenix' && k === 0 && o.removeOP3)) writeStructure(output, s);
        if (produced !== output && !existsSync(output)) copyFileSync(produced, output);
        step.message = `${program}: ${basename(output)} written`;
        last = k + 1;
      } catch (e) {
        step.status = 'unreadable-output';
        step.message = `${program} wrote ${produced}, which cannot be read: ${(e as Error).message}`;
      }
    }
    steps.push(step);
    o.onStep?.(step);
    if (last !== k + 1) {
      step.message += `; keeping Refine_cycle${last}.pdb${last === 0 ? ' (the unrefined model)' : ''}`;
      break;
    }
  }
  return { finalPath: cycle(last), finalCycle: last, steps };
}
