/**
 * Nucleotide-level base caller: base type (A, U/T, C, G) of each traced nucleotide read from the map
 * density on a small grid in a local frame of the backbone, by a small fully connected network
 * trained on simulated maps (training/train_base_caller.py; card in models/MODEL_CARD.md).
 *
 * Why: the detection network's A/UT/C/G channels are near chance per nucleotide (~0.30 at the true
 * C1'), and the evidence CryoREAD reads from them is taken at the base node nearest the sugar, which
 * on network maps lies a median 6.4 A from the nucleotide's own base (0.21 correct on held-out maps).
 * A frame fixed to the backbone removes the rotations a voxel classifier must learn, so even a small
 * model sees where the base is and how far it reaches (purine or pyrimidine).
 *
 * Frame of a sugar point s with backbone neighbours a (before) and b (after), each at least
 * `neighbourMinA` away along its path: e1 = unit(b - a) (tangent), e2 = unit component of
 * (a + b) / 2 - s normal to e1 (towards the centre of curvature: in helices the bases point that
 * way), e3 = e1 x e2. The density is sampled (trilinear) at s + u e1 + v e2 + w e3 for u, v, w on the
 * card's grid (u slowest, w fastest) and standardised (zero mean, unit variance), so the map's
 * scale does not matter. Reversing the path flips e1 and e3; the model is trained with both.
 *
 * Template frame (card field `frame: "template"`, base-caller-v3; not in the original): on re-threaded
 * paths each nucleotide has its own 5' and 3' phosphates, and the nucleotide templates superposed on
 * (P5', sugar point, P3') put the base centroid within ~0.7 A of the true one (build/template-base.ts).
 * The grid is then centred on that point with axes e1 = P5'->P3', e2 = sugar->base, e3 = e1 x e2
 * (templateBaseFrame), so the model sees the base itself, not a guess 36 degrees off. Reading order
 * matters in this frame (the base lies on the other side when read backwards): nodes are read in the
 * path's 5'->3' order, which the direction vote of re-threading decided, and also backwards
 * (baseEvidenceReverse) for sequence assignment's reversed alignments. Traced points are off by ~1.4 A
 * (median, independent maps), which costs more than the map does (0.57 correct on true points, 0.44 on
 * traced ones), so a card may ask for test-time averaging (`testTimeSamples`, `testTimeJitterA`): the
 * log-probabilities of the exact reading and of samples-1 readings with the three points jittered
 * (Gaussian, per axis, a fixed seed per call: deterministic) are combined (geometric mean).
 *
 * Frame search (callBases' default for template cards, not in the original): of `candidates` jittered
 * frames, only the `keep` whose density correlates best with an ideal nucleotide's (frame-fit.ts) are
 * read; it replaces the card's blind test-time averaging (independent maps: accuracy 0.457 -> ~0.50).
 */
import { readFileSync } from 'node:fs';
import { Volume, type Vec3 } from '../grid/volume.js';
import { cross, sub, unit, dot } from '../math/rotation.js';
import { templateBaseFrame } from '../build/template-base.js';
import { ModelError } from '../util/errors.js';
import { report, throwIfAborted, type StageContext } from '../util/progress.js';
import { Rng } from '../util/random.js';
import type { BackbonePath, BaseEvidence, TracedNode } from './types.js';
import { DEFAULT_FRAME_SEARCH, frameFit, gridAxis, nucleotideFrameModel, type FrameSearchParams } from './frame-fit.js';

/** Sampling grid of the local frame, Angstroms: [first, last] per axis and one step for all three. */
export interface BaseCallerGrid {
  stepA: number;
  /** Along the backbone tangent e1. */
  tangentA: [number, number];
  /** Along e2, towards the centre of curvature (where the base usually is). */
  inwardA: [number, number];
  /** Along e3 = e1 x e2. */
  normalA: [number, number];
}

