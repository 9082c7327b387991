/**
 * Output folder of a build, never half-written: the run writes into a staging folder beside DIR
 * (`.DIR.partial-<pid>`), and `commit()` swaps it in at the end, so DIR holds either the previous
 * complete run or the new complete run, never a mix and never stale files of an earlier run.
 * DIR/.cache (the per-stage resume cache, stage-cache.ts) lives in DIR itself during the run, so an
 * interrupted run keeps it; commit carries it over.
 *
 * Not in CryoREAD (it writes straight into its output folder and reuses whatever is there).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../util/errors.js';

/** Sub-folder of DIR holding the per-stage cache. */
export const CACHE_DIR_NAME = '.cache';
/** The file that marks a folder as the output of a cryoread build (written last by a run). */
export const RUN_MARKER_FILE = 'summary.json';

export interface OutputDirCheck {
  /** Absolute output folder. */
  dir: string;
  /** DIR exists and holds outputs of an earlier build (they are replaced at the end of this run). */
  previousRun: boolean;
  warnings: string[];
}

function isOurSummary(path: string): boolean {
  try {
    const s = JSON.parse(readFileSync(path, 'utf8')) as { tool?: unknown };
    return typeof s.tool === 'string' && s.tool.startsWith('cryoread-ts');
  } catch {
    return false;
  }
}

/**
 * Checks `--out DIR` before anything runs: not an existing file, not a folder of someone else's files
 * (an earlier cryoread build, or a folder with only our cache, is fine: it is replaced at the end),
 * and its parent can be created and written (tested by `stageOutputDir`). Throws InputError.
 */
export function checkOutputDir(outDir: string): OutputDirCheck {
  const dir = resolve(outDir);
  const warnings: string[] = [];
  let previousRun = false;
  if (existsSync(dir)) {
    const st = statSync(dir);
    if (!st.isDirectory()) {
      throw new InputError('OUT_NOT_DIR', `--out ${outDir}: is an existing file, not a folder; give a new or empty folder path`, outDir);
    }
    const entries = readdirSync(dir).filter((n) => n !== CACHE_DIR_NAME);
    if (entries.length > 0) {
      if (!isOurSummary(join(dir, RUN_MARKER_FILE))) {
        throw new InputError('OUT_NOT_EMPTY', `--out ${outDir}: folder holds ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'} not written by cryoread build (e.g. ${entries.slice(0, 3).join(', ')}); give a new or empty folder, or remove them`, outDir);
      }
      previousRun = true;
      warnings.push(`--out ${outDir}: holds the outputs of an earlier build; they are replaced when this run finishes (kept if it fails)`);
    }
  }
  return { dir, previousRun, warnings };
}

export interface StagedOutput {
  /** Final folder. */
  dir: string;
  /** Staging folder beside it: write every output here. */
  stagingDir: string;
  /** Cache folder (inside the final folder, kept when a run fails). */
  cacheDir: string;
  /** Swaps the staging folder in as DIR (carrying DIR/.cache over) and removes the old outputs. */
  commit(): void;
  /** Removes the staging folder (failed or interrupted run); DIR is left as it was. Synchronous, idempotent. */
  discard(): void;
}

const STAGING_RE = /^\.(.+)\.(partial|old)-(\d+)$/;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes staging/old folders of DIR left by killed runs (their process is gone). */
function removeLeftovers(parent: string, name: string): void {
  for (const n of readdirSync(parent)) {
    const m = STAGING_RE.exec(n);
    if (m && m[1] === name && !pidAlive(Number(m[3]))) rmSync(join(parent, n), { recursive: true, force: true });
  }
}

/**
 * Creates the staging folder `.<name>.partial-<pid>` beside DIR (and DIR's parent when missing).
 * Throws InputError OUT_UNWRITABLE naming the folder when it cannot be created.
 */
export function stageOutputDir(outDir: string): StagedOutput {
  const dir = resolve(outDir);
  const parent = dirname(dir), name = basename(dir);
  const stagingDir = join(parent, `.${name}.partial-${process.pid}`);
  try {
    mkdirSync(parent, { recursive: true });
    removeLeftovers(parent, name);
    rmSync(stagingDir, { recursive: true, force: true });
    mkdirSync(stagingDir);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new InputError('OUT_UNWRITABLE', `--out ${outDir}: cannot create folders in ${parent} (${err.code ?? err.message}); give a writable place`, outDir);
  }
  let done = false;
  return {
    dir,
    stagingDir,
    cacheDir: join(dir, CACHE_DIR_NAME),
    commit() {
      if (done) return;
      const cache = join(dir, CACHE_DIR_NAME);
      if (existsSync(dir)) {
        if (existsSync(cache)) renameSync(cache, join(stagingDir, CACHE_DIR_NAME));
        const old = join(parent, `.${name}.old-${process.pid}`);
        rmSync(old, { recursive: true, force: true });
        renameSync(dir, old);
        renameSync(stagingDir, dir);
        rmSync(old, { recursive: true, force: true });
      } else {
        renameSync(stagingDir, dir);
      }
      done = true;
    },
    discard() {
      if (done) return;
      rmSync(stagingDir, { recursive: true, force: true });
      done = true;
    },
  };
}
