/**
 * `cryoread refine MODEL MAP --resolution R --out OUT.pdb|OUT.cif [options]`: CryoREAD's mode 1
 * (refine any model, reference section 21) with the built-in engine by default, or Phenix / Coot /
 * CryoREAD's Phenix-Coot-Phenix protocol when installed. Writes OUT and OUT's stem + .json (engine,
 * notes, per-cycle and per-iteration metrics, validation before/after); external engines keep their
 * Refine_cycle*.pdb, scripts and logs in OUT's stem + _refine/.
 */
import { basename, resolve } from 'node:path';
import { readMrc } from '../io/mrc.js';
import { readStructure, writeStructure } from '../io/structure-file.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { AbortError, InputError } from '../util/errors.js';
import { cliProgressPrinter } from './progress-printer.js';
import { REFINE_ENGINES, type RefineEngine } from '../refine/engines.js';
import { refineAndValidate, formatRefineReport } from '../refine/report.js';
import { maskMap, readMaskChannels } from '../refine/mask-map.js';
import { parseCommand } from './args.js';
import { handleInterrupts } from './interrupt.js';

const USAGE = `usage: cryoread refine MODEL MAP --resolution R --out OUT.pdb|OUT.cif [options]

Real-space refines a DNA/RNA model (PDB/mmCIF) against a map (MRC/CCP4); protein atoms stay in place.
Writes OUT and OUT's stem + .json (engine, notes, per-cycle and per-iteration metrics, bond/angle
RMSD, clashes, chirality and map CC before and after).

options:
  --resolution R       map resolution in A (required)
  --out OUT            refined model, .pdb or .cif (required)
  --engine E           builtin (default): our refinement, always available;
                       phenix: phenix.real_space_refine; coot: Coot per-residue refinement;
                       cryoread: Phenix, Coot, Phenix as CryoREAD (Refine_cycle0..3.pdb in OUT_refine/).
                       A missing program is named and the built-in engine runs instead.
  --cycles N           all-atom macro-cycles of the built-in engine (default 5)
  --map-weight W       fixed map weight (default: automatic, bond RMSD 0.01-0.02 A)
  --no-rigid           skip the per-residue rigid-body fit
  --hbonds             base-pair hydrogen-bond restraints for Watson-Crick pairs already in the model
  --map-mask PROBDIR   refine against CryoREAD's mask map: density where the probability maps of a
                       cryoread build (PROBDIR: its output folder) say nucleic acid and not protein
  --contour C          density contour of the mask map (default 0)
  --phenix DIR         Phenix installation, or the folder holding phenix.real_space_refine
                       (else $CRYOREAD_PHENIX, $PHENIX, PATH)
  --coot PATH          coot executable (else $CRYOREAD_COOT, $COOT, PATH)
  --tool-timeout-s T   time limit of each external program run (default 3600)
  --json-progress      JSON progress lines even on a terminal
  -h, --help           this text`;

const OPTIONS = {
  resolution: { type: 'string' }, out: { type: 'string' }, engine: { type: 'string' }, cycles: { type: 'string' },
  'map-weight': { type: 'string' }, 'no-rigid': { type: 'boolean' }, hbonds: { type: 'boolean' }, 'map-mask': { type: 'string' },
  contour: { type: 'string' }, phenix: { type: 'string' }, coot: { type: 'string' }, 'tool-timeout-s': { type: 'string' }, 'json-progress': { type: 'boolean' },
} as const;

type Values = Partial<Record<keyof typeof OPTIONS, string | boolean>>;

function num(v: string | boolean | undefined, flag: string, check: (x: number) => boolean, what: string): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (typeof v !== 'string' || !Number.isFinite(x) || !check(x)) throw new InputError('CLI_VALUE', `--${flag} ${String(v)}: expected ${what}`);
  return x;
}