/** One dense layer: out = W in + b, W row-major [outSize][inSize]. */
export interface DenseLayer {
  inSize: number;
  outSize: number;
  weights: Float32Array;
  bias: Float32Array;
}

/** How the sampling grid is fixed to a nucleotide: see the module comment. */
export type BaseCallerFrame = 'curvature' | 'template';

export interface BaseCaller {
  name: string;
  /** 'curvature' (v1, v2: from three sugar points) or 'template' (v3: from P5', sugar, P3'). */
  frame: BaseCallerFrame;
  grid: BaseCallerGrid;
  /** Backbone neighbours used for the frame are the first path nodes at least this far from the sugar, A. */
  neighbourMinA: number;
  /** ReLU between layers, softmax over [A, UT, C, G] after the last. */
  layers: DenseLayer[];
  /** Template frame: readings averaged per nucleotide (1 = the exact points only) and their jitter, A per axis. */
  testTimeSamples: number;
  testTimeJitterA: number;
  /** Every other card field, kept as read (training command, metrics). */
  extra: Record<string, unknown>;
}

export const DEFAULT_BASE_CALLER_GRID: Readonly<BaseCallerGrid> = Object.freeze({ stepA: 1.5, tangentA: [-6, 6] as [number, number], inwardA: [-3, 9] as [number, number], normalA: [-6, 6] as [number, number] });

/** Grid of the template frame: centred on the template base centroid, 1.5 A steps, +-6 A on each axis. */
export const DEFAULT_TEMPLATE_GRID: Readonly<BaseCallerGrid> = Object.freeze({ stepA: 1.5, tangentA: [-6, 6] as [number, number], inwardA: [-6, 6] as [number, number], normalA: [-6, 6] as [number, number] });

/** Number of features (grid points) of a grid. */
export function featureCount(g: BaseCallerGrid): number {
  return gridAxis(g.tangentA, g.stepA).length * gridAxis(g.inwardA, g.stepA).length * gridAxis(g.normalA, g.stepA).length;
}

/** Local frame [e1, e2, e3] of sugar point s between backbone neighbours a and b; null when degenerate (straight or too short). */
export function backboneFrame(a: Vec3, s: Vec3, b: Vec3): [Vec3, Vec3, Vec3] | null {
  const t = sub(b, a);
  if (Math.hypot(t[0], t[1], t[2]) < 1) return null;
  const e1 = unit(t);
  const m: Vec3 = [(a[0] + b[0]) / 2 - s[0], (a[1] + b[1]) / 2 - s[1], (a[2] + b[2]) / 2 - s[2]];
  const k = dot(m, e1);
  const n: Vec3 = [m[0] - k * e1[0], m[1] - k * e1[1], m[2] - k * e1[2]];
  if (Math.hypot(n[0], n[1], n[2]) < 0.2) return null;
  const e2 = unit(n);
  return [e1, e2, cross(e1, e2)];
}

/**
 * Standardised density samples on the frame grid of sugar point s (neighbours a, b), written into
 * `out` (length featureCount(grid)); null when the frame is degenerate or the samples are flat.
 */
export function baseCallerFeatures(density: Volume, a: Vec3, s: Vec3, b: Vec3, grid: BaseCallerGrid, out?: Float32Array): Float32Array | null {
  const f = backboneFrame(a, s, b);
  return f ? sampleFrame(density, s, f, grid, out) : null;
}

/**
 * Standardised density samples on the template frame of a nucleotide with 5' phosphate p5, sugar point s
 * and 3' phosphate p3 (grid centred on the template base centroid); null when degenerate or flat.
 */
export function templateFrameFeatures(density: Volume, p5: Vec3, s: Vec3, p3: Vec3, grid: BaseCallerGrid, out?: Float32Array): Float32Array | null {
  const f = templateBaseFrame(p5, s, p3);
  return f ? sampleFrame(density, f.originA, f.axes, grid, out) : null;
}

