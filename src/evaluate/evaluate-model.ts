/**
 * evaluateModel: a built model against a reference structure. CryoREAD's metrics (reference §22,
 * see cryoread-metrics.ts for the deviations from the original) plus:
 * - oneToOne: strict metrics, each reference nucleotide matched to at most one model nucleotide (C4'
 *   pairs within cutoffA, greedy by distance, as phenix.chain_comparison and EM2NA count): coverage =
 *   pairs / reference nt, precision = pairs / model nt, sequence recall = pairs with the same base /
 *   reference nt, register recall = pairs whose model residue has the reference's chain id and number
 *   / reference nt, C4' RMSD over the pairs. CryoREAD's own metrics let one model nucleotide cover every
 *   reference within 5 A, so duplicated or crowded models score high; these do not. They come first in
 *   every table of this project;
 * - rmsdA: C4' RMSD over residues matched one-to-one by C4' distance (greedy, nearest pairs first,
 *   within cutoffA, base letters ignored), so a wrong letter does not hide a well-placed backbone;
 * - pRecall3A: fraction of reference P atoms with a model P within 3 A;
 * - clashesPer1000: heavy-atom clashes of the model per 1000 heavy atoms (clashes.ts).
 */
import { NeighbourGrid } from '../grid/neighbour-grid.js';
import type { Structure } from '../structure/model.js';
import { InputError } from '../util/errors.js';
import { clashScore } from './clashes.js';
import { centerMetrics, type CenterMetrics } from './cryoread-metrics.js';
import { keptAtom, nucleotideTable, type NucleotideTable } from './nucleotide-table.js';
import type { RegisterMaps } from './fasta-register.js';

export interface EvaluateParams {
  /** Centre distance for coverage / precision / sequence matching, and C4' pairing for rmsdA, Angstroms. @default 5 */
  cutoffA: number;
  /** "Used" model nucleotides: nearest reference centre within this, Angstroms (CryoREAD's max cutoff). @default 10 */
  maxCutoffA: number;
  /** Keep CryoREAD's base-label 4th coordinate in centre distances. @default false */
  compat: boolean;
  /** P recall distance, Angstroms. @default 3 */
  pRecallCutoffA: number;
  /** Clash distance for heavy atoms of different residues, Angstroms. @default 2.2 */
  clashCutoffA: number;
}

export const defaultEvaluateParams: EvaluateParams = { cutoffA: 5, maxCutoffA: 10, compat: false, pRecallCutoffA: 3, clashCutoffA: 2.2 };

/** CryoREAD's centre metrics (CenterMetrics, documented there) plus our own. */
/** One-to-one C4' metrics (see the module comment). */
export interface OneToOneMetrics {
  coverage: number;
  precision: number;
  sequenceRecall: number;
  /** Same-base pairs / model nucleotides. */
  sequencePrecision: number;
  /**
   * Pairs whose model nucleotide carries the reference nucleotide's chain id and residue number /
   * reference nt: the sequence placed at its true position, not only a matching letter. Meaningful
   * when the model is numbered by a FASTA whose positions are the reference's residue numbers
   * (bench/real-density renumbers its references so), or with `EvaluateOptions.register` (FASTA
   * positions of both sides; the pipeline's --reference evaluation). Sequence recall counts letters: a path placed at
   * a wrong stretch of the sequence still agrees with its own base calls, ~0.4 of the time on 3.7-4.5 A
   * maps, and the alignment picks exactly such agreements.
   */
  registerRecall: number;
  registerMatches: number;
  /** C4' RMSD over the pairs, Angstroms (NaN when none). */
  rmsdA: number;
  pairs: number;
  sequenceMatches: number;
  referenceNucleotides: number;
  modelNucleotides: number;
}

export interface EvaluationMetrics extends Omit<CenterMetrics, 'matches' | 'counts'> {
  /** Strict one-to-one C4' metrics (first in every table). */
  oneToOne: OneToOneMetrics;
  /** C4' RMSD over one-to-one C4'-matched residues, Angstroms (NaN when none). */
  rmsdA: number;
  /** Fraction of reference P atoms with a model P within pRecallCutoffA. */
  pRecall3A: number;
  /** Model heavy-atom clashes per 1000 heavy atoms. */
  clashesPer1000: number;
  counts: CenterMetrics['counts'] & {
    rmsdPairs: number;
    referencePhosphates: number;
    recalledPhosphates: number;
    modelHeavyAtoms: number;
    clashes: number;
  };
  params: EvaluateParams;
}

function points(t: NucleotideTable, name: 'P' | "C4'"): { idx: number[]; x: number[]; y: number[]; z: number[] } {
  const out = { idx: [] as number[], x: [] as number[], y: [] as number[], z: [] as number[] };
  for (let i = 0; i < t.count; i++) {
    const a = keptAtom(t, i, name);
    if (!a) continue;
    out.idx.push(i); out.x.push(a[0]); out.y.push(a[1]); out.z.push(a[2]);
  }
  return out;
}

