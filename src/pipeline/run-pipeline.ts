/**
 * runPipeline: prepare -> detect (or oracle) -> cluster -> trace -> bases -> [sequence] -> build, returning
 * every intermediate and per-stage timings. No file I/O here (see outputs.ts); progress goes to
 * ctx.onProgress as `pipeline/<stage>` start/end events plus each stage's own events.
 */
import { inspect } from 'node:util';
import { Volume } from '../grid/volume.js';
import { prepareMap } from '../grid/prepare.js';
import { clusterNodes } from '../cluster/cluster-nodes.js';
import { buildAtoms } from '../build/build-atoms.js';
import type { ProbabilityMaps } from '../grid/probability-maps.js';
import type { PreparedMap } from '../grid/prepare.js';
import type { DetectionResult } from '../detect/params.js';
import { report, throwIfAborted, type StageContext } from '../util/progress.js';
import { InputError } from '../util/errors.js';
import { gridForStructure } from '../simulate/grid-frame.js';
import { resolvePipelineParams, type PipelineParams } from './params.js';
import type { PipelineInput, PipelineResult, PipelineStageName, StageTiming } from './types.js';
import { detectStage, oracleStage, traceStage, noSequenceChains } from './stages.js';
import { dropDuplicateResidues } from './dedupe.js';
import { residueQuality, modelQuality } from './residue-quality.js';

/** buildAtoms' confidence remark, replaced once the map-based confidence is in the B-factor column. */
const CONFIDENCE_REMARK_OLD = 'CONFIDENCE IN [0, 1] FROM THE DETECTION PROBABILITIES.';
const CONFIDENCE_REMARK = 'CONFIDENCE: LOCAL MAP FIT, DETECTION AND BASE-CALL PROBABILITIES.';
import { baseCallerPath } from './base-caller-path.js';
import { callBases, readBaseCaller } from '../trace/base-caller.js';
import { filterNucleicAcidPaths, nucleicAcidScores, readNaClassifier } from '../trace/na-classifier.js';
import { defaultJoinEndsParams, describeJoins, joinPathEnds, type JoinEndsParams } from '../trace/join-ends.js';
import type { CoarseChain } from '../build/types.js';
import { hashFile, stageKey, type PipelineCache } from './stage-cache.js';
import { selectModel } from '../detect/registry.js';

export interface RunPipelineOptions {
  /**
   * Per-stage cache (stage-cache.ts): every finished stage is stored under a key chained over the
   * inputs and the parameters of that stage and the ones before it; with \`cache.read\`, a stage whose
   * key is stored is loaded instead of run (its timing says \`cached\`).
   */
  cache?: PipelineCache;
  /**
   * Runs detection instead of `detectStage` (same contract). The CLI runs the pipeline in a worker
   * thread and detection in the main thread through this hook, so an interrupted onnxruntime batch
   * never holds up the exit (a worker cannot stop while native work of its own is in flight).
   */
  detect?: (prepared: PreparedMap, p: PipelineParams, ctx?: StageContext) => Promise<DetectionResult>;
}

/** Total residues of a chain list. */
export function residueCount(chains: readonly { residues: readonly unknown[] }[] | null): number {
  return chains ? chains.reduce((n, c) => n + c.residues.length, 0) : 0;
}

/** One-line description of a pipeline result (what a notebook cell shows). */
export function describePipelineResult(r: PipelineResult): string {
  const n = (s: PipelineResult['structure']) => (s ? s.chains.reduce((k, c) => k + c.residues.length, 0) : 0);
  const secs = r.timings.map((t) => `${t.stage} ${t.seconds.toFixed(1)}s`).join(', ');
  const model = r.structure ? `${n(r.structure)} nt in ${r.structure.chains.length} chains` : 'no model (prediction only)';
  return `PipelineResult ${model}; ${r.paths ? `${r.paths.length} paths; ` : ''}sequence ${r.sequence.used ? r.sequence.mode : 'not used'}; ${secs}`;
}

function withSummary(r: PipelineResult): PipelineResult {
  Object.defineProperty(r, inspect.custom, { value: () => describePipelineResult(r), enumerable: false });
  return r;
}

