/**
 * CryoREAD's model-vs-reference metrics (reference §22), on nucleotide centres:
 * coverage, precision, sequence recall / precision (+ "(Match)" variants) and the mean backbone
 * deviation (CryoREAD prints it as "RMSD": a mean of per-reference mean atom distances).
 *
 * Differences from the original, all on purpose:
 * - [quirk removed unless `compat`] CryoREAD appends the base label (A=0, U/T=1, C=2, G=3) to the
 *   centre as a 4th coordinate, so a wrong base letter moves a nucleotide by up to 3 "A". By default
 *   centres are plain 3-D; `compat: true` restores the label term in every centre distance.
 * - Nucleotides are the Structure's residues (CryoREAD groups atoms by residue number ignoring
 *   chains, merging residues of different chains that share a number).
 * - Per-pair atom deviation averages the kept atoms both nucleotides have (see meanAtomDistance).
 * - The mean deviation averages over covered references only: an uncovered reference has no partner
 *   to measure (the reference text leaves open whether CryoREAD lets uncovered references enter with
 *   their starting value of 10 A; we do not, so the number stays a deviation of what was built).
 * All neighbour searches go through NeighbourGrid: O(N) for N nucleotides.
 */
import { NeighbourGrid } from '../grid/neighbour-grid.js';
import { meanAtomDistance, type NucleotideTable } from './nucleotide-table.js';

export interface CenterMetricParams {
  /** Centre distance within which a model nucleotide covers a reference one, Angstroms. @default 5 */
  cutoffA: number;
  /** A model nucleotide counts as "used" when its nearest reference centre is within this, Angstroms. @default 10 */
  maxCutoffA: number;
  /** Keep CryoREAD's base-label 4th coordinate in centre distances. @default false */
  compat: boolean;
}

export interface CenterMetrics {
  /** Fraction of reference nucleotides with a model nucleotide centre within cutoffA (CryoREAD "Atom Coverage"). */
  coverage: number;
  /** Fraction of used model nucleotides that cover a reference nucleotide (CryoREAD "Atom Precision"). */
  precision: number;
  /** Sequence matches / reference nucleotides. */
  sequenceRecall: number;
  /** Sequence matches / used model nucleotides. */
  sequencePrecision: number;
  /** Sequence matches / covered reference nucleotides ("Sequence Recall(Match)"). */
  sequenceRecallMatch: number;
  /** Sequence matches / covering model nucleotides ("Sequence Precision(Match)"). */
  sequencePrecisionMatch: number;
  /** CryoREAD's "RMSD": mean over covered reference nucleotides of the smallest mean backbone-atom distance, Angstroms. */
  meanBackboneDeviationA: number;
  counts: { referenceNucleotides: number; modelNucleotides: number; coveredReference: number; coveredModel: number; usedModel: number; sequenceMatches: number };
  /** Sequence-matched pairs [referenceIndex, modelIndex]. */
  matches: [number, number][];
}

function ratio(a: number, b: number): number {
  return b > 0 ? a / b : 0;
}

