/**
 * Reference-free quality of a built model, per residue and overall (issue 14; not in CryoREAD, whose
 * B-factor "confidence" is the detection probability alone and was measured to correlate negatively
 * with a correct base):
 *   - mapValue: mean normalised density (the prepared map, CryoREAD's 0..1 scale) at the residue's atoms;
 *   - localCC: correlation of the map with the model's density simulated at the map resolution, over
 *     the voxels within 2.5 A of the residue's atoms (src/refine/validate.ts, CC_mask as Phenix);
 *   - sugarProb / phosphateProb / baseProb: detection probabilities at C4', P and the base-ring centroid;
 *   - baseCallProb: probability the base evidence (base caller or detection) gives the modelled base;
 *   - assigned: the residue carries a FASTA position;
 *   - confidence in [0, 1] (written to the B-factor column, B = 20 + 80 (1 - confidence)): a logistic
 *     score of "this residue is a correctly placed nucleotide with the correct base" on these features,
 *     measured with bench/confidence.ts (network detection on simulated maps, 3.5 and 5 A) against a
 *     sequence match to the true structure. Pearson r with correctness on the 5 held-out structures
 *     (733 residues): 0.196 (positive on 4 of 5; ~0 on the 24-nt B-DNA duplex); the old detection-
 *     probability confidence 0.139; a logistic fit on the 5 training structures 0.140 (it leaned on
 *     the protein of 1a9n traced as RNA) and 0.183 without 1a9n. The weights below were set before
 *     that measurement (local fit and base call weighted most) and kept.
 */
import type { Volume } from '../grid/volume.js';
import { Volume as V } from '../grid/volume.js';
import { ProbabilityMaps } from '../grid/probability-maps.js';
import type { BuiltStructure } from '../build/build-atoms.js';
import type { Residue } from '../structure/model.js';
import { validateModel } from '../refine/validate.js';
import { clashScore } from '../evaluate/clashes.js';

export interface ResidueQuality {
  chain: string;
  seqNum: number;
  name: string;
  assigned: boolean;
  /** FASTA record chain id of an assigned residue, else null. */
  record: string | null;
  mapValue: number;
  localCC: number | null;
  sugarProb: number;
  phosphateProb: number | null;
  baseProb: number;
  baseCallProb: number | null;
  confidence: number;
  bFactorA2: number;
}

export interface ModelQuality {
  nucleotides: number;
  chains: number;
  assignedFraction: number;
  medianLocalCC: number | null;
  medianMapValue: number;
  clashesPer1000: number;
  meanConfidence: number;
  /** One line for the end of a build. */
  line: string;
}

/**
 * Logistic score of per-residue correctness. Features (in this order): 1, localCC, mapValue, sugarProb,
 * baseProb, baseCallProb, assigned. Measured by bench/confidence.ts (module comment).
 */
export const CONFIDENCE_MODEL = {
  features: ['bias', 'localCC', 'mapValue', 'sugarProb', 'baseProb', 'baseCallProb', 'assigned'] as const,
  weights: [-2.5, 2.0, 0.0, 0.5, 0.5, 2.0, 1.0],
};

export const B_FACTOR_MIN_A2 = 20;
export const B_FACTOR_RANGE_A2 = 80;

function featureVector(r: Omit<ResidueQuality, 'confidence' | 'bFactorA2'>): number[] {
  return [1, r.localCC ?? 0, r.mapValue, r.sugarProb, r.baseProb, r.baseCallProb ?? 0.25, r.assigned ? 1 : 0];
}

export function confidenceOf(r: Omit<ResidueQuality, 'confidence' | 'bFactorA2'>, weights: readonly number[] = CONFIDENCE_MODEL.weights): number {
  const f = featureVector(r);
  let z = 0;
  for (let k = 0; k < f.length; k++) z += weights[k] * f[k];
  return 1 / (1 + Math.exp(-z));
}

export { featureVector as confidenceFeatures };

const at = (v: Volume, p: { x: number; y: number; z: number } | null) => (p ? V.interpolateAngstrom(v, p.x, p.y, p.z) : null);

function centroid(r: Residue, names: readonly string[]): { x: number; y: number; z: number } | null {
  let n = 0, x = 0, y = 0, z = 0;
  for (const a of r.atoms) if (names.includes(a.name)) { n++; x += a.x; y += a.y; z += a.z; }
  return n ? { x: x / n, y: y / n, z: z / n } : null;
}
const BASE_RING = ['N1', 'C2', 'N3', 'C4', 'C5', 'C6', 'N7', 'C8', 'N9'];