/** Density at origin + u e1 + v e2 + w e3 over the grid (u slowest), standardised; null when flat. */
function sampleFrame(density: Volume, s: Vec3, [e1, e2, e3]: readonly [Vec3, Vec3, Vec3], grid: BaseCallerGrid, out?: Float32Array): Float32Array | null {
  const us = gridAxis(grid.tangentA, grid.stepA), vs = gridAxis(grid.inwardA, grid.stepA), ws = gridAxis(grid.normalA, grid.stepA);
  const o = out ?? new Float32Array(us.length * vs.length * ws.length);
  let k = 0, sum = 0, sum2 = 0;
  for (const u of us) for (const v of vs) for (const w of ws) {
    const x = s[0] + u * e1[0] + v * e2[0] + w * e3[0];
    const y = s[1] + u * e1[1] + v * e2[1] + w * e3[1];
    const z = s[2] + u * e1[2] + v * e2[2] + w * e3[2];
    const d = Volume.interpolateAngstrom(density, x, y, z);
    o[k++] = d;
    sum += d;
    sum2 += d * d;
  }
  const mean = sum / k, sd = Math.sqrt(Math.max(0, sum2 / k - mean * mean));
  if (!(sd > 1e-9)) return null;
  for (let i = 0; i < k; i++) o[i] = (o[i] - mean) / (sd + 1e-6);
  return o;
}

/**
 * Template-frame evidence of one nucleotide read p5 -> p3: the exact reading, plus the card's
 * test-time samples with jittered points (geometric mean of the probabilities, renormalised); null when the exact
 * reading is degenerate.
 */
export function templateReading(caller: BaseCaller, density: Volume, p5: Vec3, s: Vec3, p3: Vec3, rng: Rng, buf?: Float32Array): BaseEvidence | null {
  const f = templateFrameFeatures(density, p5, s, p3, caller.grid, buf);
  if (!f) return null;
  const first = predictBaseType(caller, f);
  if (caller.testTimeSamples <= 1) return first;
  const logp = first.map((x) => Math.log(x + 1e-6));
  const sd = caller.testTimeJitterA;
  const jit = (v: Vec3): Vec3 => [v[0] + sd * rng.normal(), v[1] + sd * rng.normal(), v[2] + sd * rng.normal()];
  let readings = 1;
  for (let t = 1; t < caller.testTimeSamples; t++) {
    const g = templateFrameFeatures(density, jit(p5), jit(s), jit(p3), caller.grid, buf);
    if (!g) continue;
    predictBaseType(caller, g).forEach((x, b) => (logp[b] += Math.log(x + 1e-6)));
    readings++;
  }
  return geometricMeanOfReadings(logp, readings);
}

/**
 * Renormalised geometric mean of `count` readings from their summed log-probabilities. Not their product:
 * the jittered readings of one nucleotide are not independent observations, and their product sharpened the
 * calls n-fold (8 readings on the independent-generator maps: mean log P(true base) -3.02, worse than a
 * uniform guess's -1.39; the geometric mean -1.18), so a few confident wrong calls outweighed many right ones
 * in alignment.
 */
function geometricMeanOfReadings(sumLogp: readonly number[], count: number): BaseEvidence {
  const m = Math.max(...sumLogp);
  const e = sumLogp.map((x) => Math.exp((x - m) / count));
  const z = e[0] + e[1] + e[2] + e[3];
  return [e[0] / z, e[1] / z, e[2] / z, e[3] / z];
}

/**
 * The frame search of one nucleotide read p5 -> p3 (frame-fit.ts): the traced frame and candidates - 1
 * frames with the three points jittered are scored by their fit to the ideal nucleotide density; returns the
 * readings (feature vectors) of the `keep` best, best first, or null when the traced frame is degenerate.
 * Shared by searchedTemplateReading and the training-data script that teaches the caller these frames
 * (training/make-searched-base-caller-data.ts).
 */
