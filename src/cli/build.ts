/**
 * `cryoread build MAP --out DIR [options]`: prepare -> detect (or --oracle) -> cluster -> trace -> bases ->
 * [sequence with --fasta] -> atoms; writes DIR/CryoREAD.pdb + .cif, the probability maps and
 * DIR/summary.json. Progress on stderr: a bar per stage on a TTY, one JSON line per event otherwise.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { InputError, AbortError, CryoreadError, exitCodeFor } from '../util/errors.js';
import { preflightBuild, type CheckedBuild } from '../pipeline/preflight.js';
import { stageOutputDir, type StagedOutput } from '../pipeline/output-dir.js';
import { openBuildCache } from '../pipeline/build-cache.js';
import { handleInterrupts } from './interrupt.js';
import { runPipelineInWorker } from '../pipeline/run-in-worker.js';
import { defaultPipelineParams, resolvePipelineParams, type PipelineParams } from '../pipeline/params.js';
import { writePipelineOutputs } from '../pipeline/outputs.js';
import { doneJsonLine, warningJsonLine, summaryTable } from '../pipeline/progress-format.js';
import { cliProgressPrinter } from './progress-printer.js';
import type { PipelineInput } from '../pipeline/types.js';
import { parseCommand } from './args.js';
import { DEFAULT_NA_FILTER } from '../trace/na-classifier.js';
import { DEFAULT_FRAME_SEARCH, type FrameSearchParams } from '../trace/frame-fit.js';
import { engineOptionsFromArgs } from './refine.js';

const USAGE = `usage: cryoread build MAP --out DIR [options]

Builds a DNA/RNA model from a cryo-EM map: prepare (1 A grid, crop, normalise) -> detect (two-stage
network) -> cluster (mean shift) -> trace (sugar graph + routing) -> bases (base caller) -> [sequence]
-> full atoms.
Writes DIR/CryoREAD.pdb and DIR/CryoREAD.cif (+ CryoREAD_noseq / CryoREAD_seqonly with a FASTA),
DIR/2nd_stage_detection/chain_*_prob.mrc and DIR/summary.json. The outputs appear together at the end
(written beside DIR first); a failed or interrupted run leaves DIR as it was.
Exit codes: 0 done, 1 failed during the run, 2 usage or input error (found before detection), 130 interrupted.

options:
  --out DIR            output folder (required)
  --fasta SEQ          FASTA of the chains: assign the sequence (CryoREAD -P)
  --no-seqinfo         build without sequence even when --fasta is given
  --contour C          density contour in raw map units (default 0; negative: shift the map up)
  --resolution R       map resolution in A (required unless a header label states it); picks
                       the detection model; maps finer than every model use the nearest + a warning
  --stride S           detection box stride in voxels (default 32)
  --batch-size B       boxes per inference batch (default 4)
  --threads T          inference threads (default: all cores)
  --model NAME         detection model under models/ (default: chosen by resolution)
  --base-caller NAME   base caller reading each nucleotide's base type from the map: a name under
                       models/ (NAME.json), a path, or "none" for the network's base channels
                       (default base-caller-v4; base-caller-v3 is the previous one)
  --frame-search S     on (default): read each base only in the jittered frames that fit a nucleotide's
                       density best; off: the traced frame and the card's test-time averaging
  --na-classifier NAME nucleic-acid classifier dropping traced paths that are not nucleic acid (protein
                       density): a name under models/, a path, or "none" (default: ${defaultPipelineParams.naClassifier ?? "none"})
  --na-filter W        when paths are dropped: auto (default; only on a protein-rich map, where at least
                       60 % of the traced nucleotides score below --min-na-score) or always
  --min-na-score X     drop a traced path when its mean P(nucleic acid) is below X (default 0.5)
  --base-anchors A     what built bases turn towards: template (from the backbone points; default)
                       or detected (the base node the trace attached, as CryoREAD)
  --prediction-only    stop after detection: write the probability maps only
  --oracle MODEL       replace detection by oracle probabilities from a known structure (PDB/mmCIF)
  --reference MODEL    after building, print metrics of the model against this structure
  --rule-soft          soft fragment-assembly rules (sequence stage)
  --pair-anchors A     where base-pair detection puts each base (sequence stage): template (placed on
                       the node's phosphates and sugar; default) or detected (the trace's base node)
  --frag-size N        sequence window length in nodes (default 20)
  --frag-stride N      sequence window step (default 2)
  --top-select N       candidates per window (default 20)
  --seed N             seed of randomised steps (default 1)
  --time-budget-s T    time budget of the post-detection stages in seconds (default: stage defaults)
  --json-progress      JSON progress lines even on a terminal
  --resume             reuse the stages a previous run of the same inputs and parameters finished
                       (stored in DIR/.cache; a changed parameter recomputes its stage and later ones)
  --no-cache           do not store finished stages in DIR/.cache
  --check              check the inputs and the output folder, print warnings, build nothing
  --refine             refine the model against CryoREAD's mask map (DIR/mask_map.mrc); the unrefined
                       model is kept as DIR/CryoREAD_norefine.pdb (see cryoread refine --help)
  --engine E           refinement engine: builtin (default), phenix, coot, cryoread (Phenix, Coot,
                       Phenix: DIR/Refine_cycle0..3.pdb); a missing program falls back to builtin.
                       Naming an engine implies --refine
  --phenix DIR, --coot PATH, --tool-timeout-s T   where the external programs are, time limit per run
                       (refinement only: with neither --refine nor --engine they are an error)
  -h, --help           this text

The bundled example (example/6v5b_sim_3.7A.mrc) is evaluated against PDB 6V5B chain D automatically
when ../shared/data/structures/cryoread_6v5b_drna.pdb (or $CRYOREAD_SHARED_DATA) is present.`;

/** Options of `cryoread build` (also the extra columns a batch JOBS.tsv may have). */
export const BUILD_OPTIONS = {
  out: { type: 'string' },
  fasta: { type: 'string' },
  'no-seqinfo': { type: 'boolean' },
  contour: { type: 'string' },
  resolution: { type: 'string' },
  stride: { type: 'string' },
  'batch-size': { type: 'string' },
  threads: { type: 'string' },
  model: { type: 'string' },
  'base-caller': { type: 'string' },
  'na-classifier': { type: 'string' },
  'min-na-score': { type: 'string' },
  'base-anchors': { type: 'string' },
  'prediction-only': { type: 'boolean' },
  oracle: { type: 'string' },
  reference: { type: 'string' },
  'rule-soft': { type: 'boolean' },
  'pair-anchors': { type: 'string' },
  'frame-search': { type: 'string' },
  'na-filter': { type: 'string' },
  'frag-size': { type: 'string' },
  'frag-stride': { type: 'string' },
  'top-select': { type: 'string' },
  seed: { type: 'string' },
  'time-budget-s': { type: 'string' },
  'json-progress': { type: 'boolean' },
  resume: { type: 'boolean' },
  'no-cache': { type: 'boolean' },
  check: { type: 'boolean' },
  refine: { type: 'boolean' },
  engine: { type: 'string' },
  phenix: { type: 'string' },
  coot: { type: 'string' },
  'tool-timeout-s': { type: 'string' },
} as const;

