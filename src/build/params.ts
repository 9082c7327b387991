/** Parameters of full-atom building (src/build). */
import type { PhosphateAnchor, SugarAnchor } from './template.js';

export interface BuildAtomsParams {
  /**
   * Which template point a coarse sugar point stands for: the C4' atom (CryoREAD's convention and
   * what `coarseFromStructure` gives by default), the furanose-ring centroid, or the centroid of all
   * sugar-class atoms (where detection's sugar nodes sit; the pipeline uses this).
   * @default "C4'"
   */
  sugarAnchor: SugarAnchor;
  /** Which template point a coarse phosphate stands for: the P atom or the P/OP1/OP2 centroid. @default 'P' */
  phosphateAnchor: PhosphateAnchor;
  /** Superposition weight of the residue's own sugar point. @default 4 */
  weightSugar: number;
  /** Weight of a detected phosphate (own P and the next residue's P). @default 1 */
  weightPhosphate: number;
  /** Weight of the base anchor (base centroid). @default 1 */
  weightBase: number;
  /** Weight of a linked neighbour's sugar point (ideal-helix prediction, so loose). @default 0.25 */
  weightNeighbourSugar: number;
  /** Weight of a phosphate estimated from a neighbour (reference section 19 table). @default 0.25 */
  weightEstimatedPhosphate: number;
  /**
   * Two consecutive residues count as linked (their P / sugar points are used as neighbours) when
   * their sugar points are at most this far apart, Angstroms (C4'-C4' is 6.1 +- 0.4 A in RNA).
   * @default 8.5
   */
  maxLinkA: number;
  /**
   * Turn each base about its glycosidic bond towards the detected base point (chi fit). Off: on
   * real structures it moved paired bases into each other. @default false
   */
  fitChi: boolean;
  /** Turn overlapping bases about C1' to the least-overlap pose, and turn (or remove) clashing 5'-end phosphates. @default true */
  relieveClashes: boolean;
  /** Remove the lower-confidence one of two residues built on top of each other (overlap.ts). @default true */
  dropOverlapping: boolean;
  /** Largest chi change the fit may apply, degrees. @default 180 */
  maxChiRotationDeg: number;
  /**
   * Base anchors of residues up to two apart in a chain that are closer than this are one base
   * point shared by two sugars: both are ignored, Angstroms (stacked bases are ~3.4 A apart). @default 2.5
   */
  minBaseSeparationA: number;
  /** Re-place P/OP1/OP2 at each linked O3'(i)-P(i+1) so the phosphodiester has bond lengths. @default true */
  repairLinks: boolean;
  /** B-factor for confidence 1, A^2: B = bFactorMinA2 + bFactorRangeA2 * (1 - confidence). @default 20 */
  bFactorMinA2: number;
  /** B-factor added at confidence 0, A^2. @default 80 */
  bFactorRangeA2: number;
}

export const defaultBuildAtomsParams: Readonly<BuildAtomsParams> = Object.freeze({
  sugarAnchor: "C4'",
  phosphateAnchor: 'P',
  weightSugar: 4,
  weightPhosphate: 1,
  weightBase: 1,
  weightNeighbourSugar: 0.25,
  weightEstimatedPhosphate: 0.25,
  maxLinkA: 8.5,
  repairLinks: true,
  minBaseSeparationA: 2.5,
  fitChi: false,
  relieveClashes: true,
  dropOverlapping: true,
  maxChiRotationDeg: 180,
  bFactorMinA2: 20,
  bFactorRangeA2: 80,
});
