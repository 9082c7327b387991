/**
 * Parameters of the clustering stage (reference sections 8 and 9), with CryoREAD's values as defaults.
 * Lengths are in Angstroms (CryoREAD works on a 1 A grid where voxels and Angstroms coincide).
 */

/** The seven point classes clustered separately, in CryoREAD's order. */
export const NODE_CLASSES = ['phosphate', 'sugar', 'A', 'UT', 'C', 'G', 'base'] as const;
export type NodeClass = (typeof NODE_CLASSES)[number];

export interface ClusterParams {
  /** Phosphate probabilities at or below this are zeroed before clustering. @default 0.1 (CryoREAD) */
  phosphateThreshold: number;
  /** Sugar probabilities at or below this are zeroed before clustering. @default 0.1 (CryoREAD) */
  sugarThreshold: number;
  /** Base-region (any base) threshold: below it a voxel is "no base" for the base-type edits, at or below it the base channel is zeroed. @default 0.25 (CryoREAD) */
  baseThreshold: number;
  /** A base type that is not the argmax of the four types is kept only at or above this probability. @default 0.5 (CryoREAD) */
  baseTypeKeepProbability: number;
  /** Base-type and base probabilities at or below this are zeroed after the edits. @default 0.01 (CryoREAD) */
  baseFloor: number;
  /** Mean-shift bandwidth g in Angstroms; kernel exp(-1.5 d^2 / s^2) with s = g / 2, window +-2g. @default 3 (CryoREAD, A) */
  bandwidthA: number;
  /** Mean shift stops when the squared move (A^2) falls below this. @default 0.001 (CryoREAD, A^2 on its 1 A grid) */
  convergenceA2: number;
  /** Iteration cap per seed (CryoREAD has none; converged seeds need ~5-30 steps). @default 200 */
  maxIterations: number;
  /**
   * Move each seed first with kernel sums precomputed on the grid (separable convolutions, trilinear
   * interpolation between voxels; cluster/kernel-grid.ts), then finish with CryoREAD's exact window
   * sums unless it lands within adoptRadiusA of a known mode. false = exact steps only. @default true
   */
  kernelOnGrid: boolean;
  /**
   * A seed stops on an earlier converged point once within this distance (speed-up, see mean-shift.ts;
   * 0 = off, as CryoREAD). Keep it well below mergeDistanceA. Measured on 6V5B oracle maps: 18.4 -> 9.3
   * iterations per seed with identical node counts; at 1 A stalled points collect adopted seeds and
   * survive minSeedFraction (99 sugar nodes instead of 78). @default 0.7 (A)
   */
  adoptRadiusA: number;
  /** Converged points closer than this are merged (lower density absorbed). @default 2 (CryoREAD, A) */
  mergeDistanceA: number;
  /** Points whose density is below this fraction of the maximum are dropped. @default 0.05 (CryoREAD) */
  minDensityFraction: number;
  /**
   * Nodes that absorbed fewer seeds than this fraction of the median node's seed count are removed
   * (their seeds become unowned). Not in CryoREAD: mean shift stalls at saddles between neighbouring
   * blobs (e.g. where O3' of one sugar meets O5' of the next), leaving nodes with 1-4 seeds next to
   * real ones with ~200; 0 keeps them all. @default 0.1
   */
  minSeedFraction: number;
  /**
   * Protein suppression (not in CryoREAD, which traces protein density as nucleic acid when the network
   * calls it sugar): where the protein probability is at least this AND above the sugar, phosphate and
   * base-region probabilities, every nucleic-acid channel is zeroed before clustering. 0 disables.
   * @default 0.5
   */
  proteinSuppression: number;
}

export const defaultClusterParams: Readonly<ClusterParams> = Object.freeze({
  proteinSuppression: 0.5,
  phosphateThreshold: 0.1,
  sugarThreshold: 0.1,
  baseThreshold: 0.25,
  baseTypeKeepProbability: 0.5,
  baseFloor: 0.01,
  bandwidthA: 3,
  convergenceA2: 0.001,
  maxIterations: 200,
  kernelOnGrid: true,
  adoptRadiusA: 0.7,
  mergeDistanceA: 2,
  minDensityFraction: 0.05,
  minSeedFraction: 0.1,
});
