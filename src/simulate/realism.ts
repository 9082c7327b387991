/**
 * Training maps that look like deposited cryo-EM maps (issue 13; facts in shared/docs/real-maps.md).
 * Two density models and the map-level effects real maps show and the plain simulator (simulate-map.ts)
 * does not:
 *
 * - 'gaussian': per-atom Gaussians of sigma 0.225 x resolution (simulate-map.ts, ChimeraX molmap).
 * - 'fourier': sharp atoms (sigma of a 1.2 A map plus atomic B) whose spectrum is damped by an
 *   experimental B-factor, then B-sharpened and cut at 1/resolution with a cosine edge (post-processed
 *   maps: ringing next to strong density, sharpened noise); the noise is white noise through the same
 *   sharpening and low-pass, added before nothing else touches the map.
 * - local resolution: a second copy at a worse resolution blended in with the distance from the
 *   molecule's centre (cores sharper than peripheries);
 * - anisotropic resolution (an extra B-factor along one random axis);
 * - raw amplitude scale and offset (maps are not normalised; deposited values span 1e-3..1e2);
 * - masks: 'contour' (zero wherever the map is below a contour, a hard edge, as maps cut at the author's
 *   level) or 'zone' (zero farther than R from any atom, as ChimeraX `volume zone` / segmented maps).
 *
 * Not a CryoREAD stage (the original trains on real maps it does not ship). Deterministic for a seed.
 */
import { Volume, type GridFrame } from '../grid/volume.js';
import type { Structure } from '../structure/model.js';
import { flattenAtoms, type FlatAtoms } from './atom-classes.js';
import { bFactorLowPass, fourierFilter } from './fourier.js';
import { envelopeStats, subRng } from './noise.js';
import { addNoise, DEFAULT_SIMULATE_PARAMS, simulationFrame, splatAtoms, type SimulateParams } from './simulate-map.js';
import { forEachVoxelInSphere } from './splat.js';

export interface RealisticMapParams {
  densityModel: 'gaussian' | 'fourier';
  /** Nominal resolution (A): Gaussian sigma 0.225 x R, or the low-pass cut-off 1/R. */
  resolutionA: number;
  voxelSizeA: number;
  padA: number;
  /** Atomic B-factors: 'none', 'file' or one value (A^2). */
  bFactor: 'none' | 'file' | number;
  /** 'fourier' only: experimental B-factor damping the signal (A^2, >= 0). */
  experimentBA2: number;
  /** 'fourier' only: sharpening B (A^2, >= 0) applied to signal and noise (the post-processing step). */
  sharpenBA2: number;
  /** Extra B (A^2) along `anisotropyAxis` (0 = isotropic). 'fourier' only. */
  anisotropyBA2: number;
  anisotropyAxis: [number, number, number];
  /** Periphery resolution worse than the core by this many A (0 = uniform). */
  localResolutionDeltaA: number;
  /** Envelope SNR (0 = noise-free); coloured fraction and length as simulate-map.ts ('gaussian'). */
  noiseSnr: number;
  noiseColourA: number;
  noiseColourFraction: number;
  localAmplitudeJitter: number;
  /** Multiplies every voxel, then `offset` x (envelope mean) is added. */
  amplitudeScale: number;
  offset: number;
  mask: 'none' | 'contour' | 'zone';
  /** 'contour': quantile (0..1) of the envelope's values used as the contour. */
  maskQuantile: number;
  /** 'zone': radius (A) around every atom that is kept. */
  zoneRadiusA: number;
  seed: number;
}

export const DEFAULT_REALISTIC_PARAMS: RealisticMapParams = {
  densityModel: 'fourier', resolutionA: 3.7, voxelSizeA: 1, padA: 8, bFactor: 'none', experimentBA2: 60, sharpenBA2: 40,
  anisotropyBA2: 0, anisotropyAxis: [0, 0, 1], localResolutionDeltaA: 0, noiseSnr: 3, noiseColourA: 2.5, noiseColourFraction: 0.5,
  localAmplitudeJitter: 0.2, amplitudeScale: 1, offset: 0, mask: 'none', maskQuantile: 0.2, zoneRadiusA: 3, seed: 0,
};

/** Weight in [0, 1] per voxel: 0 in the core (within `r0` of the atoms' centroid), 1 beyond `r1`. */
function peripheryWeight(atoms: FlatAtoms, frame: GridFrame): Float32Array {
  let cx = 0, cy = 0, cz = 0;
  for (let i = 0; i < atoms.count; i++) { cx += atoms.x[i]; cy += atoms.y[i]; cz += atoms.z[i]; }
  cx /= atoms.count || 1; cy /= atoms.count || 1; cz /= atoms.count || 1;
  const d2: number[] = [];
  for (let i = 0; i < atoms.count; i += 7) d2.push((atoms.x[i] - cx) ** 2 + (atoms.y[i] - cy) ** 2 + (atoms.z[i] - cz) ** 2);
  d2.sort((a, b) => a - b);
  const rMax = Math.sqrt(d2[Math.floor(0.9 * (d2.length - 1))] ?? 1);
  const r0 = 0.3 * rMax, r1 = Math.max(r0 + 1, rMax);
  const [nz, ny, nx] = frame.shape;
  const w = new Float32Array(nz * ny * nx);
  const p: [number, number, number] = [0, 0, 0];
  for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) {
    Volume.indexToAngstrom(frame, i, j, k, p);
    const r = Math.hypot(p[0] - cx, p[1] - cy, p[2] - cz);
    w[(k * ny + j) * nx + i] = Math.min(1, Math.max(0, (r - r0) / (r1 - r0)));
  }
  return w;
}

