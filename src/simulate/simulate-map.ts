/**
 * Simulated cryo-EM density from an atomic model: a sum of per-atom 3-D Gaussians.
 *
 * - Weight: zero-angle electron scattering factor f_e(0) x occupancy (see scattering.ts for why not Z).
 *   Each Gaussian is normalised so its integral is that weight (units: A / A^3).
 * - Width: sigma = 0.225 x resolution (ChimeraX `molmap` convention, sigmaFactor = 1/(pi*sqrt(2))).
 *   An atomic B-factor adds B / (8 pi^2) (its mean-square displacement per axis) to sigma^2.
 * - Each atom touches only voxels within `cutoffSigma` x sigma (3 sigma holds 97% of a 3-D Gaussian's mass).
 * - Optional smooth per-region amplitude scaling (local occupancy / local resolution stand-in), then
 *   additive noise: a mix of white and Gaussian-low-passed ("coloured") noise whose variance is set by
 *   `noiseSnr` = variance of the clean map inside its molecular envelope / noise variance.
 * Deterministic for a seed; float32 output.
 */
import { Volume, type GridFrame, type Vec3 } from '../grid/volume.js';
import type { Structure } from '../structure/model.js';
import { InputError } from '../util/errors.js';
import { report, type StageContext } from '../util/progress.js';
import { flattenAtoms, type FlatAtoms } from './atom-classes.js';
import { gridForStructure } from './grid-frame.js';
import { colouredNoiseSteps, envelopeStats, latticeField, subRng } from './noise.js';
import { splatGaussian } from './splat.js';
import { runSteps, runStepsAsync, type Steps } from './steps.js';

/** ChimeraX molmap's default sigmaFactor: sigma = resolution / (pi * sqrt(2)) ~ 0.225 x resolution. */
export const SIGMA_PER_RESOLUTION = 1 / (Math.PI * Math.SQRT2);

export interface SimulateParams {
  /** Map resolution in Angstroms; Gaussian sigma = 0.225 x resolutionA. @default 3.7 */
  resolutionA: number;
  /** Voxel edge in Angstroms (ignored when `frame` is given). @default 1 */
  voxelSizeA: number;
  /** Margin around the atoms in Angstroms (ignored when `frame` is given). @default 8 */
  padA: number;
  /** Origin (A) of voxel (0,0,0); default: bounding box minus padA snapped to the voxel size. */
  originA?: Vec3;
  /** Per-atom B-factor blur: 'none', 'file' (each atom's own B), or one B in A^2 for every atom. @default 'none' */
  bFactor: 'none' | 'file' | number;
  /** Signal variance inside the molecular envelope / noise variance; 0 = no noise. @default 0 */
  noiseSnr: number;
  /** Gaussian low-pass sigma (A) of the coloured noise component. @default 2.5 */
  noiseColourA: number;
  /** Fraction of the noise variance that is coloured (rest is white, per voxel). @default 0.5 */
  noiseColourFraction: number;
  /** 0..1: strength of smooth random per-region amplitude scaling (atom weight x (1 + jitter * field), field of unit variance, factor clamped to [0.1, 2]). @default 0 */
  localAmplitudeJitter: number;
  /** Correlation length (A) of the amplitude-jitter field (lattice spacing). @default 12 */
  localJitterLengthA: number;
  /** Per-atom neighbourhood cut-off in units of that atom's sigma. @default 3 */
  cutoffSigma: number;
  /** Include water molecules (HOH, WAT, ...). @default false */
  includeWater: boolean;
  /** Seed for noise and jitter. @default 0 */
  seed: number;
  /** Simulate on this grid instead of the model's own frame. */
  frame?: GridFrame;
}

export const DEFAULT_SIMULATE_PARAMS: SimulateParams = {
  resolutionA: 3.7,
  voxelSizeA: 1,
  padA: 8,
  bFactor: 'none',
  noiseSnr: 0,
  noiseColourA: 2.5,
  noiseColourFraction: 0.5,
  localAmplitudeJitter: 0,
  localJitterLengthA: 12,
  cutoffSigma: 3,
  includeWater: false,
  seed: 0,
};

const STAGE = 'simulate/map';
const CHUNK = 4096;

export function checkSimulateParams(p: SimulateParams): void {
  const bad = (field: string, value: unknown, fix: string) => {
    throw new InputError('SIMULATE_PARAM', `simulateMap: ${field}=${String(value)} is invalid; ${fix}`);
  };
  if (!(p.resolutionA > 0) || !Number.isFinite(p.resolutionA)) bad('resolutionA', p.resolutionA, 'give a positive resolution in Angstroms');
  if (!(p.noiseSnr >= 0)) bad('noiseSnr', p.noiseSnr, 'give 0 (no noise) or a positive signal-to-noise ratio');
  if (!(p.noiseColourFraction >= 0 && p.noiseColourFraction <= 1)) bad('noiseColourFraction', p.noiseColourFraction, 'give a value in [0, 1]');
  if (!(p.localAmplitudeJitter >= 0 && p.localAmplitudeJitter <= 1)) bad('localAmplitudeJitter', p.localAmplitudeJitter, 'give a value in [0, 1]');
  if (!(p.cutoffSigma > 0)) bad('cutoffSigma', p.cutoffSigma, 'give a positive number of sigmas (3 is usual)');
  if (typeof p.bFactor === 'number' ? !(p.bFactor >= 0) : p.bFactor !== 'none' && p.bFactor !== 'file') {
    bad('bFactor', p.bFactor, "use 'none', 'file' or a B-factor >= 0 in A^2");
  }
}

