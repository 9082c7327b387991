/**
 * Types of the sequence-assignment stage (reference sections 15-17): windows of path nodes aligned
 * to the FASTA records, candidates per window, the assembled fragments and the final assignment.
 */

import type { BackbonePath } from '../trace/types.js';

/**
 * A traced path as the sequence stage aligns it: optionally with per-node match evidence
 * [A, UT, C, G] x nodes replacing the normalised base evidence (e.g. with base-pair evidence added,
 * pairing.ts). Rows need not sum to 1.
 */
export interface AlignPath extends BackbonePath {
  matchEvidence?: Float32Array;
  /** The same for the path read the other way (from baseEvidenceReverse), when nodes have one. */
  matchEvidenceReverse?: Float32Array;
}

/** Nucleic-acid record of the FASTA, encoded for alignment. */
export interface EncodedRecord {
  /** Index into the caller's record list. */
  recordIndex: number;
  chainId: string;
  moleculeType: 'rna' | 'dna';
  /** Sequence as read (uppercase, cleaned). */
  sequence: string;
  /** Base codes per residue in CryoREAD order: A=0, U/T=1, C=2, G=3; 4 = unknown (FASTA N/X, records.ts UNKNOWN_BASE). */
  codes: Uint8Array;
}

/** Parameters of sequence assignment. Defaults are CryoREAD's (reference section 1). */
export interface SequenceParams {
  /** Window length in path nodes (`--frag_size`). @default 20 */
  fragmentSize: number;
  /** Step between window starts in nodes (`--frag_stride`). @default 2 */
  fragmentStride: number;
  /** Candidates kept per window over all records and orientations (`--top_select`). @default 20 */
  topSelect: number;
  /** Soft assembly rules (`--rule_soft`): two paths may claim the same sequence stretch. @default false */
  ruleSoft: boolean;
  /** Penalty for skipping one sequence residue inside a window (score units; a perfect match is 100). @default 25 */
  residueSkipPenalty: number;
  /** Minimum identity of two overlapping candidates over their shared nodes to be compatible. @default 0.8 */
  overlapIdentity: number;
  /** Strict rule: two paths collide when their intervals on one record overlap by this fraction of the longer. @default 0.2 */
  crossPathOverlapFraction: number;
  /** Strict rule: ... or when they share at least this many residues (whichever is smaller). @default 3 */
  crossPathOverlapResidues: number;
  /** Residues of sequence context added on each side when a run of windows is re-aligned (section 17). @default 10 */
  realignMarginResidues: number;
  /**
   * Score cost per assigned node of aligning a path against the geometric 5'->3' direction the
   * trace decided, at full direction confidence (see directionConfidenceRamp). Not in the
   * original, which has no reliable direction; it breaks ties for short paths with noisy base
   * calls. @default 30
   */
  directionPriorPerNode: number;
  /**
   * Direction confidences [lo, hi] over which the direction prior ramps from 0 to full. On oracle
   * traces of 20 structures of shared/data every path with confidence >= 0.4 (135 paths) had the
   * right direction, below 0.4 about half. @default [0.2, 0.4]
   */
  directionConfidenceRamp: [number, number];
  /**
   * Weight of a base-paired partner's complemented base evidence added to a node's own (pairing.ts),
   * for pairs between detected base nodes (oracle maps, maps like the training maps); 0 disables.
   * @default 1
   */
  pairEvidenceWeight: number;
  /**
   * The same for pairs with a template-placed base (pairTemplateAnchors; every pair on maps we did not
   * make). 0: those pairs are ~70 % true partners (9 of 13 on the bundled example), and a wrong partner's
   * letters mislead the placement itself. Measured in session 11 (template anchors, consistency 30):
   * weight 1 moved all 25 correctly placed nucleotides of the bundled example elsewhere (weight 0: 35
   * placed right); on the 31 maps of bench/real-density weight 1 with consistency 100 gave register
   * recall 0.078 / sequence recall 0.411, weight 0 with consistency 30 0.052 / 0.427. @default 0
   */
  templatePairEvidenceWeight: number;
  /**
   * Assembly bonus per detected base pair that two selected placements put on complementary
   * residues, minus the chance rate (pair-consistency.ts; score units, a perfect match is 100);
   * 0 disables. 30 since session 11 (was 100): complementary letters by chance are common among the
   * many placements the assembly compares, so a large bonus buys wrong combinations (bench table in
   * models/MODEL_CARD.md, base-caller-v3 section). @default 30
   */
  pairConsistencyWeight: number;
  /**
   * Pair-consistency terms between two fragments whose net count |complementary - chance| of
   * pairs is below this are dropped (little evidence, one integer-program variable each). @default 0
   */
  pairConsistencyMinPairs: number;
  /** Bring paired nodes' combined evidence back to sum 1 (else a paired node counts its two observations). @default false */
  pairEvidenceNormalise: boolean;
  /** Weight of the G-U wobble partner in the complement evidence (relative to Watson-Crick). @default 0.3 */
  pairWobbleWeight: number;
  /**
   * Cost of each path node left unassigned before the first / after the last assigned node of an
   * alignment (score units; a perfect match is 100). Not in the original: without it a path
   * covering a whole short chain can slide past the record's end for free. @default 25
   */
  endNodeSkipPenalty: number;
  /** Cost of starting a new fragment story along a path in the per-path DP (score units). @default 300 */
  newFragmentPenalty: number;
  /**
   * Whole-path alignments may jump to another stretch of the record at this cost (score units;
   * 0 = never): a trace that crosses a junction from one strand into another then yields one
   * fragment per stretch instead of one contiguous placement with mismatched ends. Not in the
   * original. @default 450
   */
  jumpPenalty: number;
  /** Time budget for the integer program across paths, seconds. @default 20 */
  ilpTimeLimitS: number;
  /**
   * Base-pair detection reads base positions from the templates on each node's phosphates and sugar
   * (pairing.ts templateAnchors) rather than the trace's base nodes, which on maps we did not make never
   * face their partner (0 pairs on 30 independent-generator maps). Default since session 11, with
   * templatePairEvidenceWeight 0 and pairConsistencyWeight 30: on the 31 nucleic-acid maps of bench/real-density
   * register recall 0.043 -> 0.052, sequence recall 0.418 -> 0.427 (models/MODEL_CARD.md). @default true
   */
  pairTemplateAnchors: boolean;
  /**
   * After assembly, traced stretches of at least this many nodes left without a placement are aligned to the
   * sequence nobody claimed, longest first (fill.ts; not in the original); 0 disables. @default 3
   */
  fillUnassignedMinNodes: number;
}