/**
 * Per-residue quality of a built model on the prepared map (`normalised` for map values, `raw` for the
 * local correlation) and the probability maps. Sets the B-factor column from the confidence when
 * `writeBFactors` (default true).
 */
export function residueQuality(s: BuiltStructure, maps: { normalised: Volume; raw: Volume; probabilities: ProbabilityMaps; resolutionA: number }, opts: { writeBFactors?: boolean; weights?: readonly number[] } = {}): ResidueQuality[] {
  const val = validateModel(s, maps.raw, { resolutionA: maps.resolutionA });
  const ccOf = new Map(val.residues.map((r) => [`${r.chain}:${r.seqNum}:${r.insCode}`, r.mapCC]));
  const ch = (c: 'sugar' | 'phosphate' | 'base') => ProbabilityMaps.channel(maps.probabilities, c);
  const sugar = ch('sugar'), phos = ch('phosphate'), base = ch('base');
  const rows: ResidueQuality[] = [];
  s.chains.forEach((chain, ci) => {
    const info = s.chainInfo?.[ci];
    chain.residues.forEach((r, k) => {
      let mv = 0, n = 0;
      for (const a of r.atoms) { mv += V.interpolateAngstrom(maps.normalised, a.x, a.y, a.z); n++; }
      const c4 = r.atoms.find((a) => a.name === "C4'") ?? null;
      const P = r.atoms.find((a) => a.name === 'P') ?? null;
      const partial = {
        chain: chain.id, seqNum: r.seqNum, name: r.name, assigned: Boolean(info?.assigned), record: info?.assigned?.recordChainId ?? null,
        mapValue: n ? mv / n : 0, localCC: ccOf.get(`${chain.id}:${r.seqNum}:${r.insCode}`) ?? null,
        sugarProb: at(sugar, c4) ?? 0, phosphateProb: at(phos, P), baseProb: at(base, centroid(r, BASE_RING)) ?? 0,
        baseCallProb: info?.baseCallProbability?.[k] ?? null,
      };
      const confidence = confidenceOf(partial, opts.weights);
      const bFactorA2 = Math.round((B_FACTOR_MIN_A2 + B_FACTOR_RANGE_A2 * (1 - confidence)) * 100) / 100;
      if (opts.writeBFactors ?? true) for (const a of r.atoms) a.bFactor = bFactorA2;
      rows.push({ ...partial, confidence, bFactorA2 });
    });
  });
  return rows;
}

const median = (xs: number[]) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export function modelQuality(s: BuiltStructure, rows: readonly ResidueQuality[]): ModelQuality {
  const n = rows.length;
  const assigned = rows.filter((r) => r.assigned).length;
  const cc = median(rows.map((r) => r.localCC).filter((x): x is number => x !== null));
  const mv = median(rows.map((r) => r.mapValue)) ?? 0;
  const clashes = clashScore(s).clashesPer1000;
  const meanConfidence = n ? rows.reduce((a, r) => a + r.confidence, 0) / n : 0;
  const line = `${n} nucleotides in ${s.chains.length} chains; ${assigned} (${n ? Math.round((100 * assigned) / n) : 0} %) carry the FASTA sequence; `
    + `median local map-model CC ${cc === null ? 'n/a' : cc.toFixed(2)}; ${clashes.toFixed(0)} clashes per 1000 atoms; mean confidence ${meanConfidence.toFixed(2)}`;
  return { nucleotides: n, chains: s.chains.length, assignedFraction: n ? assigned / n : 0, medianLocalCC: cc, medianMapValue: mv, clashesPer1000: clashes, meanConfidence, line };
}

const CSV_COLUMNS: (keyof ResidueQuality)[] = ['chain', 'seqNum', 'name', 'assigned', 'record', 'mapValue', 'localCC', 'sugarProb', 'phosphateProb', 'baseProb', 'baseCallProb', 'confidence', 'bFactorA2'];

/** RFC 4180 CSV of the per-residue table. */
export function residueQualityCsv(rows: readonly ResidueQuality[]): string {
  const cell = (v: unknown) => {
    if (v === null || v === undefined) return '';
    if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(4);
    const t = String(v);
    return /[",\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
  };
  return [CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n';
}