/** C4' RMSD over a greedy one-to-one matching (shortest pairs first) within cutoffA; also the pairs. */
function c4Rmsd(model: NucleotideTable, ref: NucleotideTable, cutoffA: number): { rmsd: number; pairs: number; matched: [number, number][]; modelWithC4: number; refWithC4: number } {
  const m = points(model, "C4'"), r = points(ref, "C4'");
  const grid = new NeighbourGrid({ count: m.x.length, x: m.x, y: m.y, z: m.z }, cutoffA);
  const cand: [number, number, number][] = [];
  for (let i = 0; i < r.x.length; i++) grid.forEachWithin(r.x[i], r.y[i], r.z[i], cutoffA, (j, d2) => cand.push([d2, i, j]));
  cand.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  const usedR = new Uint8Array(r.x.length), usedM = new Uint8Array(m.x.length);
  let sum = 0, pairs = 0;
  const matched: [number, number][] = [];
  for (const [d2, i, j] of cand) {
    if (usedR[i] || usedM[j]) continue;
    usedR[i] = 1; usedM[j] = 1;
    sum += d2; pairs++;
    matched.push([r.idx[i], m.idx[j]]);
  }
  return { rmsd: pairs > 0 ? Math.sqrt(sum / pairs) : NaN, pairs, matched, modelWithC4: m.x.length, refWithC4: r.x.length };
}

function pRecall(model: NucleotideTable, ref: NucleotideTable, cutoffA: number): { total: number; recalled: number } {
  const m = points(model, 'P'), r = points(ref, 'P');
  const grid = new NeighbourGrid({ count: m.x.length, x: m.x, y: m.y, z: m.z }, cutoffA);
  let recalled = 0;
  for (let i = 0; i < r.x.length; i++) if (grid.nearest(r.x[i], r.y[i], r.z[i], cutoffA).index >= 0) recalled++;
  return { total: r.x.length, recalled };
}

export interface EvaluateOptions {
  /**
   * FASTA positions of model and reference residues (fasta-register.ts): register recall then counts pairs at
   * the same FASTA record and position, whatever the files' chain ids and numbering. Without it: same chain id
   * and residue number.
   */
  register?: RegisterMaps;
}

/** Compare a model with a reference structure. Throws InputError when the reference has no nucleotides. */
export function evaluateModel(model: Structure, reference: Structure, params: Partial<EvaluateParams> = {}, options: EvaluateOptions = {}): EvaluationMetrics {
  const p: EvaluateParams = { ...defaultEvaluateParams, ...params };
  if (!(p.cutoffA > 0) || !(p.maxCutoffA >= p.cutoffA)) {
    throw new InputError('EVALUATE_BAD_CUTOFF', `evaluateModel: cutoffA ${p.cutoffA} / maxCutoffA ${p.maxCutoffA} invalid; need 0 < cutoffA <= maxCutoffA`);
  }
  const ref = nucleotideTable(reference);
  const mod = nucleotideTable(model);
  if (ref.count === 0) {
    throw new InputError('EVALUATE_EMPTY_REFERENCE', `${reference.source ?? 'reference'}: no DNA/RNA nucleotides to evaluate against; give a reference with nucleic acid`, reference.source);
  }
  const c = centerMetrics(mod, ref, p);
  const rm = c4Rmsd(mod, ref, p.cutoffA);
  const pr = pRecall(mod, ref, p.pRecallCutoffA);
  const cl = clashScore(model, { cutoffA: p.clashCutoffA });
  const { matches: _matches, counts, ...centre } = c;
  let same = 0;
  let register = 0;
  for (const [i, j] of rm.matched) {
    if (ref.label[i] === mod.label[j]) same++;
    if (options.register) {
      const k = options.register.reference(ref.chainId[i], ref.seqNum[i]);
      if (k !== null && k === options.register.model(mod.chainId[j], mod.seqNum[j])) register++;
    } else if (ref.chainId[i] === mod.chainId[j] && ref.seqNum[i] === mod.seqNum[j]) register++;
  }
  // denominators: every nucleotide of each side (one without a C4' can never pair, so it counts as missed)
  const nRef = ref.count, nMod = mod.count;
  const oneToOne: OneToOneMetrics = {
    coverage: nRef ? rm.pairs / nRef : 0, precision: nMod ? rm.pairs / nMod : 0,
    sequenceRecall: nRef ? same / nRef : 0, sequencePrecision: nMod ? same / nMod : 0,
    registerRecall: nRef ? register / nRef : 0, registerMatches: register,
    rmsdA: rm.rmsd, pairs: rm.pairs, sequenceMatches: same, referenceNucleotides: nRef, modelNucleotides: nMod,
  };
  return {
    oneToOne,
    ...centre,
    rmsdA: rm.rmsd,
    pRecall3A: pr.total > 0 ? pr.recalled / pr.total : 0,
    clashesPer1000: cl.clashesPer1000,
    counts: {
      ...counts,
      rmsdPairs: rm.pairs,
      referencePhosphates: pr.total,
      recalledPhosphates: pr.recalled,
      modelHeavyAtoms: cl.heavyAtoms,
      clashes: cl.clashes,
    },
    params: p,
  };
}
