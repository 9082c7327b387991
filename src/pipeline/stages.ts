/**
 * Adapters from the pipeline to the stage modules written elsewhere (detect, simulate/oracle,
 * trace). Each keeps the call of one stage in one place.
 */
import type { GridFrame, Volume } from '../grid/volume.js';
import type { ProbabilityMaps } from '../grid/probability-maps.js';
import type { PreparedMap } from '../grid/prepare.js';
import type { ClusterResult } from '../cluster/cluster-nodes.js';
import type { TraceParamsInput } from '../trace/params.js';
import type { BackbonePath } from '../trace/types.js';
import type { CoarseChain } from '../build/types.js';
import type { StageContext } from '../util/progress.js';
import { loadDetectionModel, detect, type DetectionResult } from '../detect/index.js';
import { oracleProbabilities } from '../simulate/oracle.js';
import { traceBackbones, assignNoSequence, chainIdFor, type TraceResult } from '../trace/index.js';
import { defaultDetectionOptions, type PipelineParams } from './params.js';
import type { OracleInput } from './types.js';

/** Loads the model (by name, else by resolution), runs both stages, releases the sessions. */
export async function detectStage(prepared: PreparedMap, p: PipelineParams, ctx?: StageContext): Promise<DetectionResult> {
  const d = { ...defaultDetectionOptions, ...p.detection };
  const model = await loadDetectionModel(d.modelName ?? undefined, {
    resolutionA: p.resolutionA,
    ...(d.modelsDir ? { modelsDir: d.modelsDir } : {}),
    ...(d.threads > 0 ? { threads: d.threads } : {}),
  });
  try {
    return await detect(prepared, model, { strideVoxels: d.stride, batchSize: d.batchSize }, ctx);
  } finally {
    // Interrupted: do not wait for the batch still in native code (release waits for it in the background).
    if (ctx?.signal?.aborted) model.release().catch(() => {});
    else await model.release();
  }
}

export function oracleStage(oracle: OracleInput, frame: GridFrame, p: PipelineParams, ctx?: StageContext): ProbabilityMaps {
  return oracleProbabilities(oracle.structure, frame, { seed: p.seed, ...oracle.options }, ctx);
}

export function traceStage(clusters: ClusterResult, prob: ProbabilityMaps, params: TraceParamsInput, ctx?: StageContext, density: Volume | null = null): Promise<TraceResult> {
  return traceBackbones(clusters, prob, params, ctx, density);
}

/**
 * RNA or DNA from the backbone geometry alone: the median P(i)-P(i+1) distance is 5.9 +- 0.5 A in
 * RNA and 6.7 +- 0.3 A in (B-)DNA (shared/data geometry facts), so a chain whose median step is at
 * least `dnaMinStepA` is called DNA. CryoREAD calls every geometry-only chain RNA; an RNA template
 * on B-DNA puts O2' onto the next sugar (clashes).
 */
export function guessMoleculeType(path: BackbonePath, dnaMinStepA = 6.35): 'rna' | 'dna' {
  const steps: number[] = [];
  for (let k = 1; k < path.nodes.length; k++) {
    const a = path.nodes[k - 1].phosphate5A, b = path.nodes[k].phosphate5A;
    if (a && b) steps.push(Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]));
  }
  if (steps.length < 3) return 'rna';
  steps.sort((x, y) => x - y);
  return steps[steps.length >> 1] >= dnaMinStepA ? 'dna' : 'rna';
}

/**
 * Geometry-only chains (src/trace assignNoSequence: section-14 node selection, argmax letters,
 * confidence from the maps), one per path, with RNA or DNA decided per path by `guessMoleculeType`
 * unless `moleculeTypeOverride` is given.
 */
export function noSequenceChains(paths: readonly BackbonePath[], moleculeTypeOverride?: 'rna' | 'dna'): CoarseChain[] {
  return paths.flatMap((path, i) =>
    assignNoSequence([path], { moleculeType: moleculeTypeOverride ?? guessMoleculeType(path) }).map((c) => ({ ...c, chainId: chainIdFor(i), numbering: 'by-bonds' as const })));
}
