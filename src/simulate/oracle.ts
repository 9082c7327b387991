/**
 * Oracle detection: the 8-channel ProbabilityMaps (CryoREAD stage-2 order: sugar, phosphate, A, UT,
 * C, G, protein, base) that a perfect, or deliberately degraded, detector would output for a known
 * structure. Lets every stage after detection be developed, tested and tuned without a network.
 *
 * Shape: each atom of a class contributes a Gaussian blob q = peak * exp(-d^2 / (2 blurA^2)) (cut at
 * 3 blurA) to its channel(s); blobs combine as a probabilistic OR, p = 1 - prod(1 - q), so values stay
 * in [0, 1], reach ~peak at the atoms and fall off smoothly like a sigmoid detector's output.
 * Base atoms feed the base(any) channel and their nucleotide's base-type channel.
 * Degradations (all seeded): whole nucleotides dropped, spurious blobs added, wrong base types.
 */
import { ProbabilityMaps, type ProbabilityChannel, PROBABILITY_CHANNELS } from '../grid/probability-maps.js';
import { Volume, type GridFrame } from '../grid/volume.js';
import type { Structure } from '../structure/model.js';
import { InputError } from '../util/errors.js';
import { report, type StageContext } from '../util/progress.js';
import { AtomClass, flattenAtoms } from './atom-classes.js';
import { subRng } from './noise.js';
import { forEachVoxelInSphere } from './splat.js';
import { runSteps, runStepsAsync, type Steps } from './steps.js';

export interface OracleParams {
  /** Blob width: Gaussian sigma (A) of each atom's contribution. @default 1 */
  blurA: number;
  /** Peak probability one atom contributes at its own position (< 1 keeps log(1 - q) finite). @default 0.98 */
  peak: number;
  /** Fraction (0..1) of nucleotides removed from every channel (missed detections). @default 0 */
  dropout: number;
  /** Spurious blobs per nucleotide (sugar, phosphate or base with a random type, inside the atoms' bounding box). @default 0 */
  falsePositiveRate: number;
  /** Fraction (0..1) of nucleotides whose base-type channel is right; the rest get a random wrong type. @default 1 */
  baseTypeAccuracy: number;
  /** Seed for the degradations. @default 0 */
  seed: number;
}

export const DEFAULT_ORACLE_PARAMS: OracleParams = { blurA: 1, peak: 0.98, dropout: 0, falsePositiveRate: 0, baseTypeAccuracy: 1, seed: 0 };

const CLASS_CHANNEL: Record<number, ProbabilityChannel | undefined> = {
  [AtomClass.Sugar]: 'sugar', [AtomClass.Phosphate]: 'phosphate', [AtomClass.Base]: 'base', [AtomClass.Protein]: 'protein',
};
const BASE_TYPE_CHANNEL: readonly ProbabilityChannel[] = ['A', 'UT', 'C', 'G'];
const STAGE = 'simulate/oracle';

function check(p: OracleParams): void {
  const bad = (field: string, v: number, fix: string) => { throw new InputError('ORACLE_PARAM', `oracleProbabilities: ${field}=${v} is invalid; ${fix}`); };
  if (!(p.blurA > 0)) bad('blurA', p.blurA, 'give a positive blob width in Angstroms');
  if (!(p.peak > 0 && p.peak < 1)) bad('peak', p.peak, 'give a probability in (0, 1)');
  if (!(p.dropout >= 0 && p.dropout <= 1)) bad('dropout', p.dropout, 'give a fraction in [0, 1]');
  if (!(p.falsePositiveRate >= 0)) bad('falsePositiveRate', p.falsePositiveRate, 'give a number of blobs per nucleotide >= 0');
  if (!(p.baseTypeAccuracy >= 0 && p.baseTypeAccuracy <= 1)) bad('baseTypeAccuracy', p.baseTypeAccuracy, 'give a fraction in [0, 1]');
}

/** Exactly round(fraction * n) distinct indices of 0..n-1 chosen at random, as a 0/1 mask. */
function randomSubset(n: number, fraction: number, rng: ReturnType<typeof subRng>): Uint8Array {
  const k = Math.round(fraction * n);
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  const mask = new Uint8Array(n);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    const t = idx[i]; idx[i] = idx[j]; idx[j] = t;
    mask[idx[i]] = 1;
  }
  return mask;
}

/** Oracle probability maps of `structure` on `frame` (synchronous; progress and abort between chunks). */
export function oracleProbabilities(structure: Structure, frame: GridFrame, params: Partial<OracleParams> = {}, ctx?: StageContext): ProbabilityMaps {
  return runSteps(oracleSteps(structure, frame, params, ctx), ctx, STAGE);
}

