/** Parameters of the detection stage (reference §5.2) and the shapes of its result. */
import type { ProbabilityMaps } from '../grid/probability-maps.js';

export interface DetectParams {
  /** Step between box starts along each axis, in voxels (CryoREAD `--stride`). @default 32 */
  strideVoxels: number;
  /** Boxes per inference call (CryoREAD `--batch_size` defaults to 8 on a GPU; 4 suits a CPU). @default 4 */
  batchSize: number;
  /** Cubic box edge in voxels; must equal the model's box size. @default 64 */
  boxSize: number;
}

export const DEFAULT_DETECT_PARAMS: DetectParams = { strideVoxels: 32, batchSize: 4, boxSize: 64 };

/** Fraction of a box's boxSize^3 voxels (or channel entries) that must pass a test for the box to be kept. @default 0.001 (CryoREAD) */
export const KEEP_FRACTION = 0.001;
/** Probability above which a stage-2 input entry counts as "present" for the stage-2 keep rule. @default 0.5 (CryoREAD) */
export const STAGE2_INPUT_THRESHOLD = 0.5;

/** Stage-1 chain head channels, in network order. */
export const STAGE1_CHAIN_CHANNELS = ['sugar', 'phosphate', 'base', 'protein'] as const;
export type Stage1ChainChannel = (typeof STAGE1_CHAIN_CHANNELS)[number];
/** Stage-1 base head channels, in network order (U and T are merged into UT after averaging). */
export const STAGE1_BASE_HEAD_CHANNELS = ['A', 'U', 'C', 'G', 'T'] as const;
/** Stage-1 base channels after the U/T merge. */
export const STAGE1_BASE_CHANNELS = ['A', 'UT', 'C', 'G'] as const;
export type Stage1BaseChannel = (typeof STAGE1_BASE_CHANNELS)[number];

/** Merged stage-1 maps, on the prepared map's grid (x fastest). */
export interface Stage1Maps {
  chain: Record<Stage1ChainChannel, Float32Array>;
  base: Record<Stage1BaseChannel, Float32Array>;
}

export interface DetectionTimings {
  /** Box planning (empty-box tests) and buffer allocation, ms. */
  prepare: number;
  /** Wall time of stage 1 (extraction, inference, merging), ms. */
  stage1: number;
  /** Wall time of stage 2, ms. */
  stage2: number;
  /** Box extraction, overlap merging and finishing the maps (everything in stages 1-2 but inference), ms. */
  merge: number;
  /** Time spent inside the box runner (onnxruntime), ms. */
  inferenceOnly: number;
}

export interface DetectionResult {
  /** Stage-1 maps (average over overlapping boxes, UT = max(U, T)). */
  stage1: Stage1Maps;
  /** Stage-2 maps (maximum over overlapping boxes) on the prepared (normalised) map's grid and frame. */
  probabilities: ProbabilityMaps;
  /** Boxes run per stage, and the number of candidate box positions. */
  boxes: { stage1: number; stage2: number; total: number };
  timingsMs: DetectionTimings;
  /** The parameters used (defaults filled in). */
  params: DetectParams;
  /** Name of the model (or runner) that produced the maps. */
  modelName: string;
  warnings: string[];
}