/** Resolves the simulation grid: the given frame, or the model's frame from voxel size / pad / origin. */
export function simulationFrame(structure: Structure, p: Pick<SimulateParams, 'voxelSizeA' | 'padA' | 'originA' | 'frame'>): GridFrame {
  return p.frame ? Volume.frameOf(p.frame) : gridForStructure(structure, { voxelSizeA: p.voxelSizeA, padA: p.padA, originA: p.originA });
}

/** Clean density (no noise, with amplitude jitter if asked) of flattened atoms on a frame. */
export function splatAtoms(atoms: FlatAtoms, frame: GridFrame, p: SimulateParams, ctx?: StageContext): Float32Array {
  return runSteps(splatAtomsSteps(atoms, frame, p, ctx), ctx, STAGE);
}

function* splatAtomsSteps(atoms: FlatAtoms, frame: GridFrame, p: SimulateParams, ctx?: StageContext): Steps<Float32Array> {
  const data = new Float32Array(frame.shape[0] * frame.shape[1] * frame.shape[2]);
  const sigmaRes = SIGMA_PER_RESOLUTION * p.resolutionA;
  const s2Res = sigmaRes * sigmaRes;
  const jitter = p.localAmplitudeJitter > 0 ? latticeField(atoms.x, atoms.y, atoms.z, p.localJitterLengthA, subRng(p.seed, 1)) : null;
  const uniformB = typeof p.bFactor === 'number' ? p.bFactor : 0;
  const norm = Math.pow(2 * Math.PI, -1.5);
  for (let start = 0; start < atoms.count; start += CHUNK) {
    const end = Math.min(atoms.count, start + CHUNK);
    for (let i = start; i < end; i++) {
      const b = p.bFactor === 'file' ? Math.max(0, atoms.bFactor[i]) : uniformB;
      const s2 = s2Res + b / (8 * Math.PI * Math.PI);
      const sigma = Math.sqrt(s2);
      let w = atoms.weight[i];
      if (jitter) w *= Math.min(2, Math.max(0.1, 1 + p.localAmplitudeJitter * jitter[i]));
      if (w === 0) continue;
      const peak = (w * norm) / (s2 * sigma);
      splatGaussian(data, frame, atoms.x[i], atoms.y[i], atoms.z[i], peak, sigma, p.cutoffSigma * sigma);
    }
    report(ctx, STAGE, end, atoms.count, 'atoms');
    yield;
  }
  return data;
}

/** Adds white + coloured noise at the requested envelope SNR (no-op when noiseSnr is 0). */
export function addNoise(data: Float32Array, frame: GridFrame, p: SimulateParams, ctx?: StageContext): void {
  runSteps(addNoiseSteps(data, frame, p), ctx, STAGE);
}

function* addNoiseSteps(data: Float32Array, frame: GridFrame, p: SimulateParams): Steps<void> {
  if (!(p.noiseSnr > 0)) return;
  const env = envelopeStats(data);
  if (env.variance <= 0) return;
  const sd = Math.sqrt(env.variance / p.noiseSnr);
  const cw = sd * Math.sqrt(p.noiseColourFraction);
  const ww = sd * Math.sqrt(1 - p.noiseColourFraction);
  if (cw > 0) {
    const coloured = yield* colouredNoiseSteps(frame, p.noiseColourA, subRng(p.seed, 2));
    for (let i = 0; i < data.length; i++) data[i] += cw * coloured[i];
    yield;
  }
  if (ww > 0) {
    const rng = subRng(p.seed, 3);
    for (let i = 0; i < data.length; i++) data[i] += ww * rng.normal();
  }
}

function* simulateMapSteps(structure: Structure, params: Partial<SimulateParams>, ctx?: StageContext): Steps<Volume> {
  const p: SimulateParams = { ...DEFAULT_SIMULATE_PARAMS, ...params };
  checkSimulateParams(p);
  const frame = simulationFrame(structure, p);
  const atoms = flattenAtoms(structure, p.includeWater);
  const data = yield* splatAtomsSteps(atoms, frame, p, ctx);
  yield* addNoiseSteps(data, frame, p);
  return Volume.create(frame, data);
}

/**
 * Simulates a density map of `structure` (see the module comment for the model).
 * Synchronous (a 3000-nt structure takes seconds); reports progress and honours abort between chunks.
 */
export function simulateMap(structure: Structure, params: Partial<SimulateParams> = {}, ctx?: StageContext): Volume {
  return runSteps(simulateMapSteps(structure, params, ctx), ctx, STAGE);
}

/** simulateMap that lets the event loop run between chunks (for notebooks and servers). */
export function simulateMapAsync(structure: Structure, params: Partial<SimulateParams> = {}, ctx?: StageContext): Promise<Volume> {
  return runStepsAsync(simulateMapSteps(structure, params, ctx), ctx, STAGE);
}