export function searchFrames(grid: BaseCallerGrid, density: Volume, p5: Vec3, s: Vec3, p3: Vec3, rng: Rng, search: Readonly<FrameSearchParams>): Float32Array[] | null {
  const model = nucleotideFrameModel(grid, search.modelSigmaA);
  const sd = search.jitterA;
  const jit = (v: Vec3): Vec3 => [v[0] + sd * rng.normal(), v[1] + sd * rng.normal(), v[2] + sd * rng.normal()];
  // The `keep` best frames so far, best first; a candidate is sampled into `scratch` and copied only when it
  // enters (no allocation per candidate: this runs twice per traced nucleotide).
  const keep = Math.max(1, search.keep);
  const best: { fit: number; features: Float32Array }[] = [];
  let scratch = new Float32Array(featureCount(grid));
  for (let t = 0; t < search.candidates; t++) {
    const features = t === 0 ? templateFrameFeatures(density, p5, s, p3, grid, scratch) : templateFrameFeatures(density, jit(p5), jit(s), jit(p3), grid, scratch);
    if (!features) {
      if (t === 0) return null;
      continue;
    }
    const fit = frameFit(features, model);
    if (best.length === keep && fit <= best[keep - 1].fit) continue;
    const evicted = best.length === keep ? best.pop()!.features : new Float32Array(scratch.length);
    let at = best.length;
    while (at > 0 && best[at - 1].fit < fit) at--;
    best.splice(at, 0, { fit, features: scratch });
    scratch = evicted;
  }
  return best.map((b) => b.features);
}

/**
 * Template-frame evidence of one nucleotide read p5 -> p3 with a frame search (searchFrames): the readings
 * of the best-fitting frames combined by geometric mean (as templateReading's). Null when the traced frame
 * is degenerate.
 */
export function searchedTemplateReading(caller: BaseCaller, density: Volume, p5: Vec3, s: Vec3, p3: Vec3, rng: Rng, search: Readonly<FrameSearchParams>): BaseEvidence | null {
  const frames = searchFrames(caller.grid, density, p5, s, p3, rng, search);
  if (!frames) return null;
  const logp = [0, 0, 0, 0];
  for (const f of frames) predictBaseType(caller, f).forEach((x, b) => (logp[b] += Math.log(x + 1e-6)));
  return geometricMeanOfReadings(logp, frames.length);
}

/** Logits of a ReLU network (ReLU between layers, none after the last) for one feature vector. */
export function denseForward(layers: readonly DenseLayer[], features: Float32Array): Float32Array {
  let x: Float32Array = features;
  layers.forEach((L, li) => {
    const y = new Float32Array(L.outSize);
    for (let o = 0; o < L.outSize; o++) {
      let acc = L.bias[o];
      const row = o * L.inSize;
      for (let i = 0; i < L.inSize; i++) acc += L.weights[row + i] * x[i];
      y[o] = li < layers.length - 1 && acc < 0 ? 0 : acc;
    }
    x = y;
  });
  return x;
}

/** Softmax probabilities [A, UT, C, G] of one feature vector. */
export function predictBaseType(caller: BaseCaller, features: Float32Array): BaseEvidence {
  const x = denseForward(caller.layers, features);
  const m = Math.max(x[0], x[1], x[2], x[3]);
  const e = [0, 1, 2, 3].map((i) => Math.exp(x[i] - m));
  const z = e[0] + e[1] + e[2] + e[3];
  return [e[0] / z, e[1] / z, e[2] / z, e[3] / z];
}