export async function runPipeline(input: PipelineInput, params: Partial<PipelineParams> = {}, ctx?: StageContext, options: RunPipelineOptions = {}): Promise<PipelineResult> {
  const p = resolvePipelineParams(params);
  const timings: StageTiming[] = [];
  const notes: string[] = [];
  const cache = options.cache;
  let chainKey = cache?.baseKey ?? '';
  /** Runs one stage; with a cache and \`keyParams\`, its result is stored (and reused when reading) under the chained key. */
  const timed = async <T>(stage: PipelineStageName, f: () => Promise<T> | T, counts?: (v: T) => Omit<StageTiming, 'stage' | 'seconds'>, keyParams?: unknown): Promise<T> => {
    throwIfAborted(ctx, `pipeline/${stage}`);
    report(ctx, `pipeline/${stage}`, 0, 1, 'start');
    const t0 = performance.now();
    let v: T | undefined;
    let cached = false;
    if (cache && keyParams !== undefined) {
      chainKey = stageKey(chainKey, stage, keyParams);
      const hit = cache.load(stage, chainKey);
      if (hit !== undefined) { v = hit as T; cached = true; }
    }
    if (!cached) {
      v = await f();
      if (cache && keyParams !== undefined) cache.save(stage, chainKey, v);
    }
    const t: StageTiming = { stage, seconds: (performance.now() - t0) / 1000, ...(counts ? counts(v as T) : {}), ...(cached ? { cached: true } : {}) };
    timings.push(t);
    report(ctx, `pipeline/${stage}`, 1, 1, `${stage} done in ${t.seconds.toFixed(2)} s`, { ...t });
    return v as T;
  };

  if (!input.map && !input.oracle) throw new InputError('PIPELINE_INPUT', 'runPipeline: give a map, or an oracle structure (then the grid is made around it)');
  // The network's model is picked by resolution: never assume one (CryoREAD silently took 2.5 A).
  if (input.map && !input.oracle && !(Number.isFinite(params.resolutionA) && params.resolutionA! > 0)) {
    throw new InputError('PIPELINE_RESOLUTION', `runPipeline: params.resolutionA = ${params.resolutionA} for map ${input.mapSource ?? '(unnamed)'}; give the map resolution in Angstroms (it picks the detection model)`);
  }
  // Prepare is cheap and not stored; its parameters still enter the key chain.
  if (cache) chainKey = stageKey(chainKey, 'prepare', p.prepare);
  const prepared = input.map ? await timed('prepare', () => prepareMap(input.map!, p.prepare, ctx)) : null;
  if (prepared) notes.push(...prepared.notes.map((n) => `prepare: ${n}`));
  // Oracle without a map: a 1 A grid around the structure, and no density mask for clustering.
  const frame = prepared ? prepared.raw : gridForStructure(input.oracle!.structure, { voxelSizeA: 1 });

  let probabilities: ProbabilityMaps;
  let detection: DetectionResult | null = null;
  if (input.oracle) {
    probabilities = await timed('oracle', () => oracleStage(input.oracle!, frame, p, ctx), undefined, { seed: p.seed, options: input.oracle.options ?? null });
    notes.push('detection replaced by oracle probabilities from a known structure');
  } else {
    detection = await timed('detect', () => (options.detect ?? detectStage)(prepared!, p, ctx), undefined, cache ? detectKeyParams(p) : undefined);
    probabilities = detection.probabilities;
    notes.push(`detect: model ${detection.modelName} read ${detection.boxes.stage1} (stage 1) and ${detection.boxes.stage2} (stage 2) of the map's ${detection.boxes.total} boxes of 64^3 voxels (empty boxes skipped)`);
    notes.push(...detection.warnings.map((n) => `detect: ${n}`));
  }
  const result: PipelineResult = withSummary({
    prepared, probabilities, detection, clusters: null, trace: null, paths: null, noseqChains: null, chains: null, seqOnlyChains: null,
    structure: null, noseqStructure: null, seqOnlyStructure: null,
    sequence: { requested: Boolean(input.fasta?.length), used: false, mode: 'none', notes: [] },
    fasta: input.fasta ?? null,
    quality: null,
    inputFrame: input.map ? Volume.frameOf(input.map) : null,
    timings, notes,
  });
  if (p.predictionOnly) {
    if (result.sequence.requested) result.sequence.notes.push('FASTA not used: --prediction-only stops after detection');
    return result;
  }

  const clusters = await timed('cluster', () => clusterNodes(probabilities, prepared?.raw ?? null, { ...p.cluster }, ctx),
    (c) => ({ nodes: c.nodes.sugar.count + c.nodes.phosphate.count + c.nodes.base.count }), p.cluster);
  result.clusters = clusters;
  notes.push(...clusters.warnings.map((w) => `cluster: ${w}`));

  // Pieces are joined end to end after the classifier (below), not inside the trace: joined first, a protein-like
  // piece sharing a phosphate with a nucleic-acid one would be judged as part of it (bench/real-density, 1A9N at
  // 4.5 A: 57 -> 69 nucleotides built for 48 when the trace joined them).
  const joinParams: JoinEndsParams = { ...defaultJoinEndsParams, ...(p.trace.joinEnds ?? {}) };
  const traceParams = { ...p.trace, joinEnds: { ...joinParams, enabled: false } };
  if (p.timeBudgetS > 0 && params.trace?.timeBudgetMs === undefined) {
    // Routing is the only stage that runs to a budget: give it about half of the overall budget.
    traceParams.timeBudgetMs = Math.max(200, p.timeBudgetS * 500);
    traceParams.timePerNodeMs = 0;
  }
  if (traceParams.seed === undefined) traceParams.seed = p.seed;
  const trace = await timed('trace', () => traceStage(clusters, probabilities, traceParams, ctx, input.oracle ? null : prepared?.normalised ?? null),
    (v) => ({ nodes: v.paths.reduce((n, path) => n + path.nodes.length, 0) }), traceParams);
  notes.push(...trace.warnings.map((w) => `trace: ${w}`));
  result.trace = trace;
  let paths = trace.paths;
  if (p.naClassifier && prepared && !input.oracle) {
    const cardPath = baseCallerPath(p.naClassifier, p.detection.modelsDir ?? null);
    const classifier = readNaClassifier(cardPath);
    const filtered = await timed('classify', () => filterNucleicAcidPaths(paths, nucleicAcidScores(paths, prepared.normalised, classifier, ctx), p.naFilter),
      (v) => ({ nodes: v.paths.reduce((n, path) => n + path.nodes.length, 0) }),
      cache ? { naClassifier: p.naClassifier, card: hashFile(cardPath), naFilter: p.naFilter } : undefined);
    paths = filtered.paths;
    const f = filtered.params;
    const low = `${Math.round(100 * filtered.lowFraction)} % of the scored nucleotides have P(nucleic acid) < ${f.minPathScore} (${classifier.name})`;
    if (!filtered.applied) notes.push(`classify: ${low}: a nucleic-acid map, every traced path kept (a map counts as protein-rich from ${Math.round(100 * f.proteinMapFraction)} %; --na-filter always drops low-scoring paths on any map)`);
    else notes.push(`classify: ${low}${f.when === 'auto' ? ': the map looks protein-rich' : ''}; ${filtered.droppedPaths} traced path(s) of ${filtered.droppedNodes} nucleotides dropped as not nucleic acid (mean P < ${f.minPathScore})${f.trimEndScore > 0 ? `; ${filtered.trimmedNodes} nucleotides cut from path ends (P < ${f.trimEndScore})` : ''}`);
  }
  const joined = joinPathEnds(paths, joinParams);
  const joinNote = describeJoins(joined, paths.length, joinParams);
  if (joinNote) {
    notes.push(`trace: ${joinNote}`);
    paths = joined.paths;
  }
  if (p.baseCaller && prepared && !input.oracle) {
    const caller = readBaseCaller(baseCallerPath(p.baseCaller, p.detection.modelsDir ?? null));
    const search = caller.frame === 'template' ? p.baseCallFrameSearch : null;
    const called = await timed('bases', () => callBases(paths, prepared.normalised, caller, ctx, { frameSearch: search }), (v) => ({ nodes: v.called }), cache ? { baseCaller: p.baseCaller, card: hashFile(baseCallerPath(p.baseCaller, p.detection.modelsDir ?? null)), frameSearch: search } : undefined);
    paths = called.paths;
    const how = search ? `, each in the ${search.keep} of ${search.candidates} jittered frames that fit a nucleotide best` : '';
    notes.push(`bases: base types of ${called.called} traced nodes read from the map by ${caller.name}${how}; ${called.kept} nodes of short paths keep the detection evidence`);
  }
  if (p.baseAnchors === 'template' && !input.oracle) {
    paths = paths.map((path) => ({ ...path, nodes: path.nodes.map((n) => (n.baseA ? { ...n, baseA: null } : n)) }));
    notes.push('build: each base placed in standard geometry from its own backbone (P and sugar), not pulled towards detected base blobs (--base-anchors template)');
  }
  result.paths = paths;

  const dedupe = (chains: CoarseChain[], what: string) => {
    const d = dropDuplicateResidues(chains, p.minResidueSeparationA);
    if (d.dropped) notes.push(`build: ${d.dropped} nucleotide(s) traced twice in ${what} kept once (sugar points < ${p.minResidueSeparationA} A apart)`);
    return d.chains;
  };
  const noseqChains = dedupe(noSequenceChains(paths), 'the geometry-only model');
  result.noseqChains = noseqChains;
  result.chains = noseqChains;
  if (result.sequence.requested) {
    if (!input.sequenceStage) {
      result.sequence.notes.push('FASTA given but no sequence stage is available in this build: model built without sequence');
    } else {
      const seq = await timed('sequence', () => input.sequenceStage!(paths, input.fasta!, { ...(p.sequence as Required<typeof p.sequence>), seed: p.seed }, ctx),
        (v) => ({ residues: residueCount(v.seqOnlyChains ?? null) }), { sequence: p.sequence, seed: p.seed, baseAnchors: p.baseAnchors, minResidueSeparationA: p.minResidueSeparationA });
      result.sequence = { requested: true, used: seq.mode !== 'none', mode: seq.mode, notes: seq.notes };
      if (seq.mode !== 'none') {
        result.chains = seq.chains;
        result.seqOnlyChains = seq.seqOnlyChains ?? null;
      }
    }
  }

  if (result.chains !== noseqChains) result.chains = dedupe(result.chains!, 'the model');
  if (result.seqOnlyChains) result.seqOnlyChains = dedupe(result.seqOnlyChains, 'the assigned fragments');
  const built = await timed('build', () => {
    const structure = buildAtoms(result.chains!, p.build, ctx);
    let noseqStructure = null, seqOnlyStructure = null;
    if (result.chains !== result.noseqChains) {
      noseqStructure = buildAtoms(result.noseqChains!, p.build, ctx);
      if (result.seqOnlyChains) seqOnlyStructure = buildAtoms(result.seqOnlyChains, p.build, ctx);
    }
    return { structure, noseqStructure, seqOnlyStructure };
  }, (b) => ({ residues: b.structure.chains.reduce((n, c) => n + c.residues.length, 0) }),
  { build: p.build, baseAnchors: p.baseAnchors, minResidueSeparationA: p.minResidueSeparationA });
  result.structure = built.structure;
  result.noseqStructure = built.noseqStructure;
  result.seqOnlyStructure = built.seqOnlyStructure;
  // Reference-free quality (residue-quality.ts): per-residue table, confidence into the B-factor column.
  if (prepared) {
    const maps = { normalised: prepared.normalised, raw: prepared.raw, probabilities, resolutionA: p.resolutionA };
    const rows = residueQuality(built.structure, maps);
    result.quality = { residues: rows, summary: modelQuality(built.structure, rows) };
    for (const s of [built.structure, built.noseqStructure, built.seqOnlyStructure]) {
      if (!s) continue;
      if (s !== built.structure) residueQuality(s, maps);
      s.remarks = s.remarks.map((l) => (l === CONFIDENCE_REMARK_OLD ? CONFIDENCE_REMARK : l));
    }
  }
  const twice = built.structure.removedResidues;
  if (twice.length) notes.push(`build: ${twice.length} nucleotide(s) removed that were built on top of another one (the lower-confidence copy): ${twice.slice(0, 8).join(', ')}${twice.length > 8 ? ', ...' : ''}`);
  return result;
}

/**
 * Detection parameters that change the probability maps (threads and batch size do not), plus the
 * chosen model's folder; the model files' bytes are in the cache's base key.
 */
function detectKeyParams(p: PipelineParams): unknown {
  const d = p.detection;
  let model: string;
  try {
    model = selectModel(d.modelName ?? undefined, { resolutionA: p.resolutionA, ...(d.modelsDir ? { modelsDir: d.modelsDir } : {}) }).entry.dir;
  } catch {
    model = String(d.modelName);
  }
  return { resolutionA: p.resolutionA, stride: d.stride, model };
}
