/**
 * The jobs table of `cryoread batch` (JOBS.tsv): one row per map, tab-separated, with a header row.
 * Columns: name, map, resolution (required), fasta, contour, reference (optional, empty or '-' for
 * none); any other column is a `cryoread build` option of the same name (`stride`, `model`,
 * `prediction-only`, ...; boolean options take yes/no/true/false/1/0). Relative paths are relative
 * to the TSV's folder. Lines starting with '#' and blank lines are skipped; CRLF is accepted.
 * Not in CryoREAD (one map per run there).
 */
import { createHash } from 'node:crypto';
import { dirname, isAbsolute, resolve } from 'node:path';
import { readFileText } from '../io/read-bytes.js';
import { InputError } from '../util/errors.js';

export interface BatchJob {
  /** Row index among the jobs (0-based): the Slurm array task id. */
  index: number;
  name: string;
  map: string;
  resolution: string;
  fasta: string | null;
  contour: string | null;
  reference: string | null;
  /** Extra build options: option name -> value ('' for a set boolean flag). */
  options: Record<string, string>;
}

export type OptionKinds = Record<string, { type: 'string' | 'boolean' }>;

const REQUIRED = ['name', 'map', 'resolution'];
const PATH_COLUMNS = new Set(['map', 'fasta', 'reference', 'oracle', 'model', 'base-caller']);
/** Build options a batch sets itself. */
const RESERVED = new Set(['out', 'resume', 'check', 'json-progress', 'help', 'no-cache']);
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const empty = (v: string | undefined) => v === undefined || v === '' || v === '-';

/** Parses JOBS.tsv text. `source` is the file path (names it in errors, anchors relative paths). */
export function parseJobsTsv(text: string, source: string, buildOptions: OptionKinds): BatchJob[] {
  const base = dirname(resolve(source));
  const lines = text.split(/\r?\n/).map((l, i) => ({ l, n: i + 1 })).filter(({ l }) => l.trim() !== '' && !l.startsWith('#'));
  if (lines.length === 0) throw new InputError('BATCH_EMPTY', `${source}: no header row; the first line names the columns (name, map, resolution, fasta, contour, ...), tab-separated`, source);
  const header = lines[0].l.split('\t').map((h) => h.trim().toLowerCase());
  for (const c of REQUIRED) {
    if (!header.includes(c)) throw new InputError('BATCH_COLUMN', `${source}: line ${lines[0].n}: no '${c}' column (have ${header.join(', ')}); the header needs name, map and resolution, tab-separated`, source);
  }
  const known = new Set([...REQUIRED, 'fasta', 'contour', 'reference']);
  header.forEach((h, k) => {
    if (header.indexOf(h) !== k) throw new InputError('BATCH_COLUMN', `${source}: column '${h}' appears twice`, source);
    if (known.has(h)) return;
    if (RESERVED.has(h)) throw new InputError('BATCH_COLUMN', `${source}: column '${h}' is set by cryoread batch itself; remove it`, source);
    if (!buildOptions[h]) throw new InputError('BATCH_COLUMN', `${source}: column '${h}' is not a cryoread build option (see cryoread build --help); rename or remove it`, source);
  });
  const jobs: BatchJob[] = [];
  const names = new Set<string>();
  const path = (v: string) => (isAbsolute(v) ? v : resolve(base, v));
  for (const { l, n } of lines.slice(1)) {
    const cells = l.split('\t').map((c) => c.trim());
    if (cells.length > header.length) throw new InputError('BATCH_ROW', `${source}: line ${n}: ${cells.length} cells for ${header.length} columns; separate cells by tabs`, source);
    const row: Record<string, string> = {};
    header.forEach((h, k) => { row[h] = cells[k] ?? ''; });
    for (const c of REQUIRED) if (empty(row[c])) throw new InputError('BATCH_ROW', `${source}: line ${n}: empty '${c}'`, source);
    if (!NAME_RE.test(row.name)) throw new InputError('BATCH_ROW', `${source}: line ${n}: name '${row.name}' must be letters, digits, '.', '_' or '-' (it names the output folder)`, source);
    if (names.has(row.name)) throw new InputError('BATCH_ROW', `${source}: line ${n}: name '${row.name}' used twice; names must be unique`, source);
    names.add(row.name);
    const options: Record<string, string> = {};
    for (const h of header) {
      if (known.has(h) || empty(row[h])) continue;
      if (buildOptions[h].type === 'boolean') {
        const v = row[h].toLowerCase();
        if (['yes', 'true', '1'].includes(v)) options[h] = '';
        else if (!['no', 'false', '0'].includes(v)) throw new InputError('BATCH_ROW', `${source}: line ${n}: column '${h}' = '${row[h]}'; expected yes or no`, source);
      } else {
        options[h] = PATH_COLUMNS.has(h) && (row[h].includes('/') || row[h].includes('.')) ? path(row[h]) : row[h];
      }
    }
    jobs.push({
      index: jobs.length, name: row.name, map: path(row.map), resolution: row.resolution,
      fasta: empty(row.fasta) ? null : path(row.fasta), contour: empty(row.contour) ? null : row.contour,
      reference: empty(row.reference) ? null : path(row.reference), options,
    });
  }
  if (jobs.length === 0) throw new InputError('BATCH_EMPTY', `${source}: a header but no job rows`, source);
  return jobs;
}

export function readJobsTsv(path: string, buildOptions: OptionKinds): BatchJob[] {
  return parseJobsTsv(readFileText(path), path, buildOptions);
}

/** `cryoread build` arguments of a job (without --out). */
export function buildArgs(job: BatchJob): string[] {
  const a = [job.map, '--resolution', job.resolution];
  if (job.fasta) a.push('--fasta', job.fasta);
  if (job.contour !== null) a.push('--contour', job.contour);
  if (job.reference) a.push('--reference', job.reference);
  for (const [k, v] of Object.entries(job.options)) a.push(`--${k}`, ...(v === '' ? [] : [v]));
  return a;
}

/** Hash of what a job computes (its build arguments): a finished job is skipped on a rerun only when it is unchanged. */
export function jobSpecHash(job: BatchJob): string {
  return createHash('sha256').update(JSON.stringify(buildArgs(job))).digest('hex').slice(0, 16);
}
