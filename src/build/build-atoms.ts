/**
 * Full-atom nucleotides from coarse residues (reference section 19, done differently where the
 * original is wrong or weak):
 * - Superposition in Cartesian Angstroms. The original fits in array-index (z, y, x) space, an odd
 *   axis permutation of the template's (x, y, z) frame, which mirrors every nucleotide (all C4'
 *   centres inverted on the 6V5B example). Here every point is Cartesian, and the fit is a proper
 *   rotation (kabsch: quaternion method, det = +1), so template chirality is kept.
 * - More than three correspondences when available: own P, sugar, base centroid, the next
 *   residue's P, and the linked neighbours' sugar points (through the template's ideal-helix
 *   step), each weighted (BuildAtomsParams). The original fits exactly three points.
 * - Missing phosphates are estimated as in the reference table (shift a neighbour's P by the
 *   sugar-to-sugar step) and enter the fit with a small weight. With no phosphate at all the fit
 *   still uses sugar + base + neighbour sugars ("sugar mode"); the original's sugar mode then pins
 *   the template's P atom onto the sugar point [bug: the whole nucleotide is displaced by the
 *   P-to-sugar offset]; here the sugar point is matched to the template's sugar anchor.
 * - Optionally (fitChi, off by default: it made base pairs clash in tests) the base is turned about
 *   its glycosidic bond towards the detected base point.
 * - Bases that overlap other residues are turned about C1' (chi up to 60 deg, in-plane swing up to
 *   15 deg, tilt up to 10 deg) to the least-overlap pose (clash-relief.ts).
 * - The phosphate of a residue with no 5' neighbour is turned about its own gamma/beta torsions
 *   off other residues, or removed when it clashes in every pose (unlinked-phosphate.ts).
 * - The O3'(i)-P(i+1) links are then repaired (link-geometry.ts) so rigidly placed neighbours do not
 *   clash at the phosphodiester.
 * - Every residue is built (the original's writer drops the last one), except that of two residues
 *   built on top of each other (>= 6 atom pairs < 1.5 A) the lower-confidence one is removed
 *   (overlap.ts, `dropOverlapping`); chains and numbering are then made to agree with the bonds
 *   (numbering.ts: breaks where consecutive numbers are not bonded, unassigned runs numbered 1..n); B-factor = bFactorMinA2 + bFactorRangeA2 * (1 - confidence).
 */
import type { Vec3 } from '../grid/volume.js';
import { Structure, type Atom, type Chain, type Residue } from '../structure/model.js';
import { kabsch, applyTransform } from '../math/kabsch.js';
import { InputError } from '../util/errors.js';
import { report, throwIfAborted, type StageContext } from '../util/progress.js';
import type { CoarseChain, CoarseResidue } from './types.js';
import { defaultBuildAtomsParams, type BuildAtomsParams } from './params.js';
import { nucleotideTemplate, residueNameFor, type NucleotideTemplate } from './template.js';
import { repairLink } from './link-geometry.js';
import { fitChi } from './chi-fit.js';
import { relieveBaseClashes } from './clash-relief.js';
import { relieveUnlinkedPhosphates } from './unlinked-phosphate.js';
import { dropOverlappingResidues } from './overlap.js';
import { numberByBonds, type BuiltChainInfo } from './numbering.js';
export type { BuiltChainInfo } from './numbering.js';

export type { BuildAtomsParams } from './params.js';
export { defaultBuildAtomsParams } from './params.js';

/** A built model: a Structure plus REMARK lines the writers put in the header. */
export interface BuiltStructure extends Structure {
  /** Header remarks (without the "REMARK" keyword), e.g. how the B-factor column was filled. */
  remarks: string[];
  /** Residues removed because they were built on top of another one (overlap.ts), as "chain seqNum". */
  removedResidues: string[];
  /** Per chain: assigned to a FASTA record (which, which positions) or not; same order as `chains`. */
  chainInfo: BuiltChainInfo[];
}

const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
const dist = (a: Vec3, b: Vec3) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/**
 * Two residues in chain order are built as linked (neighbour points in the fit, O3'-P repair) when
 * their sugar points are within maxLinkA and, in a chain whose numbering is given (`numbered`: FASTA
 * positions, or a structure's own numbers), their numbers are consecutive: a jump in the numbering is
 * a gap, so no bond is made across it (refinement programs would not link them either).
 */
function linkable(a: CoarseResidue, b: CoarseResidue, params: BuildAtomsParams, numbered: boolean): boolean {
  return dist(a.sugarA, b.sugarA) <= params.maxLinkA && (!numbered || b.seqNum === a.seqNum + 1);
}

interface Correspondence { templatePoints: Vec3[]; targetPoints: Vec3[]; weights: number[] }

