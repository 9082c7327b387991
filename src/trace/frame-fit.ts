/**
 * How well a nucleotide's template frame sits on the map (not in the original): the density an ideal
 * nucleotide would give on the base caller's sampling grid, and the correlation of a reading with it.
 *
 * Why: the base caller reads the map in a frame fixed by three traced points (P5', sugar, P3'), and
 * those points are a median ~1.4 A off on maps we did not simulate, which costs more than the map does
 * (calls 0.57 right on true points, 0.46 on traced ones). Among jittered frames of one nucleotide, the
 * ones whose density looks most like a nucleotide are the better placed; reading the base only in
 * those (base-caller.ts `searchedTemplateReading`) lifts the calls (bench/base-caller, independent maps:
 * accuracy 0.457 -> ~0.50, mean log P(true base) -1.12 -> -1.07).
 *
 * The model: the four RNA templates (template.ts), each with its ideal A-form neighbours on both sides
 * (the template's helix step; in stems the stacked bases are in view of the grid), every heavy atom a
 * Gaussian of `sigmaA`, placed in the frame templateBaseFrame gives the template's own anchors
 * (phosphate-group P5' and P3', sugar-atom centroid: the points re-threading traces), summed over the
 * four bases and standardised like a reading (zero mean, unit variance). Base-independent by
 * construction, so the search does not favour the base it will call.
 */
import type { Vec3 } from '../grid/volume.js';
import { applyTransform, invertTransform } from '../math/kabsch.js';
import { dot, sub } from '../math/rotation.js';
import { nucleotideTemplate } from '../build/template.js';
import { templateBaseFrame } from '../build/template-base.js';
import { ModelError } from '../util/errors.js';
import type { BaseCallerGrid } from './base-caller.js';

/** Test-time frame search of the template-frame base caller (see base-caller.ts searchedTemplateReading). */
export interface FrameSearchParams {
  /** Frames tried per reading: the traced points and candidates - 1 jittered copies. */
  candidates: number;
  /** The best-fitting frames whose readings are averaged (geometric mean). */
  keep: number;
  /** Gaussian jitter of each of the three points, A per axis. */
  jitterA: number;
  /** Width of each atom in the nucleotide model, A. */
  modelSigmaA: number;
}

/**
 * Measured on the 30 independent-generator maps (bench/base-caller, 2,485 traced nodes): 32 frames,
 * 8 kept, 0.8 A. Keeping fewer (4), searching a second, finer round around the best (0.4-0.5 A), or a
 * model without the neighbours all read worse: the fit is a weak signal that over-optimising chases
 * into the neighbours' density.
 */
export const DEFAULT_FRAME_SEARCH: Readonly<FrameSearchParams> = Object.freeze({ candidates: 32, keep: 8, jitterA: 0.8, modelSigmaA: 1.3 });

/** Grid coordinates along one axis of a base-caller grid: first, first + step, ... up to last. */
export function gridAxis(range: readonly [number, number], step: number): number[] {
  const n = Math.floor((range[1] - range[0]) / step + 1e-6) + 1;
  return Array.from({ length: n }, (_, i) => range[0] + i * step);
}

const modelCache = new Map<string, Float32Array>();

/** The standardised ideal-nucleotide density on `grid` (same order as a reading: u slowest, w fastest); cached. */
export function nucleotideFrameModel(grid: BaseCallerGrid, sigmaA: number): Float32Array {
  const key = JSON.stringify([grid, sigmaA]);
  const hit = modelCache.get(key);
  if (hit) return hit;
  const us = gridAxis(grid.tangentA, grid.stepA), vs = gridAxis(grid.inwardA, grid.stepA), ws = gridAxis(grid.normalA, grid.stepA);
  const out = new Float32Array(us.length * vs.length * ws.length);
  const inv2s2 = 1 / (2 * sigmaA * sigmaA);
  for (const name of ['A', 'C', 'G', 'U'] as const) {
    const t = nucleotideTemplate(name);
    const a = t.anchors;
    const f = templateBaseFrame(a.phosphate['phosphate-group'], a.sugar['sugar-atoms'], a.nextPhosphate['phosphate-group']);
    if (!f) throw new ModelError('TEMPLATE_FRAME', `nucleotide template ${name}: its P5', sugar and P3' anchors give no frame; re-run src/build/templates/generate.ts`);
    const prev = invertTransform(t.nextTransform);
    const own = t.atoms.map((x) => x.xyz);
    const atoms: Vec3[] = [...own, ...own.map((x) => applyTransform(t.nextTransform, x)), ...own.map((x) => applyTransform(prev, x))];
    const local = atoms.map((x) => {
      const d = sub(x, f.originA);
      return [dot(d, f.axes[0]), dot(d, f.axes[1]), dot(d, f.axes[2])];
    });
    let k = 0;
    for (const u of us) for (const v of vs) for (const w of ws) {
      let s = 0;
      for (const l of local) {
        const d2 = (l[0] - u) ** 2 + (l[1] - v) ** 2 + (l[2] - w) ** 2;
        if (d2 < 25 * sigmaA * sigmaA) s += Math.exp(-d2 * inv2s2);
      }
      out[k++] += s;
    }
  }
  let mean = 0;
  for (const x of out) mean += x;
  mean /= out.length;
  let v = 0;
  for (const x of out) v += (x - mean) ** 2;
  const sd = Math.sqrt(v / out.length);
  for (let i = 0; i < out.length; i++) out[i] = (out[i] - mean) / sd;
  modelCache.set(key, out);
  return out;
}

/** Pearson correlation of a standardised reading with the standardised model (same length). */
export function frameFit(features: Float32Array, model: Float32Array): number {
  let c = 0;
  for (let i = 0; i < features.length; i++) c += features[i] * model[i];
  return c / features.length;
}
