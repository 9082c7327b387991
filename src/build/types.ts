/**
 * Input of full-atom building: chains of residues with a letter, a number and the coarse points
 * (P, sugar/C4', base anchor). Produced from BackbonePath[] (no-sequence mode) or from a sequence
 * assignment (src/sequence). Coordinates are Cartesian Angstroms; residues are ordered 5' -> 3'.
 */
import type { Vec3 } from '../grid/volume.js';

export type MoleculeType = 'rna' | 'dna';

export interface CoarseResidue {
  /** Residue number written to the model. */
  seqNum: number;
  /** Base letter A/C/G/U (RNA) or A/C/G/T (DNA). */
  letter: 'A' | 'C' | 'G' | 'U' | 'T';
  moleculeType: MoleculeType;
  /** The residue's own (5') phosphate, or null when none was detected. */
  phosphateA: Vec3 | null;
  /** Sugar point (placed on the C4' region). */
  sugarA: Vec3;
  /** Base anchor (base centroid region), or null. */
  baseA: Vec3 | null;
  /** Per-residue confidence 0..1, written to the B-factor column as documented in src/build. */
  confidence: number;
  /** Probability the base evidence (base caller or detection) gives the modelled base, 0..1 (null: unknown). */
  baseCallProbability?: number | null;
}

export interface CoarseChain {
  chainId: string;
  residues: CoarseResidue[];
  /**
   * Set when the residues are assigned to a FASTA record: residue numbers are positions in that
   * record (1-based).
   */
  assigned?: { recordIndex: number; recordChainId: string };
  /**
   * 'given' (default): the residue numbers are kept; only consecutive numbers are linked, and the
   * chain is broken where consecutive numbers cannot be bonded. 'by-bonds' (geometry-only chains of
   * the pipeline): residues in order are linked by distance, the chain is broken wherever they are
   * not bonded, and each bonded run is numbered 1..n.
   */
  numbering?: 'given' | 'by-bonds';
}