function float32FromBase64(b64: string): Float32Array {
  const buf = Buffer.from(b64, 'base64');
  const out = new Float32Array(buf.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(4 * i);
  return out;
}

/**
 * The `layers` field of a card: [{ inSize, outSize, weights, bias }] with weights and bias as base64
 * little-endian float32, chained from `inSize` features to `outSize` outputs (named in messages by `outputs`).
 */
export function parseDenseLayers(value: unknown, inSize: number, outSize: number, outputs: string, bad: (field: string, want: string) => never): DenseLayer[] {
  if (!Array.isArray(value) || value.length === 0) bad('layers', 'a non-empty array of { inSize, outSize, weights, bias }');
  let expectIn = inSize;
  const layers = (value as Record<string, unknown>[]).map((L, i) => {
    const name = `layers[${i}]`;
    if (L.inSize !== expectIn || !Number.isInteger(L.outSize) || (L.outSize as number) < 1) bad(name, `{ inSize: ${expectIn}, outSize >= 1 }`);
    if (typeof L.weights !== 'string' || typeof L.bias !== 'string') bad(name, 'weights and bias as base64 float32');
    const weights = float32FromBase64(L.weights as string), bias = float32FromBase64(L.bias as string);
    if (weights.length !== expectIn * (L.outSize as number) || bias.length !== L.outSize) bad(name, `${expectIn} x ${L.outSize} weights and ${L.outSize} biases`);
    expectIn = L.outSize as number;
    return { inSize: L.inSize as number, outSize: L.outSize as number, weights, bias };
  });
  if (expectIn !== outSize) bad('layers', `a last layer with ${outSize} outputs (${outputs})`);
  return layers;
}

/**
 * The JSON object of a card of the given `kind` (shared by the base caller and the nucleic-acid classifier),
 * and a `bad(field, want)` that throws `<code>_FIELD` ModelErrors naming the file and the field.
 */
export function openCard(text: string, source: string, kind: string, code: string): { o: Record<string, unknown>; bad: (field: string, want: string) => never } {
  const bad = (field: string, want: string): never => {
    throw new ModelError(`${code}_FIELD`, `${source}: field "${field}" should be ${want}; re-export with training/train_base_caller.py`, source);
  };
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new ModelError(`${code}_JSON`, `${source}: not valid JSON (${(e as Error).message}); re-export with training/train_base_caller.py`, source);
  }
  if (o === null || typeof o !== 'object' || Array.isArray(o)) bad('(root)', 'a JSON object');
  if (o.kind !== kind) bad('kind', `"${kind}"`);
  return { o, bad };
}

/** The `grid` field of a card. */
export function parseCardGrid(value: unknown, bad: (field: string, want: string) => never): BaseCallerGrid {
  const g = value as Record<string, unknown> | undefined;
  const pair = (v: unknown): v is [number, number] => Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number') && (v[0] as number) <= (v[1] as number);
  if (!g || typeof g !== 'object' || !(typeof g.stepA === 'number' && g.stepA > 0) || !pair(g.tangentA) || !pair(g.inwardA) || !pair(g.normalA)) bad('grid', '{ stepA > 0, tangentA, inwardA, normalA: [first, last] }');
  return { stepA: g!.stepA as number, tangentA: g!.tangentA as [number, number], inwardA: g!.inwardA as [number, number], normalA: g!.normalA as [number, number] };
}

/** The fields of a card not in `known`, kept as read (training command, metrics). */
export function extraCardFields(o: Record<string, unknown>, known: readonly string[]): Record<string, unknown> {
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (!known.includes(k)) extra[k] = v;
  return extra;
}