export function centerMetrics(model: NucleotideTable, ref: NucleotideTable, p: CenterMetricParams): CenterMetrics {
  const nR = ref.count, nQ = model.count;
  const labelTerm = (i: number, j: number): number => (p.compat ? (ref.label[i] - model.label[j]) ** 2 : 0);
  /** Squared centre distance reference i <-> model j, with the compat label term. */
  const d2 = (i: number, j: number): number => {
    const dx = ref.x[i] - model.x[j], dy = ref.y[i] - model.y[j], dz = ref.z[i] - model.z[j];
    return dx * dx + dy * dy + dz * dz + labelTerm(i, j);
  };
  const qGrid = new NeighbourGrid({ count: nQ, x: model.x, y: model.y, z: model.z }, p.cutoffA);
  const rGrid = new NeighbourGrid({ count: nR, x: ref.x, y: ref.y, z: ref.z }, p.cutoffA);
  const c2 = p.cutoffA * p.cutoffA;

  // Model nucleotides within the cutoff of each reference, sorted by distance then index.
  const near: Int32Array[] = new Array(nR);
  // per reference nucleotide, the squared distances of its few model neighbours (not a volume)
  const nearD2: Float64Array[] = new Array(nR);
  const coveredQ = new Uint8Array(nQ);
  let coveredR = 0, devSum = 0;
  for (let i = 0; i < nR; i++) {
    const hits: [number, number][] = [];
    qGrid.forEachWithin(ref.x[i], ref.y[i], ref.z[i], p.cutoffA, (j) => {
      const dd = d2(i, j);
      if (dd <= c2) hits.push([j, dd]);
    });
    hits.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
    near[i] = Int32Array.from(hits, (h) => h[0]);
    nearD2[i] = Float64Array.from(hits, (h) => h[1]);
    if (hits.length === 0) continue;
    coveredR++;
    let best = Infinity;
    for (const [j] of hits) {
      coveredQ[j] = 1;
      const m = meanAtomDistance(ref, i, model, j);
      if (m < best) best = m;
    }
    if (Number.isFinite(best)) devSum += best;
  }
  let coveredModel = 0;
  for (let j = 0; j < nQ; j++) coveredModel += coveredQ[j];

  // "Used" model nucleotides: nearest reference centre within maxCutoffA.
  let used = 0;
  const max2 = p.maxCutoffA * p.maxCutoffA;
  for (let j = 0; j < nQ; j++) {
    let hit = false;
    rGrid.forEachWithin(model.x[j], model.y[j], model.z[j], p.maxCutoffA, (i) => {
      if (!hit && d2(i, j) <= max2) hit = true;
    });
    if (hit) used++;
  }

  // Sequence matching, one-to-one, same base label required.
  const refMatch = new Int32Array(nR).fill(-1), qMatch = new Int32Array(nQ).fill(-1);
  const matches: [number, number][] = [];
  const match = (i: number, j: number): void => {
    refMatch[i] = j; qMatch[j] = i;
    matches.push([i, j]);
  };
  // Pass 1: each reference with its nearest model nucleotide, when both are free and the labels agree.
  for (let i = 0; i < nR; i++) {
    if (near[i].length === 0) continue;
    const j = near[i][0];
    if (refMatch[i] < 0 && qMatch[j] < 0 && ref.label[i] === model.label[j]) match(i, j);
  }
  // Pass 2: each unmatched reference tries the free same-label model nucleotides within the cutoff
  // (nearest first). Such a model nucleotide goes to another free same-label reference at least as
  // close to it when there is one (the first in index order), else to the current reference.
  for (let i = 0; i < nR && matches.length < nQ; i++) {
    if (refMatch[i] >= 0) continue;
    for (let k = 0; k < near[i].length && refMatch[i] < 0; k++) {
      const j = near[i][k];
      if (qMatch[j] >= 0 || model.label[j] !== ref.label[i]) continue;
      const dCur = nearD2[i][k];
      let other = -1;
      rGrid.forEachWithin(model.x[j], model.y[j], model.z[j], Math.sqrt(dCur) + 1e-9, (r) => {
        if (r !== i && (other < 0 || r < other) && refMatch[r] < 0 && ref.label[r] === model.label[j] && d2(r, j) <= dCur) other = r;
      });
      match(other >= 0 ? other : i, j);
    }
  }
  const nMatch = matches.length;
  return {
    coverage: ratio(coveredR, nR),
    precision: ratio(coveredModel, used),
    sequenceRecall: ratio(nMatch, nR),
    sequencePrecision: ratio(nMatch, used),
    sequenceRecallMatch: ratio(nMatch, coveredR),
    sequencePrecisionMatch: ratio(nMatch, coveredModel),
    meanBackboneDeviationA: coveredR > 0 ? devSum / coveredR : NaN,
    counts: { referenceNucleotides: nR, modelNucleotides: nQ, coveredReference: coveredR, coveredModel, usedModel: used, sequenceMatches: nMatch },
    matches,
  };
}