/** oracleProbabilities that lets the event loop run between chunks. */
export function oracleProbabilitiesAsync(structure: Structure, frame: GridFrame, params: Partial<OracleParams> = {}, ctx?: StageContext): Promise<ProbabilityMaps> {
  return runStepsAsync(oracleSteps(structure, frame, params, ctx), ctx, STAGE);
}

function* oracleSteps(structure: Structure, frame: GridFrame, params: Partial<OracleParams>, ctx?: StageContext): Steps<ProbabilityMaps> {
  const p = { ...DEFAULT_ORACLE_PARAMS, ...params };
  check(p);
  const f = Volume.frameOf(frame);
  const n = f.shape[0] * f.shape[1] * f.shape[2];
  const atoms = flattenAtoms(structure);
  // Channels first hold sum(log(1 - q)) (<= 0), turned into probabilities at the end.
  const acc = {} as Record<ProbabilityChannel, Float32Array>;
  for (const c of PROBABILITY_CHANNELS) acc[c] = new Float32Array(n);

  const nNt = atoms.nucleotideCount;
  const dropped = randomSubset(nNt, p.dropout, subRng(p.seed, 10));
  const wrong = randomSubset(nNt, 1 - p.baseTypeAccuracy, subRng(p.seed, 11));
  const typeRng = subRng(p.seed, 12);
  const ntType = new Int8Array(nNt).fill(-1);
  for (let i = 0; i < atoms.count; i++) {
    const nt = atoms.nucleotide[i];
    if (nt >= 0 && ntType[nt] < 0 && atoms.baseType[i] >= 0) {
      const t = atoms.baseType[i];
      ntType[nt] = wrong[nt] ? (t + 1 + typeRng.int(3)) % 4 : t;
    }
  }

  const inv = -0.5 / (p.blurA * p.blurA);
  const radius = 3 * p.blurA;
  const paint = (x: number, y: number, z: number, peak: number, a: Float32Array, b: Float32Array | null) => {
    forEachVoxelInSphere(f, x, y, z, radius, (o, d2) => {
      const l = Math.log1p(-peak * Math.exp(inv * d2));
      a[o] += l;
      if (b) b[o] += l;
    });
  };
  for (let i = 0; i < atoms.count; i++) {
    if ((i & 4095) === 4095) { report(ctx, STAGE, i, atoms.count, 'atoms'); yield; }
    const ch = CLASS_CHANNEL[atoms.cls[i]];
    if (!ch) continue;
    const nt = atoms.nucleotide[i];
    if (nt >= 0 && dropped[nt]) continue;
    const t = atoms.cls[i] === AtomClass.Base && nt >= 0 ? ntType[nt] : -1;
    paint(atoms.x[i], atoms.y[i], atoms.z[i], p.peak, acc[ch], t >= 0 ? acc[BASE_TYPE_CHANNEL[t]] : null);
  }

  // Spurious blobs: floor(rate * N) plus one more with the fractional remainder as probability.
  const fpRng = subRng(p.seed, 13);
  const expected = p.falsePositiveRate * nNt;
  const nFp = Math.floor(expected) + (fpRng.next() < expected - Math.floor(expected) ? 1 : 0);
  if (nFp > 0 && atoms.count > 0) {
    const lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
    const xyz = [atoms.x, atoms.y, atoms.z];
    for (let k = 0; k < 3; k++) for (let i = 0; i < atoms.count; i++) { lo[k] = Math.min(lo[k], xyz[k][i]); hi[k] = Math.max(hi[k], xyz[k][i]); }
    const kinds: ProbabilityChannel[] = ['sugar', 'phosphate', 'base'];
    for (let k = 0; k < nFp; k++) {
      const x = fpRng.uniform(lo[0], hi[0]), y = fpRng.uniform(lo[1], hi[1]), z = fpRng.uniform(lo[2], hi[2]);
      const ch = kinds[fpRng.int(3)];
      const peak = fpRng.uniform(0.3, 0.9);
      const type = ch === 'base' ? acc[BASE_TYPE_CHANNEL[fpRng.int(4)]] : null;
      paint(x, y, z, peak, acc[ch], type);
    }
  }
  for (const c of PROBABILITY_CHANNELS) {
    const a = acc[c];
    for (let i = 0; i < n; i++) a[i] = a[i] === 0 ? 0 : -Math.expm1(a[i]);
    yield;
  }
  report(ctx, STAGE, atoms.count, atoms.count, 'atoms');
  return ProbabilityMaps.create(f, acc);
}
