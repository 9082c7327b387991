/**
 * Output of backbone tracing (src/trace), input of sequence assignment (src/sequence) and of
 * model building (src/build). Coordinates are Cartesian Angstroms.
 */
import type { Vec3 } from '../grid/volume.js';

/** Base-type evidence in CryoREAD order [A, U/T, C, G] (unnormalised scores, >= 0). */
export type BaseEvidence = [number, number, number, number];

/** One sugar node along a traced backbone path. */
export interface TracedNode {
  /** Index of the sugar node in the sugar NodeSet. */
  sugarIndex: number;
  /** Sugar node position (treated as the C4' point of the residue). */
  sugarA: Vec3;
  /** Phosphate on the 5' side of this sugar (after direction is decided), or null. */
  phosphate5A: Vec3 | null;
  /** Phosphate on the 3' side of this sugar, or null. */
  phosphate3A: Vec3 | null;
  /** Base anchor position (nearest base node), or null when none was found. */
  baseA: Vec3 | null;
  /** Base-type evidence [A, UT, C, G] (section 13 of the reference). */
  baseEvidence: BaseEvidence;
  /**
   * Evidence for the path read the other way (3'->5'), when it depends on the reading: the template-frame
   * base caller reads the base on the other side of the backbone then. Absent: the same as baseEvidence.
   */
  baseEvidenceReverse?: BaseEvidence;
  /** Normalised density of the sugar node (NodeSet.density, 0.01..1.01), when known. */
  sugarDensity?: number;
  /** Index of the 5' / 3' phosphate in the phosphate NodeSet, -1 when none (when known). */
  phosphate5Index?: number;
  phosphate3Index?: number;
}

/** A traced backbone: nodes ordered 5' -> 3'. */
export interface BackbonePath {
  nodes: TracedNode[];
  /** +1 if the 5'->3' order equals the routing order, -1 if it was reversed. */
  direction: 1 | -1;
  /** How the direction was decided and how confident (0..1) it is. */
  directionConfidence: number;
  /** Routing cost of the path (arbitrary units, lower is better). */
  cost: number;
}