/** The correspondences of residue k of a chain (exported for notebooks and tests). */
export function residueCorrespondences(residues: readonly CoarseResidue[], k: number, template: NucleotideTemplate, params: BuildAtomsParams, numbered = false): Correspondence {
  const r = residues[k];
  const prev = k > 0 && linkable(residues[k - 1], r, params, numbered) ? residues[k - 1] : null;
  const next = k + 1 < residues.length && linkable(r, residues[k + 1], params, numbered) ? residues[k + 1] : null;
  const a = template.anchors;
  const sa = params.sugarAnchor, pa = params.phosphateAnchor;
  const c: Correspondence = { templatePoints: [], targetPoints: [], weights: [] };
  const push = (t: Vec3, p: Vec3, w: number) => { if (w > 0) { c.templatePoints.push(t); c.targetPoints.push(p); c.weights.push(w); } };
  push(a.sugar[sa], r.sugarA, params.weightSugar);
  if (r.baseA) push(a.baseCentroid, r.baseA, params.weightBase);
  // Own (5') phosphate, or the reference-table estimate from a neighbour's P shifted by the sugar step.
  if (r.phosphateA) push(a.phosphate[pa], r.phosphateA, params.weightPhosphate);
  else {
    const est: Vec3[] = [];
    if (next?.phosphateA) est.push(sub(next.phosphateA, sub(next.sugarA, r.sugarA)));
    if (prev?.phosphateA) est.push(add(prev.phosphateA, sub(r.sugarA, prev.sugarA)));
    if (est.length) push(a.phosphate[pa], est.length === 1 ? est[0] : [(est[0][0] + est[1][0]) / 2, (est[0][1] + est[1][1]) / 2, (est[0][2] + est[1][2]) / 2], params.weightEstimatedPhosphate);
  }
  if (next) {
    if (next.phosphateA) push(a.nextPhosphate[pa], next.phosphateA, params.weightPhosphate);
    else if (r.phosphateA) push(a.nextPhosphate[pa], add(r.phosphateA, sub(next.sugarA, r.sugarA)), params.weightEstimatedPhosphate);
    push(a.nextSugar[sa], next.sugarA, params.weightNeighbourSugar);
  }
  if (prev) push(a.prevSugar[sa], prev.sugarA, params.weightNeighbourSugar);
  return c;
}

/**
 * Two nearby residues anchored to the same base point (tracing attaches the nearest base node to
 * each sugar, so neighbours can share one) would get their bases stacked into each other: such
 * anchors are dropped for both, and the template places those bases from the backbone points.
 */
function withoutSharedBaseAnchors(chain: CoarseChain, minSeparationA: number): CoarseChain {
  const res = chain.residues;
  const shared = new Set<number>();
  for (let k = 0; k < res.length; k++) {
    for (let j = k + 1; j < Math.min(res.length, k + 3); j++) {
      const a = res[k].baseA, b = res[j].baseA;
      if (a && b && dist(a, b) < minSeparationA) { shared.add(k); shared.add(j); }
    }
  }
  if (shared.size === 0) return chain;
  return { ...chain, residues: res.map((r, k) => (shared.has(k) ? { ...r, baseA: null } : r)) };
}

function checkResidue(chain: CoarseChain, r: CoarseResidue): void {
  const finite = (p: Vec3 | null) => p === null || (p.length === 3 && p.every(Number.isFinite));
  if (!r.sugarA || !finite(r.sugarA) || !finite(r.phosphateA) || !finite(r.baseA)) {
    throw new InputError('BUILD_COARSE', `buildAtoms: chain ${chain.chainId} residue ${r.seqNum} has a missing or non-finite coarse point; sugarA is required, phosphateA/baseA may be null`);
  }
}

/**
 * Builds a full-atom model, one chain per CoarseChain, residues in the given order and numbering.
 * Residue names A/C/G/U (RNA) or DA/DC/DG/DT (DNA); DNA has no O2', DT has C7.
 */
/**
 * One phosphate point used by several residues (tracing can attach a phosphate node to two path
 * ends, or to two neighbours) would put two phosphate groups on one spot: each shared point is kept
 * only by the residue whose sugar is nearest to it; the others get the reference-table estimate.
 */
function withoutSharedPhosphates(chains: readonly CoarseChain[]): CoarseChain[] {
  const owner = new Map<string, { d: number; chain: number; k: number }>();
  const key = (v: Vec3) => `${v[0].toFixed(3)},${v[1].toFixed(3)},${v[2].toFixed(3)}`;
  chains.forEach((c, ci) => c.residues.forEach((r, k) => {
    if (!r.phosphateA) return;
    const d = dist(r.phosphateA, r.sugarA);
    const o = owner.get(key(r.phosphateA));
    if (!o || d < o.d) owner.set(key(r.phosphateA), { d, chain: ci, k });
  }));
  return chains.map((c, ci) => ({ ...c, residues: c.residues.map((r, k) => {
    if (!r.phosphateA) return r;
    const o = owner.get(key(r.phosphateA))!;
    return o.chain === ci && o.k === k ? r : { ...r, phosphateA: null };
  }) }));
}