/** Parses and checks a base-caller card (JSON; weights as base64 little-endian float32). `source` names the file in messages. */
export function parseBaseCaller(text: string, source: string): BaseCaller {
  const { o, bad } = openCard(text, source, 'base-caller', 'BASE_CALLER');
  if (o.frame !== undefined && o.frame !== 'curvature' && o.frame !== 'template') bad('frame', '"curvature" or "template" (absent = "curvature")');
  const frame: BaseCallerFrame = o.frame === 'template' ? 'template' : 'curvature';
  if (o.testTimeSamples !== undefined && !(Number.isInteger(o.testTimeSamples) && (o.testTimeSamples as number) >= 1)) bad('testTimeSamples', 'an integer >= 1 (absent = 1)');
  if (o.testTimeJitterA !== undefined && !(typeof o.testTimeJitterA === 'number' && o.testTimeJitterA >= 0)) bad('testTimeJitterA', 'a distance >= 0 in Angstroms');
  const grid = parseCardGrid(o.grid, bad);
  if (!(typeof o.neighbourMinA === 'number' && o.neighbourMinA > 0)) bad('neighbourMinA', 'a positive distance in Angstroms');
  const layers = parseDenseLayers(o.layers, featureCount(grid), 4, 'A, UT, C, G', bad);
  const extra = extraCardFields(o, ['kind', 'name', 'frame', 'grid', 'neighbourMinA', 'layers', 'testTimeSamples', 'testTimeJitterA']);
  return {
    name: typeof o.name === 'string' ? o.name : source, frame, grid, neighbourMinA: o.neighbourMinA as number, layers,
    testTimeSamples: (o.testTimeSamples as number | undefined) ?? 1, testTimeJitterA: (o.testTimeJitterA as number | undefined) ?? 0, extra,
  };
}

/** Reads a base-caller card from a file. */
export function readBaseCaller(path: string): BaseCaller {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ModelError('BASE_CALLER_MISSING', `${path}: base caller not found; give an existing file or run without the base caller (baseCaller: null)`, path);
  }
  return parseBaseCaller(text, path);
}

/** Index of the first node from i stepping by `step` that is at least minA from node i, or -1 at the path end. */
function neighbourIndex(nodes: readonly TracedNode[], i: number, step: 1 | -1, minA: number): number {
  const s = nodes[i].sugarA;
  for (let j = i + step; j >= 0 && j < nodes.length; j += step) {
    const q = nodes[j].sugarA;
    if (Math.hypot(q[0] - s[0], q[1] - s[1], q[2] - s[2]) >= minA) return j;
  }
  return -1;
}

/**
 * Backbone neighbours (before, after) of node i for the frame. At a path end the missing one is
 * extrapolated from the next two on the other side (quadratic: p(-1) = 3 p(0) - 3 p(1) + p(2)), which
 * keeps the local curvature; null when the path has fewer than three usable points.
 */
function frameNeighbours(nodes: readonly TracedNode[], i: number, minA: number): [Vec3, Vec3] | null {
  const ia = neighbourIndex(nodes, i, -1, minA), ib = neighbourIndex(nodes, i, 1, minA);
  const s = nodes[i].sugarA;
  const extrapolate = (j: number, step: 1 | -1): Vec3 | null => {
    const k = neighbourIndex(nodes, j, step, minA);
    if (k < 0) return null;
    const b = nodes[j].sugarA, c = nodes[k].sugarA;
    return [3 * s[0] - 3 * b[0] + c[0], 3 * s[1] - 3 * b[1] + c[1], 3 * s[2] - 3 * b[2] + c[2]];
  };
  if (ia >= 0 && ib >= 0) return [nodes[ia].sugarA, nodes[ib].sugarA];
  if (ib >= 0) { const a = extrapolate(ib, 1); return a ? [a, nodes[ib].sugarA] : null; }
  if (ia >= 0) { const b = extrapolate(ia, -1); return b ? [nodes[ia].sugarA, b] : null; }
  return null;
}

/**
 * The phosphates around each node of a path, Q[k] 5' of node k and Q[k + 1] 3' of it (n + 1 points):
 * a node's own phosphate, else its neighbour's shared one; a missing point at a path end extrapolated
 * from the next three (quadratic, as frameNeighbours); null where neither is known.
 */