/** Engine options shared by `cryoread refine` and `cryoread build --refine`. */
export function engineOptionsFromArgs(v: Values): { engine: RefineEngine; cycles?: number; mapWeight?: number; rigidBody: boolean; topology: { basePairHbonds: boolean }; tools: { phenixDir?: string; cootPath?: string }; toolTimeoutS: number } {
  const engine = (v.engine as string | undefined) ?? 'builtin';
  if (!(REFINE_ENGINES as readonly string[]).includes(engine)) throw new InputError('CLI_VALUE', `--engine ${engine}: expected one of ${REFINE_ENGINES.join(', ')}`);
  const cycles = num(v.cycles, 'cycles', (x) => Number.isInteger(x) && x >= 0 && x <= 100, 'a whole number of cycles 0-100');
  const mapWeight = num(v['map-weight'], 'map-weight', (x) => x > 0, 'a positive weight');
  return {
    engine: engine as RefineEngine, ...(cycles !== undefined ? { cycles } : {}), ...(mapWeight !== undefined ? { mapWeight } : {}),
    rigidBody: !v['no-rigid'], topology: { basePairHbonds: Boolean(v.hbonds) },
    tools: { ...(v.phenix ? { phenixDir: v.phenix as string } : {}), ...(v.coot ? { cootPath: v.coot as string } : {}) },
    toolTimeoutS: num(v['tool-timeout-s'], 'tool-timeout-s', (x) => x > 0, 'a time limit in seconds > 0') ?? 3600,
  };
}


export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand<Values>('refine', argv, OPTIONS, USAGE, { count: 2, what: 'MODEL and MAP' });
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values;
  const [modelPath, mapPath] = parsed.positionals;
  const usage = (msg: string) => { process.stderr.write(`cryoread refine: ${msg}\n${USAGE}\n`); return 2; };
  if (!v.out) return usage('--out OUT.pdb|OUT.cif is required');
  if (v.resolution === undefined) return usage('--resolution R (the map resolution in A) is required');
  const out = resolve(v.out as string);
  if (!/\.(pdb|cif)$/i.test(out)) return usage(`--out ${v.out}: give a .pdb or .cif file name`);
  let opts, resolutionA: number, contour: number;
  try {
    resolutionA = num(v.resolution, 'resolution', (x) => x > 0 && x <= 20, 'a resolution in A in (0, 20]')!;
    contour = num(v.contour, 'contour', () => true, 'a number') ?? 0;
    opts = engineOptionsFromArgs(v);
  } catch (e) {
    return usage((e as Error).message);
  }
  const model = readStructure(modelPath);
  let map = readMrc(mapPath).volume;
  if (v['map-mask']) map = maskMap(map, readMaskChannels(v['map-mask'] as string), { contour });
  const stem = out.replace(/\.(pdb|cif)$/i, '');
  const json = Boolean(v['json-progress']) || !process.stderr.isTTY;
  const printer = cliProgressPrinter(json);
  const controller = new AbortController();
  const stop = handleInterrupts(controller, () => undefined, 'refine');
  let r;
  try {
    r = await refineAndValidate(model, map, {
      ...opts, resolutionA, ...(opts.engine !== 'builtin' ? { workDir: `${stem}_refine` } : {}),
    }, { onProgress: printer.onProgress, signal: controller.signal });
  } catch (e) {
    printer.finish();
    if (e instanceof AbortError || controller.signal.aborted) { process.stderr.write(`cryoread refine: interrupted; ${basename(out)} not written\n`); return 130; }
    throw e;
  } finally {
    stop();
  }
  printer.finish();
  const written = writeStructure(out, r.result.structure, { remarks: [`refined by cryoread-ts refine (engine ${r.result.used}) against ${basename(mapPath)} at ${resolutionA} A`], fallbackToMmcif: true });
  const jsonPath = `${stem}.json`;
  writeFileAtomic(jsonPath, JSON.stringify({ tool: 'cryoread-ts refine', model: modelPath, map: mapPath, mapMask: v['map-mask'] ?? null, output: written, ...r.report }, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? null : x), 1) + '\n');
  for (const n of r.report.notes) process.stdout.write(`note: ${n}\n`);
  process.stdout.write(formatRefineReport(r.report) + '\n');
  process.stdout.write(`refined model written to ${written}\nreport written to ${jsonPath}\n`);
  if (r.result.workDir) process.stdout.write(`refinement cycles in ${r.result.workDir}\n`);
  return 0;
}