/**
 * Refinement options of `cryoread build` (exported for tests), or null when the model is not refined.
 * --refine asks for refinement; so does --engine E alone (a user naming an engine wants the model
 * refined with it: `implied` is then true and the CLI says so). The options only refinement reads
 * (--phenix, --coot, --tool-timeout-s) without either, and refinement with --prediction-only (no model
 * is built), are input errors naming the option and the fix.
 */
export function refineOptionsFromArgs(v: Record<string, string | boolean | undefined>): { options: ReturnType<typeof engineOptionsFromArgs>; implied: boolean } | null {
  const wanted = Boolean(v.refine) || v.engine !== undefined;
  if (!wanted) {
    const stray = (['phenix', 'coot', 'tool-timeout-s'] as const).find((k) => v[k] !== undefined);
    if (stray) throw new InputError('CLI_REFINE_OPTION', `--${stray} is a refinement option but the model is not refined: add --refine (and --engine phenix|coot|cryoread to run the external programs) or drop --${stray}`);
    return null;
  }
  const flag = v.refine ? '--refine' : `--engine ${String(v.engine)}`;
  if (v['prediction-only']) throw new InputError('CLI_REFINE_OPTION', `${flag} with --prediction-only: no model is built to refine; drop one of them`);
  return { options: engineOptionsFromArgs(v), implied: !v.refine };
}