export function buildAtoms(inputChains: readonly CoarseChain[], params: Partial<BuildAtomsParams> = {}, ctx?: StageContext): BuiltStructure {
  const p: BuildAtomsParams = { ...defaultBuildAtomsParams, ...params };
  for (const c of inputChains) for (const r of c.residues) checkResidue(c, r);
  const chains = withoutSharedPhosphates(inputChains);
  const total = chains.reduce((n, c) => n + c.residues.length, 0);
  let done = 0;
  let out: Chain[] = [];
  /** Residue -> the residue its P was bonded to (O3'-P link made). */
  const linkedTo = new Map<Residue, Residue>();
  const chainOf = new Map<Chain, CoarseChain>();
  const baseCallOf = new Map<Residue, number | null>();
  for (const inputChain of chains) {
    throwIfAborted(ctx, 'build');
    const chain = withoutSharedBaseAnchors(inputChain, p.minBaseSeparationA);
    const numbered = chain.numbering !== 'by-bonds';
    const residues: Residue[] = [];
    for (let k = 0; k < chain.residues.length; k++) {
      const r = chain.residues[k];
      const name = residueNameFor(r.letter, r.moleculeType);
      const template = nucleotideTemplate(name);
      const c = residueCorrespondences(chain.residues, k, template, p, numbered);
      const fit = kabsch(c.templatePoints, c.targetPoints, c.weights);
      const confidence = Math.min(1, Math.max(0, Number.isFinite(r.confidence) ? r.confidence : 0));
      const bFactor = Math.round((p.bFactorMinA2 + p.bFactorRangeA2 * (1 - confidence)) * 100) / 100;
      const atoms: Atom[] = template.atoms.map((ta) => {
        const [x, y, z] = applyTransform(fit, ta.xyz);
        return { name: ta.name, element: ta.element, x, y, z, occupancy: 1, bFactor, hetero: false };
      });
      const residue: Residue = { name, originalName: name, seqNum: r.seqNum, insCode: '', kind: r.moleculeType, base: r.letter === 'T' && r.moleculeType === 'rna' ? 'U' : r.letter === 'U' && r.moleculeType === 'dna' ? 'T' : r.letter, atoms };
      if (p.fitChi && r.baseA) fitChi(residue, r.baseA, p.maxChiRotationDeg);
      residues.push(residue);
      baseCallOf.set(residue, r.baseCallProbability ?? null);
      done++;
    }
    if (p.repairLinks) {
      for (let k = 0; k + 1 < residues.length; k++) {
        if (linkable(chain.residues[k], chain.residues[k + 1], p, numbered) && repairLink(residues[k], residues[k + 1])) linkedTo.set(residues[k + 1], residues[k]);
      }
    }
    out.push({ id: chain.chainId, residues });
    chainOf.set(out[out.length - 1], chain);
    report(ctx, 'build', done, total);
  }
  let removedPhosphates: string[] = [];
  if (p.relieveClashes) {
    relieveBaseClashes(out);
    // Only when links were made: otherwise every residue would count as a 5' end.
    if (p.repairLinks) removedPhosphates = relieveUnlinkedPhosphates(out, (ci, k) => k === 0 || linkedTo.get(out[ci].residues[k]) !== out[ci].residues[k - 1]).removed;
  }
  // Last: overlaps that a base turn or a phosphate turn resolves are not duplicates.
  const removedResidues = p.dropOverlapping ? dropOverlappingResidues(out) : [];
  out = out.filter((c) => c.residues.length > 0);
  const numbering = numberByBonds(out, (c) => chainOf.get(c)!, (r) => baseCallOf.get(r) ?? null);
  out = numbering.chains;
  // Short lines: PDB REMARK text has 69 columns.
  const remarks = [
    `B-FACTOR = ${p.bFactorMinA2} + ${p.bFactorRangeA2} * (1 - CONFIDENCE) PER RESIDUE,`,
    'CONFIDENCE IN [0, 1] FROM THE DETECTION PROBABILITIES.',
    'NUCLEOTIDES: RIGID FIT OF 3DNA TEMPLATES (A-RNA FIBER 20, B-DNA',
    'FIBER 4) ON THE TRACED P, SUGAR AND BASE POINTS.',
  ];
  if (removedResidues.length) remarks.push(`${removedResidues.length} NUCLEOTIDES BUILT ON TOP OF ANOTHER ONE REMOVED.`);
  if (removedPhosphates.length) {
    remarks.push(`5' PHOSPHATE REMOVED (CLASHED IN EVERY POSE) AT ${removedPhosphates.length} CHAIN`, 'STARTS OR BREAKS: 5\'-OH ENDS.');
  }
  if (numbering.splits) remarks.push(`${numbering.splits} CHAIN BREAKS WHERE CONSECUTIVE NUCLEOTIDES ARE NOT BONDED.`);
  return Structure.withInspect({ chains: out, source: 'cryoread-ts buildAtoms', remarks, removedResidues, chainInfo: numbering.info });
}
