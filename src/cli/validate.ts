/**
 * `cryoread validate MODEL [MAP] [--resolution R] [--json] [--rows N]`: geometry (bond / angle RMSD
 * and outliers against standard nucleotide geometry), clashes, chirality errors, sugar puckers and,
 * with a map, the map-model correlation, as a summary and a per-residue table (src/refine/validate.ts).
 */
import { readMrc } from '../io/mrc.js';
import { readStructure } from '../io/structure-file.js';
import { validateModel, formatValidation } from '../refine/validate.js';
import { parseCommand } from './args.js';

const USAGE = `usage: cryoread validate MODEL [MAP] [--resolution R] [--json] [--rows N]

Checks a DNA/RNA model (PDB/mmCIF) without a reference: bond and angle RMSD and outliers (> 0.08 A,
> 10 deg) against standard nucleotide geometry, clashes (heavy atoms of different residues < 2.2 A),
chirality errors (C1', C2', C3', C4'), sugar puckers, and with MAP the map-model correlation over the
voxels within 2.5 A of the model (model density simulated at the resolution), overall and per residue.

options:
  --resolution R   map resolution in A (required with MAP)
  --json           one JSON object {summary, residues}
  --rows N         residues shown in the text table (default all)
  -h, --help       this text`;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand<{ resolution?: string; json: boolean; rows?: string }>('validate', argv, {
    resolution: { type: 'string' }, json: { type: 'boolean', default: false }, rows: { type: 'string' },
  }, USAGE);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const fail = (msg: string) => { process.stderr.write(`cryoread validate: ${msg}\n${USAGE}\n`); return 2; };
  if (positionals.length < 1 || positionals.length > 2) return fail(`expected MODEL [MAP], got ${positionals.length} argument(s)`);
  const resolutionA = values.resolution === undefined ? undefined : Number(values.resolution);
  if (resolutionA !== undefined && !(resolutionA > 0 && resolutionA <= 20)) return fail(`--resolution ${values.resolution}: expected a resolution in A in (0, 20]`);
  if (positionals[1] && resolutionA === undefined) return fail('--resolution R is required with a MAP');
  const rows = values.rows === undefined ? Infinity : Number(values.rows);
  if (!(rows >= 0)) return fail(`--rows ${values.rows}: expected a number >= 0`);
  const model = readStructure(positionals[0]);
  const map = positionals[1] ? readMrc(positionals[1]).volume : null;
  const r = validateModel(model, map, resolutionA !== undefined ? { resolutionA } : {});
  if (values.json) process.stdout.write(JSON.stringify({ model: positionals[0], map: positionals[1] ?? null, resolutionA: resolutionA ?? null, ...r }, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? null : x), 1) + '\n');
  else process.stdout.write(formatValidation(r, rows) + '\n');
  return 0;
}