function blend(a: Float32Array, b: Float32Array, w: Float32Array): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] * (1 - w[i]) + b[i] * w[i];
  return out;
}

function gaussianModel(atoms: FlatAtoms, frame: GridFrame, p: RealisticMapParams): Float32Array {
  const sp: SimulateParams = { ...DEFAULT_SIMULATE_PARAMS, resolutionA: p.resolutionA, bFactor: p.bFactor, localAmplitudeJitter: p.localAmplitudeJitter, seed: p.seed };
  let data = splatAtoms(atoms, frame, sp);
  if (p.localResolutionDeltaA > 0) {
    const worse = splatAtoms(atoms, frame, { ...sp, resolutionA: p.resolutionA + p.localResolutionDeltaA });
    data = blend(data, worse, peripheryWeight(atoms, frame));
  }
  addNoise(data, frame, { ...sp, noiseSnr: p.noiseSnr, noiseColourA: p.noiseColourA, noiseColourFraction: p.noiseColourFraction });
  return data;
}

function fourierModel(atoms: FlatAtoms, frame: GridFrame, p: RealisticMapParams): Float32Array {
  const sharp = splatAtoms(atoms, frame, { ...DEFAULT_SIMULATE_PARAMS, resolutionA: 1.2, bFactor: p.bFactor, localAmplitudeJitter: p.localAmplitudeJitter, seed: p.seed });
  const axis = p.anisotropyAxis;
  const netB = p.experimentBA2 - p.sharpenBA2;
  const filters = [bFactorLowPass({ bFactorA2: netB, resolutionA: p.resolutionA, edge: 0.15, axis, axisBA2: p.anisotropyBA2 })];
  if (p.localResolutionDeltaA > 0) {
    // a worse local resolution: lower cut-off and the B-factor that goes with it (B ~ 8 pi^2 <u^2>, ~ 4 d^2 here)
    const r2 = p.resolutionA + p.localResolutionDeltaA;
    filters.push(bFactorLowPass({ bFactorA2: netB + 4 * (r2 * r2 - p.resolutionA * p.resolutionA), resolutionA: r2, edge: 0.15, axis, axisBA2: p.anisotropyBA2 }));
  }
  const outs = fourierFilter(sharp, frame, filters);
  const w = p.localResolutionDeltaA > 0 ? peripheryWeight(atoms, frame) : null;
  const data = w ? blend(outs[0], outs[1], w) : outs[0];
  if (p.noiseSnr > 0) {
    const env = envelopeStats(data);
    const rng = subRng(p.seed, 11);
    const white = new Float32Array(data.length);
    for (let i = 0; i < white.length; i++) white[i] = rng.normal();
    // noise of the micrographs: not damped by the experimental B, but sharpened and low-passed like the signal
    const [noise] = fourierFilter(white, frame, [bFactorLowPass({ bFactorA2: -p.sharpenBA2, resolutionA: p.resolutionA, edge: 0.15 })]);
    let s2 = 0;
    for (let i = 0; i < noise.length; i++) s2 += noise[i] * noise[i];
    const sd = Math.sqrt(s2 / noise.length) || 1;
    const k = Math.sqrt(env.variance / p.noiseSnr) / sd;
    for (let i = 0; i < data.length; i++) data[i] += k * noise[i];
  }
  return data;
}

/** Zeroes voxels below a contour (hard edge) or farther than zoneRadiusA from every atom. */
function applyMask(data: Float32Array, atoms: FlatAtoms, frame: GridFrame, p: RealisticMapParams, clean: { threshold: number }): void {
  if (p.mask === 'contour') {
    const vals: number[] = [];
    for (let i = 0; i < data.length; i++) if (data[i] > clean.threshold) vals.push(data[i]);
    vals.sort((a, b) => a - b);
    const t = vals.length ? vals[Math.floor(p.maskQuantile * (vals.length - 1))] : 0;
    for (let i = 0; i < data.length; i++) if (data[i] < t) data[i] = 0;
  } else if (p.mask === 'zone') {
    const keep = new Uint8Array(data.length);
    for (let i = 0; i < atoms.count; i++) forEachVoxelInSphere(frame, atoms.x[i], atoms.y[i], atoms.z[i], p.zoneRadiusA, (o) => { keep[o] = 1; });
    for (let i = 0; i < data.length; i++) if (!keep[i]) data[i] = 0;
  }
}

/** A realistic map of `structure` (see the module comment); waters and ions in the structure add density. */
export function simulateRealisticMap(structure: Structure, params: Partial<RealisticMapParams> = {}): Volume {
  const p: RealisticMapParams = { ...DEFAULT_REALISTIC_PARAMS, ...params };
  const frame = simulationFrame(structure, { voxelSizeA: p.voxelSizeA, padA: p.padA });
  const atoms = flattenAtoms(structure, true);
  const data = p.densityModel === 'gaussian' ? gaussianModel(atoms, frame, p) : fourierModel(atoms, frame, p);
  const env = envelopeStats(data);
  for (let i = 0; i < data.length; i++) data[i] = data[i] * p.amplitudeScale + p.offset * env.mean * p.amplitudeScale;
  applyMask(data, atoms, frame, p, { threshold: env.threshold * p.amplitudeScale + p.offset * env.mean * p.amplitudeScale });
  return Volume.create(frame, data);
}
