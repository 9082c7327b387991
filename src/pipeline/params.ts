/** Parameters of the whole `cryoread build` pipeline: one object, stage params nested. */
import type { PrepareParams } from '../grid/prepare.js';
import type { ClusterParams } from '../cluster/params.js';
import type { TraceParamsInput } from '../trace/params.js';
import type { BuildAtomsParams } from '../build/params.js';
import type { NaFilterParams } from '../trace/na-classifier.js';
import { DEFAULT_FRAME_SEARCH, type FrameSearchParams } from '../trace/frame-fit.js';

export interface DetectionOptions {
  /** Box scanning stride in voxels (CryoREAD `--stride`). @default 32 */
  stride: number;
  /** Boxes per inference batch. @default 4 */
  batchSize: number;
  /** onnxruntime intra-op threads; 0 = available cores. @default 0 */
  threads: number;
  /** Model name under models/ (null: chosen by resolution). @default null */
  modelName: string | null;
  /** Folder holding models/<name>/ (null: the package's models/). @default null */
  modelsDir: string | null;
}

export interface SequenceOptions {
  /** Window length in path nodes (`--frag-size`). @default 20 */
  fragmentSize: number;
  /** Window step (`--frag-stride`). @default 2 */
  fragmentStride: number;
  /** Candidates kept per window (`--top-select`). @default 20 */
  topSelect: number;
  /** Soft assembly rules (`--rule-soft`). @default false */
  ruleSoft: boolean;
  /**
   * Base pairs for pair evidence read base positions from the RNA templates placed on each node's
   * phosphates and sugar (`--pair-anchors template`; src/sequence/pairing.ts templateAnchors) instead of
   * the trace's base nodes (`--pair-anchors detected`), which on maps we did not make never face their
   * partner. @default true
   */
  pairTemplateAnchors: boolean;
}

export interface PipelineParams {
  /**
   * Map resolution in Angstroms: picks the detection model and is recorded. Required with a map and
   * the network (runPipeline throws without it); the 2.5 default only fills oracle runs. @default 2.5
   */
  resolutionA: number;
  /** Stop after detection (probability maps only). @default false */
  predictionOnly: boolean;
  /** Seed of every randomised step (routing perturbations, oracle degradation). @default 1 */
  seed: number;
  /**
   * Overall time budget of the post-detection stages, seconds: the routing budget is capped so the
   * whole run stays near it (0: stage defaults). @default 0
   */
  timeBudgetS: number;
  /**
   * Consecutive traced nucleotides whose sugar points are closer than this are one nucleotide
   * detected twice; one is dropped before building, Angstroms (bonded sugars are 5.2-6.8 A apart). @default 4
   */
  minResidueSeparationA: number;
  /**
   * Base caller that re-reads each traced nucleotide's base type from the map (src/trace/base-caller.ts):
   * a name under the models folder (`<name>.json`), a path to a card, or null to keep the detection
   * network's base-type evidence. Not used with oracle probabilities. @default 'base-caller-v4' (template frame:
   * reads each nucleotide between its re-threaded phosphates; base-caller-v3 fine-tuned on the pipeline's own
   * traced nodes; 'base-caller-v3' and the curvature-frame 'base-caller-v1' stay loadable)
   */
  baseCaller: string | null;
  /**
   * Template-frame base callers: of 32 jittered frames per reading, read only the 8 that fit an ideal
   * nucleotide's density best (src/trace/frame-fit.ts; `--frame-search off` = null: the traced frame and
   * the card's blind test-time averaging). @default DEFAULT_FRAME_SEARCH (on; 30 independent-generator
   * maps: calls right 0.457 -> 0.494)
   */
  baseCallFrameSearch: Readonly<FrameSearchParams> | null;
  /**
   * Nucleic-acid classifier (src/trace/na-classifier.ts) that scores every traced nucleotide as nucleic
   * acid or not from the map around it; on a map where most nodes score low (protein-rich: `naFilter.when`
   * 'auto', the default) paths scoring below `naFilter.minPathScore` are dropped before base calling
   * (protein density traced as nucleic acid); `naFilter.when: 'always'` filters every map. A name under the
   * models folder, a path to a card, or null to keep every traced path. Not used with oracle probabilities.
   * @default 'na-classifier-v1' (since session 12, in 'auto' mode; opt-in before: filtering every map
   * also drops real nucleic acid, coverage -0.061 on 31 nucleic-acid maps we did not make; models/MODEL_CARD.md)
   */
  naClassifier: string | null;
  naFilter: Partial<NaFilterParams>;
  /**
   * What a built base is turned towards on detected (network) maps: 'detected' = the base node the
   * trace attached to the sugar (CryoREAD), 'template' = no anchor, the standard nucleotide's base
   * placed from its phosphate and sugar points. On held-out network maps the attached base node lies a
   * median 6.4 A from the nucleotide's own base, and pulling the superposition towards it misplaces
   * the backbone: 'template' raised P recall (3 A) 0.47 -> 0.61 and lowered C4' RMSD 2.60 -> 2.52 A
   * (bench/heldout-pipeline). Oracle runs always keep their (exact) base nodes. @default 'template'
   */
  baseAnchors: 'detected' | 'template';
  prepare: Partial<PrepareParams>;
  detection: Partial<DetectionOptions>;
  cluster: Partial<ClusterParams>;
  trace: TraceParamsInput;
  sequence: Partial<SequenceOptions>;
  build: Partial<BuildAtomsParams>;
}

export const defaultDetectionOptions: Readonly<DetectionOptions> = Object.freeze({ stride: 32, batchSize: 4, threads: 0, modelName: null, modelsDir: null });
export const defaultSequenceOptions: Readonly<SequenceOptions> = Object.freeze({ fragmentSize: 20, fragmentStride: 2, topSelect: 20, ruleSoft: false, pairTemplateAnchors: true });

export const defaultPipelineParams: Readonly<PipelineParams> = Object.freeze({
  resolutionA: 2.5,
  predictionOnly: false,
  seed: 1,
  timeBudgetS: 0,
  minResidueSeparationA: 4,
  baseCaller: 'base-caller-v4',
  baseCallFrameSearch: DEFAULT_FRAME_SEARCH,
  naClassifier: 'na-classifier-v1',
  naFilter: {},
  baseAnchors: 'template',
  prepare: {},
  detection: {},
  cluster: {},
  trace: {},
  sequence: {},
  // Detection / oracle nodes sit on the centroids of the sugar and phosphate atom classes.
  build: { sugarAnchor: 'sugar-atoms' as const, phosphateAnchor: 'phosphate-group' as const },
});

/** Deep-ish merge of a partial params object onto the defaults (nested stage params merged one level). */
export function resolvePipelineParams(p: Partial<PipelineParams> = {}): PipelineParams {
  const d = defaultPipelineParams;
  return {
    ...d,
    ...p,
    prepare: { ...d.prepare, ...p.prepare },
    detection: { ...defaultDetectionOptions, ...p.detection },
    cluster: { ...d.cluster, ...p.cluster },
    trace: { ...d.trace, ...p.trace },
    sequence: { ...defaultSequenceOptions, ...p.sequence },
    build: { ...d.build, ...p.build },
    naFilter: { ...d.naFilter, ...p.naFilter },
  };
}