export const defaultSequenceParams: SequenceParams = {
  fragmentSize: 20,
  fragmentStride: 2,
  topSelect: 20,
  ruleSoft: false,
  residueSkipPenalty: 25,
  overlapIdentity: 0.8,
  crossPathOverlapFraction: 0.2,
  crossPathOverlapResidues: 3,
  realignMarginResidues: 10,
  directionPriorPerNode: 30,
  directionConfidenceRamp: [0.2, 0.4],
  pairEvidenceWeight: 1,
  templatePairEvidenceWeight: 0,
  pairWobbleWeight: 0.3,
  pairEvidenceNormalise: false,
  pairConsistencyWeight: 30,
  pairConsistencyMinPairs: 0,
  endNodeSkipPenalty: 25,
  newFragmentPenalty: 300,
  jumpPenalty: 450,
  ilpTimeLimitS: 20,
  pairTemplateAnchors: true,
  fillUnassignedMinNodes: 3,
};

/** One alignment of a window (or a longer node span) to an oriented record sequence. */
export interface AlignmentCandidate {
  pathIndex: number;
  /** First node of the window (index along the path). */
  nodeStart: number;
  /** Number of nodes in the window. */
  nodeCount: number;
  recordIndex: number;
  /** +1: path order runs along the sequence 5'->3'; -1: along the reversed sequence. */
  orientation: 1 | -1;
  /** Residue index in the ORIENTED sequence per node, -1 where the node is skipped. */
  mapping: Int32Array;
  /** Alignment score (sum of 100 x base probability of the matched residue, minus penalties). */
  score: number;
  /** [first, last] assigned residue index in the oriented sequence. */
  interval: [number, number];
}

/** A run of consistent windows on one path after re-alignment: the unit the model is built from. */
export type AssignedFragment = AlignmentCandidate;

export type AssemblyMode = 'strict' | 'soft' | 'none';

export interface SequenceAssignment {
  /** Which rule set produced the assignment ('none' = no usable alignment: geometry-only model). */
  mode: AssemblyMode;
  fragments: AssignedFragment[];
  records: EncodedRecord[];
  /** Count of windows and candidates considered. */
  windows: number;
  candidates: number;
  /** Human-readable notes (skipped protein records, fallbacks taken). */
  notes: string[];
  timingsMs: { align: number; assemble: number; realign: number };
}
