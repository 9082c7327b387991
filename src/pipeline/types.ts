/** Values the pipeline takes and returns: every intermediate, so notebooks can inspect or resume. */
import type { Volume, GridFrame } from '../grid/volume.js';
import type { PreparedMap } from '../grid/prepare.js';
import type { ProbabilityMaps } from '../grid/probability-maps.js';
import type { ClusterResult } from '../cluster/cluster-nodes.js';
import type { BackbonePath } from '../trace/types.js';
import type { CoarseChain } from '../build/types.js';
import type { BuiltStructure } from '../build/build-atoms.js';
import type { Structure } from '../structure/model.js';
import type { StageContext } from '../util/progress.js';
import type { SequenceOptions } from './params.js';
import type { SequenceRecordLike } from '../sequence/records.js';
import type { TraceResult } from '../trace/trace-backbones.js';
import type { DetectionResult } from '../detect/params.js';
import type { ResidueQuality, ModelQuality } from './residue-quality.js';

/** A FASTA record as the sequence stage needs it (chain id, sequence, molecule type). */
export type FastaRecordLike = SequenceRecordLike;

/** What the optional sequence stage returns (see `SequenceStage`). */
export interface SequenceStageResult {
  /** Chains for the final model (assigned fragments + unassigned stretches). */
  chains: CoarseChain[];
  /** Chains of the assigned fragments only (`CryoREAD_seqonly.pdb`), if any. */
  seqOnlyChains?: CoarseChain[];
  /** 'strict' | 'soft' | 'none' (none: no fragment assigned, geometry-only model). */
  mode: string;
  notes: string[];
}

/**
 * Hook for sequence assignment with a FASTA (issue 8, src/sequence). The pipeline calls it after
 * tracing when FASTA records are given; without a hook the FASTA is recorded as not used and the
 * geometry-only model is built.
 */
export type SequenceStage = (
  paths: readonly BackbonePath[],
  records: readonly FastaRecordLike[],
  options: SequenceOptions & { seed: number },
  ctx?: StageContext,
) => Promise<SequenceStageResult>;

/** Oracle input: probabilities made from a known structure instead of the network. */
export interface OracleInput {
  structure: Structure;
  /** Extra options passed to the oracle (e.g. dropout / false-positive fractions, seed). */
  options?: Record<string, unknown>;
}

export interface PipelineInput {
  /** Raw density map as read (any voxel size; prepared inside). Optional with an oracle. */
  map?: Volume;
  /** Name of the map (file path) for summaries. */
  mapSource?: string;
  /** With an oracle, detection is replaced by oracle probabilities on the prepared grid. */
  oracle?: OracleInput;
  /** FASTA records; used only when `sequenceStage` is given. */
  fasta?: readonly FastaRecordLike[];
  sequenceStage?: SequenceStage;
}

export type PipelineStageName = 'prepare' | 'detect' | 'oracle' | 'cluster' | 'trace' | 'classify' | 'bases' | 'sequence' | 'build' | 'refine';

export interface StageTiming {
  stage: PipelineStageName;
  seconds: number;
  /** Nodes produced (cluster: sugar + phosphate + base nodes; trace: path nodes). */
  nodes?: number;
  /** Residues built or assigned. */
  residues?: number;
  /** Loaded from the resume cache instead of computed (seconds is then the load time). */
  cached?: boolean;
}

export interface PipelineResult {
  /** The prepared map (null when an oracle ran without a map). */
  prepared: PreparedMap | null;
  /** Stage-2 (or oracle) probabilities on the prepared grid. */
  probabilities: ProbabilityMaps;
  /** The network's result (stage-1 and stage-2 maps, boxes, timings), null with an oracle. */
  detection: DetectionResult | null;
  clusters: ClusterResult | null;
  trace: TraceResult | null;
  /** Traced paths as sequence assignment and building used them (base-caller evidence, template base anchors); `trace.paths` keeps the trace's own. */
  paths: BackbonePath[] | null;
  /** Geometry-only chains (always built when the pipeline gets that far). */
  noseqChains: CoarseChain[] | null;
  /** Chains of the final model (sequence stage output, else the geometry-only chains). */
  chains: CoarseChain[] | null;
  seqOnlyChains: CoarseChain[] | null;
  /** Final model (`CryoREAD.pdb`). */
  structure: BuiltStructure | null;
  /** Geometry-only model (`CryoREAD_noseq.pdb`) when a sequence stage ran. */
  noseqStructure: BuiltStructure | null;
  seqOnlyStructure: BuiltStructure | null;
  sequence: { requested: boolean; used: boolean; mode: string; notes: string[] };
  /** Grid of the input map (output maps are written on it), null without a map. */
  inputFrame: GridFrame | null;
  /** Reference-free quality of the final model (per residue + summary); null without a map. */
  quality: { residues: ResidueQuality[]; summary: ModelQuality } | null;
  /** FASTA records given (null without), for the model's entities. */
  fasta: readonly FastaRecordLike[] | null;
  timings: StageTiming[];
  /** Notes from every stage (prepare rules that fired, fallbacks, skipped inputs). */
  notes: string[];
}