function num(v: string | undefined, flag: string, opts: { integer?: boolean; min?: number; max?: number } = {}): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!Number.isFinite(x) || (opts.integer && !Number.isInteger(x)) || (opts.min !== undefined && x < opts.min) || (opts.max !== undefined && x > opts.max)) {
    throw new InputError('CLI_VALUE', `--${flag} ${v}: expected ${opts.integer ? 'an integer' : 'a number'}${opts.min !== undefined ? ` >= ${opts.min}` : ''}${opts.max !== undefined ? `${opts.min !== undefined ? ' and' : ''} <= ${opts.max}` : ''}`);
  }
  return x;
}

/** --base-anchors / --pair-anchors: template (default) or detected. */
function anchorsArg(flag: string, v: string | undefined): 'template' | 'detected' {
  if (v === undefined || v === 'template' || v === 'detected') return v ?? 'template';
  throw new InputError('CLI_VALUE', `--${flag} ${v}: expected template or detected`);
}

/** --na-filter: auto (default) or always. */
function naFilterWhen(v: string | undefined): 'auto' | 'always' {
  if (v === undefined || v === 'auto' || v === 'always') return v ?? 'auto';
  throw new InputError('CLI_VALUE', `--na-filter ${v}: expected auto or always (--na-classifier none turns the classifier off)`);
}

/** --frame-search: on (default) or off. */
function frameSearchArg(v: string | undefined): Readonly<FrameSearchParams> | null {
  if (v === undefined || v === 'on') return DEFAULT_FRAME_SEARCH;
  if (v === 'off') return null;
  throw new InputError('CLI_VALUE', `--frame-search ${v}: expected on or off`);
}

/** Pipeline parameters from parsed CLI values (exported for tests). */
export function paramsFromArgs(v: Record<string, string | boolean | undefined>): PipelineParams {
  const s = (k: string) => v[k] as string | undefined;
  const p: Partial<PipelineParams> = {
    // NaN = not given: preflightBuild reads it from the map header labels or stops with an error.
    resolutionA: num(s('resolution'), 'resolution', { min: 0 }) ?? NaN,
    predictionOnly: Boolean(v['prediction-only']),
    seed: num(s('seed'), 'seed', { integer: true }) ?? 1,
    timeBudgetS: num(s('time-budget-s'), 'time-budget-s', { min: 0 }) ?? 0,
    baseCaller: s('base-caller') === 'none' ? null : s('base-caller') ?? defaultPipelineParams.baseCaller,
    baseCallFrameSearch: frameSearchArg(s('frame-search')),
    baseAnchors: anchorsArg('base-anchors', s('base-anchors')),
    naClassifier: s('na-classifier') === 'none' ? null : s('na-classifier') ?? defaultPipelineParams.naClassifier,
    naFilter: { minPathScore: num(s('min-na-score'), 'min-na-score', { min: 0, max: 1 }) ?? DEFAULT_NA_FILTER.minPathScore, when: naFilterWhen(s('na-filter')) },
    prepare: { contour: num(s('contour'), 'contour') ?? 0 },
    detection: {
      stride: num(s('stride'), 'stride', { integer: true, min: 1 }) ?? 32,
      batchSize: num(s('batch-size'), 'batch-size', { integer: true, min: 1 }) ?? 4,
      threads: num(s('threads'), 'threads', { integer: true, min: 0 }) ?? 0,
      modelName: s('model') ?? null,
    },
    sequence: {
      fragmentSize: num(s('frag-size'), 'frag-size', { integer: true, min: 2 }) ?? 20,
      fragmentStride: num(s('frag-stride'), 'frag-stride', { integer: true, min: 1 }) ?? 2,
      topSelect: num(s('top-select'), 'top-select', { integer: true, min: 1 }) ?? 20,
      ruleSoft: Boolean(v['rule-soft']),
      pairTemplateAnchors: anchorsArg('pair-anchors', s('pair-anchors')) === 'template',
    },
  };
  if ((p.resolutionA ?? 0) > 10) throw new InputError('CLI_RESOLUTION', `--resolution ${p.resolutionA}: maps above 10 A are not supported (CryoREAD's limit)`);
  return resolvePipelineParams(p);
}