export function pathPhosphates(nodes: readonly TracedNode[]): (Vec3 | null)[] {
  const n = nodes.length;
  const q: (Vec3 | null)[] = Array.from({ length: n + 1 }, (_, k) => (k < n ? nodes[k].phosphate5A : null) ?? (k > 0 ? nodes[k - 1].phosphate3A : null));
  const extrapolate = (a: Vec3 | null, b: Vec3 | null, c: Vec3 | null): Vec3 | null => (a && b && c ? [3 * a[0] - 3 * b[0] + c[0], 3 * a[1] - 3 * b[1] + c[1], 3 * a[2] - 3 * b[2] + c[2]] : null);
  if (!q[0] && n >= 3) q[0] = extrapolate(q[1], q[2], q[3]);
  if (!q[n] && n >= 3) q[n] = extrapolate(q[n - 1], q[n - 2], q[n - 3]);
  return q;
}

/** Seed of the test-time jitter (one stream per callBases call, nodes in path order: deterministic). */
const TEST_TIME_SEED = 20231;

export interface CallBasesOptions {
  /**
   * Template frame: the frame search of each reading (searchedTemplateReading); null reads the traced
   * frame with the card's test-time averaging (templateReading). Default DEFAULT_FRAME_SEARCH.
   */
  frameSearch?: Readonly<FrameSearchParams> | null;
}

export interface BaseCallResult {
  /** Copies of the paths with baseEvidence replaced where the caller could read the node. */
  paths: BackbonePath[];
  /** Nodes whose evidence came from the caller. */
  called: number;
  /** Nodes that kept the detection evidence (paths of fewer than three points, degenerate frames). */
  kept: number;
}

/**
 * Replaces each traced node's base evidence by the caller's probabilities, read from `density` (the
 * prepared map). Template frame: each node between its phosphates (pathPhosphates), read in the path's
 * order (baseEvidence) and backwards (baseEvidenceReverse, used when sequence assignment aligns the path
 * against the reversed sequence); nodes with no phosphate on a side keep their detection evidence. Curvature frame: path ends use an extrapolated
 * neighbour (frameNeighbours); nodes of paths with fewer
 * than three points >= neighbourMinA apart, or on a straight backbone, keep their detection evidence.
 * The input paths are not modified.
 */
export function callBases(paths: readonly BackbonePath[], density: Volume, caller: BaseCaller, ctx?: StageContext, options: CallBasesOptions = {}): BaseCallResult {
  const search = options.frameSearch === undefined ? DEFAULT_FRAME_SEARCH : options.frameSearch;
  const read = (a: Vec3, s: Vec3, b: Vec3, rng: Rng, buf: Float32Array): BaseEvidence | null =>
    search ? searchedTemplateReading(caller, density, a, s, b, rng, search) : templateReading(caller, density, a, s, b, rng, buf);
  const total = paths.reduce((n, p) => n + p.nodes.length, 0);
  const buf = new Float32Array(featureCount(caller.grid));
  let called = 0, kept = 0, done = 0;
  const rng = new Rng(TEST_TIME_SEED);
  const out = paths.map((p) => {
    throwIfAborted(ctx, 'trace/base-caller');
    const q = caller.frame === 'template' ? pathPhosphates(p.nodes) : [];
    const nodes = p.nodes.map((n, i) => {
      let f: Float32Array | null = null;
      if (caller.frame === 'template') {
        const a = q[i], b = q[i + 1];
        const forward = a && b ? read(a, n.sugarA, b, rng, buf) : null;
        const reverse = a && b ? read(b, n.sugarA, a, rng, buf) : null;
        if (forward && reverse) {
          called++;
          return { ...n, baseEvidence: forward, baseEvidenceReverse: reverse };
        }
      } else {
        const ab = frameNeighbours(p.nodes, i, caller.neighbourMinA);
        f = ab ? baseCallerFeatures(density, ab[0], n.sugarA, ab[1], caller.grid, buf) : null;
      }
      if (!f) {
        kept++;
        return n;
      }
      called++;
      return { ...n, baseEvidence: predictBaseType(caller, f) };
    });
    done += p.nodes.length;
    report(ctx, 'trace/base-caller', done, total);
    return { ...p, nodes };
  });
  return { paths: out, called, kept };
}