/** Shared data folder (real structures), as the tests locate it. */
function sharedDataDir(): string | null {
  for (const c of [process.env.CRYOREAD_SHARED_DATA, resolve(process.cwd(), '..', 'shared', 'data')]) {
    if (c && existsSync(join(c, 'MANIFEST.md'))) return c;
  }
  return null;
}

/** Reference structure for the bundled example maps, when the shared data is present. */
function exampleReference(mapPath: string): string | null {
  if (!/^6v5b_sim/i.test(basename(mapPath))) return null;
  const dir = sharedDataDir();
  const ref = dir ? join(dir, 'structures', 'cryoread_6v5b_drna.pdb') : null;
  return ref && existsSync(ref) ? ref : null;
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand<Record<string, string | boolean | undefined>>('build', argv, BUILD_OPTIONS, USAGE, { count: 1, what: 'exactly one MAP' });
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values;
  const mapPath = parsed.positionals[0];
  const outDir = v.out as string | undefined;
  if (!outDir) { process.stderr.write(`cryoread build: --out DIR is required\n${USAGE}\n`); return 2; }
  const fastaPath = v.fasta as string | undefined;
  const fail = (e: unknown): number => {
    if (!(e instanceof CryoreadError)) throw e;
    process.stderr.write(`cryoread build: ${e.name}: ${e.message}\n`);
    return exitCodeFor(e);
  };
  /** A failure after the checks passed: exit code 1 whatever the error's class. */
  const failRun = (e: unknown): number => {
    process.stderr.write(e instanceof CryoreadError ? `cryoread build: ${e.name}: ${e.message}\n` : `cryoread build: internal error: ${(e as Error)?.stack ?? e}\n`);
    return 1;
  };

  // Every check that needs only the inputs, before detection starts (exit code 2).
  let params: PipelineParams;
  let checked: CheckedBuild;
  let refineOptions: ReturnType<typeof engineOptionsFromArgs> | null;
  let refineImplied = false;
  try {
    params = paramsFromArgs(v);
    const refine = refineOptionsFromArgs(v);
    refineOptions = refine?.options ?? null;
    refineImplied = refine?.implied ?? false;
    checked = preflightBuild({
      mapPath, fastaPath, ignoreFasta: Boolean(v['no-seqinfo']), oraclePath: v.oracle as string | undefined,
      referencePath: v.reference as string | undefined, outDir, params,
    });
  } catch (e) {
    return fail(e);
  }
  for (const w of checked.warnings) process.stderr.write(v['json-progress'] ? warningJsonLine(w) + '\n' : `cryoread build: warning: ${w}\n`);
  if (refineImplied) {
    const note = `--engine ${String(v.engine)} implies --refine: the model is refined (the unrefined one kept as CryoREAD_norefine.pdb)`;
    process.stderr.write(v['json-progress'] ? warningJsonLine(note) + '\n' : `cryoread build: ${note}\n`);
  }
  if (fastaPath && v['no-seqinfo']) process.stderr.write('cryoread build: --no-seqinfo given: the FASTA is ignored\n');
  if (v.check) {
    process.stdout.write(`inputs checked: ${mapPath}${fastaPath ? `, ${fastaPath}` : ''}; ${checked.warnings.length} warning(s); nothing built (--check)\n`);
    return 0;
  }
  let staged: StagedOutput;
  try {
    staged = stageOutputDir(outDir);
  } catch (e) {
    return fail(e);
  }

  const input: PipelineInput = { map: checked.map, mapSource: mapPath };
  if (checked.oracle) input.oracle = { structure: checked.oracle };
  if (checked.fasta) {
    input.fasta = checked.fasta;
    // The worker adds the sequence stage (assignSequenceStage) for a FASTA.
  }
  const cache = v['no-cache'] ? undefined : openBuildCache(staged.cacheDir, checked.inputFiles, params, Boolean(v.resume));

  const json = Boolean(v['json-progress']) || !process.stderr.isTTY;
  const startedAt = performance.now();
  const printer = cliProgressPrinter(json);
  const controller = new AbortController();
  const stopHandling = handleInterrupts(controller, () => staged.discard(), 'build');
  const interrupted = (): number => {
    staged.discard();
    process.stderr.write(`cryoread build: interrupted; no outputs written to ${outDir}${cache ? ' (finished stages are cached: rerun with --resume)' : ''}\n`);
    return 130;
  };
  try {
    let result;
    try {
      // In a worker thread: this thread stays free to act on Ctrl-C whatever the stage is doing.
      result = await runPipelineInWorker({ input, params, cache: cache ? { dir: cache.dir, baseKey: cache.baseKey, read: cache.read } : null },
        { onProgress: printer.onProgress, signal: controller.signal });
    } catch (e) {
      printer.finish();
      staged.discard();
      if (e instanceof AbortError || controller.signal.aborted) return interrupted();
      return failRun(e);
    }
    printer.finish();

    const extraSummary: Record<string, unknown> = { fasta: fastaPath ?? null, fastaIgnored: Boolean(fastaPath && v['no-seqinfo']), oracle: v.oracle ?? null, inputWarnings: checked.warnings };
    if (refineOptions && result.structure) {
      try {
        const { refineBuiltModel } = await import('../pipeline/refine-hook.js');
        extraSummary.refinement = await refineBuiltModel(result, checked.map, params, refineOptions, staged.stagingDir, { onProgress: printer.onProgress, signal: controller.signal });
        printer.finish();
      } catch (e) {
        printer.finish();
        staged.discard();
        if (e instanceof AbortError || controller.signal.aborted) return interrupted();
        return failRun(e);
      }
    }
    const refPath = (v.reference as string | undefined) ?? exampleReference(mapPath);
    let metricsText: string | null = null;
    let out;
    try {
      if (refPath && result.structure) {
        const { evaluateAgainst } = await import('../pipeline/evaluate-hook.js');
        const m = evaluateAgainst(result.structure, refPath, input.fasta ?? null) as unknown as Record<string, unknown>;
        extraSummary.evaluation = { reference: refPath, ...m };
        metricsText = `metrics against ${refPath}:\n` + Object.entries(m).map(([k, x]) => `  ${k.padEnd(18)} ${typeof x === 'number' ? +x.toFixed(4) : JSON.stringify(x)}`).join('\n');
      }
      out = writePipelineOutputs(result, params, staged.stagingDir, { mapSource: mapPath, extraSummary });
      if (controller.signal.aborted) return interrupted();
      staged.commit();
    } catch (e) {
      staged.discard();
      return failRun(e);
    }
    const final = (f: string) => join(staged.dir, relative(staged.stagingDir, f));
    // Tools: the JSON stream (stderr) ends with one "done" event holding the files and summary.json.
    if (json) process.stderr.write(doneJsonLine(out.files.map(final), JSON.parse(readFileSync(final(out.summaryPath), 'utf8')), (performance.now() - startedAt) / 1000) + '\n');
    // With --json-progress the human text goes to stdout only when stdout is a terminal.
    if (v['json-progress'] && !process.stdout.isTTY) return 0;
    process.stdout.write(summaryTable(result.timings) + '\n');
    for (const n of [...result.notes, ...result.sequence.notes]) process.stdout.write(`note: ${n}\n`);
    if (out.modelPath) process.stdout.write(`model written to ${final(out.modelPath)} (${result.structure!.chains.reduce((n, c) => n + c.residues.length, 0)} nucleotides in ${result.structure!.chains.length} chains)\n`);
    else process.stdout.write(`probability maps written to ${join(staged.dir, '2nd_stage_detection')}\n`);
    process.stdout.write(`summary written to ${final(out.summaryPath)}\n`);
    if (result.quality) process.stdout.write(`model quality: ${result.quality.summary.line} (per residue: ${join(staged.dir, 'CryoREAD_residues.csv')})\n`);
    if (metricsText) process.stdout.write(metricsText + '\n');
    return 0;
  } finally {
    stopHandling();
  }
}
