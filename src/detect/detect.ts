/**
 * Two-stage detection (reference §5.2-§5.4) over 64^3 boxes of the prepared map:
 *   stage 1: normalised density -> chain (sugar, phosphate, base, protein) + base (A, U, C, G, T);
 *            overlapping boxes averaged, uncovered voxels 0, then UT = max(U, T);
 *   stage 2: the 8 merged stage-1 maps -> 8 probabilities; overlapping boxes merged by maximum.
 * Boxes are extracted, run and merged one batch at a time (never all boxes in memory); progress is
 * reported per batch and the AbortSignal is checked between batches.
 */
import { performance } from 'node:perf_hooks';
import { inspect } from 'node:util';
import type { PreparedMap } from '../grid/prepare.js';
import { ProbabilityMaps } from '../grid/probability-maps.js';
import { Volume } from '../grid/volume.js';
import { InputError, ModelError } from '../util/errors.js';
import { raceAbort, report, throwIfAborted, yieldToEventLoop, type StageContext } from '../util/progress.js';
import { addBox, countBox, coverageCounter, divideByCount, extractBox, maxBox } from './box-io.js';
import type { DetectionModel } from './onnx-model.js';
import {
  DEFAULT_DETECT_PARAMS,
  STAGE1_BASE_HEAD_CHANNELS,
  STAGE1_CHAIN_CHANNELS,
  STAGE2_INPUT_THRESHOLD,
  type DetectParams,
  type DetectionResult,
  type DetectionTimings,
  type Stage1Maps,
} from './params.js';
import type { BoxRunner } from './runner.js';
import { keepCount, planBoxes, type BoxStart } from './tiling.js';

const STAGE1 = 'detect/stage1';
const STAGE2 = 'detect/stage2';

/** What detection reads from a prepared map. */
export type DetectInput = Pick<PreparedMap, 'normalised' | 'contourNormalised'>;

/** Detection with an onnxruntime model (see `loadDetectionModel`). */
export async function detect(
  prepared: DetectInput,
  model: DetectionModel,
  params: Partial<DetectParams> = {},
  ctx?: StageContext,
): Promise<DetectionResult> {
  const result = await detectWithRunner(prepared, model, params, ctx);
  result.warnings.unshift(...model.warnings);
  return result;
}

/** Detection with any BoxRunner (a fake one in tests, `DetectionModel` for real). */
export async function detectWithRunner(
  prepared: DetectInput,
  runner: BoxRunner,
  params: Partial<DetectParams> = {},
  ctx?: StageContext,
): Promise<DetectionResult> {
  const p: DetectParams = { ...DEFAULT_DETECT_PARAMS, ...params };
  checkParams(p, runner);
  throwIfAborted(ctx, STAGE1);
  const t: DetectionTimings = { prepare: 0, stage1: 0, stage2: 0, merge: 0, inferenceOnly: 0 };
  const warnings: string[] = [];
  const vol = prepared.normalised;
  const t0 = performance.now();
  const { kept, total } = planBoxes(vol.data, vol.shape, prepared.contourNormalised, p.boxSize, p.strideVoxels);
  t.prepare = performance.now() - t0;
  if (kept.length === 0) warnings.push(`no box has more than 0.1 % of its voxels above the normalised contour ${prepared.contourNormalised}; every probability is 0 (lower the contour?)`);

  const t1 = performance.now();
  const stage1 = await runStage1(vol, kept, runner, p, t, ctx);
  t.stage1 = performance.now() - t1;

  const t2 = performance.now();
  const { probabilities, run } = await runStage2(vol, stage1, kept, runner, p, t, ctx);
  t.stage2 = performance.now() - t2;
  const result: DetectionResult = {
    stage1,
    probabilities,
    boxes: { stage1: kept.length, stage2: run, total },
    timingsMs: t,
    params: p,
    modelName: runner.name,
    warnings,
  };
  Object.defineProperty(result, inspect.custom, { value: () => describeDetection(result), enumerable: false });
  return result;
}

/** One-line summary (notebooks print a cell's value with console.log). */
export function describeDetection(r: DetectionResult): string {
  const [nz, ny, nx] = r.probabilities.shape;
  const s = (ms: number) => (ms / 1000).toFixed(1);
  const t = r.timingsMs;
  return `DetectionResult ${nx}x${ny}x${nz} by ${r.modelName}: boxes ${r.boxes.stage1} + ${r.boxes.stage2} of ${r.boxes.total}, ` +
    `${s(t.stage1 + t.stage2 + t.prepare)} s (inference ${s(t.inferenceOnly)} s)${r.warnings.length ? `, ${r.warnings.length} warning(s)` : ''}`;
}

function checkParams(p: DetectParams, runner: BoxRunner): void {
  if (!Number.isInteger(p.batchSize) || p.batchSize < 1) {
    throw new InputError('DETECT_BATCH', `detect: batchSize = ${p.batchSize} must be a positive integer (boxes per inference call, 4 on a CPU)`);
  }
  if (p.boxSize !== runner.boxSize) {
    throw new InputError('DETECT_BOX', `detect: boxSize = ${p.boxSize} but model ${runner.name} takes ${runner.boxSize}^3 boxes; leave boxSize at the model's value`);
  }
}

function checkLength(a: Float32Array, want: number, what: string, runner: BoxRunner): void {
  if (a.length !== want) throw new ModelError('MODEL_SHAPE', `detect: ${runner.name} returned ${a.length} values for ${what}, expected ${want}; check the model's output shapes`);
}

async function runStage1(vol: Volume, kept: BoxStart[], runner: BoxRunner, p: DetectParams, t: DetectionTimings, ctx?: StageContext): Promise<Stage1Maps> {
  const b = p.boxSize, b3 = b ** 3, n = vol.data.length, shape = vol.shape;
  const chainSum = STAGE1_CHAIN_CHANNELS.map(() => new Float32Array(n));
  const baseSum = STAGE1_BASE_HEAD_CHANNELS.map(() => new Float32Array(n));
  const count = coverageCounter(n, b, p.strideVoxels);
  const input = new Float32Array(Math.min(p.batchSize, Math.max(kept.length, 1)) * b3);
  report(ctx, STAGE1, 0, kept.length);
  for (let i = 0; i < kept.length; i += p.batchSize) {
    const m = Math.min(p.batchSize, kept.length - i);
    let tm = performance.now();
    for (let j = 0; j < m; j++) extractBox(vol.data, shape, kept[i + j], b, input, j * b3);
    let ti = performance.now();
    t.merge += ti - tm;
    const out = await raceAbort(runner.runStage1(input.subarray(0, m * b3), m), ctx, STAGE1);
    tm = performance.now();
    t.inferenceOnly += tm - ti;
    checkLength(out.chain, m * 4 * b3, 'stage-1 chain', runner);
    checkLength(out.base, m * 5 * b3, 'stage-1 base', runner);
    for (let j = 0; j < m; j++) {
      const start = kept[i + j];
      for (let c = 0; c < 4; c++) addBox(chainSum[c], shape, start, b, out.chain, (j * 4 + c) * b3);
      for (let c = 0; c < 5; c++) addBox(baseSum[c], shape, start, b, out.base, (j * 5 + c) * b3);
      countBox(count, shape, start, b);
    }
    t.merge += performance.now() - tm;
    report(ctx, STAGE1, i + m, kept.length);
    await yieldToEventLoop(ctx, STAGE1);
  }
  const tf = performance.now();
  for (const a of [...chainSum, ...baseSum]) divideByCount(a, count);
  // U (index 1) and T (index 4) of the base head become one UT channel: maximum of the two averages.
  const [a, u, c, g, tt] = baseSum;
  for (let k = 0; k < n; k++) if (tt[k] > u[k]) u[k] = tt[k];
  t.merge += performance.now() - tf;
  return {
    chain: { sugar: chainSum[0], phosphate: chainSum[1], base: chainSum[2], protein: chainSum[3] },
    base: { A: a, UT: u, C: c, G: g },
  };
}

async function runStage2(
  vol: Volume,
  s1: Stage1Maps,
  kept: BoxStart[],
  runner: BoxRunner,
  p: DetectParams,
  t: DetectionTimings,
  ctx?: StageContext,
): Promise<{ probabilities: ProbabilityMaps; run: number }> {
  const b = p.boxSize, b3 = b ** 3, shape = vol.shape;
  const probabilities = ProbabilityMaps.create(Volume.frameOf(vol));
  // Stage-2 input order: sugar, phosphate, base, protein, A, UT, C, G.
  const inputs = [s1.chain.sugar, s1.chain.phosphate, s1.chain.base, s1.chain.protein, s1.base.A, s1.base.UT, s1.base.C, s1.base.G];
  // Stage-2 output order equals ProbabilityMaps' order: sugar, phosphate, A, UT, C, G, protein, base.
  const ch = probabilities.channels;
  const outputs = [ch.sugar, ch.phosphate, ch.A, ch.UT, ch.C, ch.G, ch.protein, ch.base];
  const need = keepCount(b);
  const buf = new Float32Array(Math.min(p.batchSize, Math.max(kept.length, 1)) * 8 * b3);
  const slots: BoxStart[] = [];
  let run = 0;
  report(ctx, STAGE2, 0, kept.length);
  for (let i = 0; i < kept.length; i++) {
    let tm = performance.now();
    const slot = slots.length;
    let above = 0;
    for (let c = 0; c < 8; c++) above += extractBox(inputs[c], shape, kept[i], b, buf, (slot * 8 + c) * b3, STAGE2_INPUT_THRESHOLD, need - above);
    // Stage-2 keep rule: the density test (already passed by every box in `kept`) and > 0.1 % of the
    // box's 8-channel entries above 0.5 (denominator boxSize^3, as CryoREAD counts it).
    if (above >= need) slots.push(kept[i]);
    t.merge += performance.now() - tm;
    const last = i === kept.length - 1;
    if (slots.length === p.batchSize || (last && slots.length > 0)) {
      const m = slots.length;
      const ti = performance.now();
      const out = await raceAbort(runner.runStage2(buf.subarray(0, m * 8 * b3), m), ctx, STAGE2);
      tm = performance.now();
      t.inferenceOnly += tm - ti;
      checkLength(out, m * 8 * b3, 'stage-2', runner);
      for (let j = 0; j < m; j++) for (let c = 0; c < 8; c++) maxBox(outputs[c], shape, slots[j], b, out, (j * 8 + c) * b3);
      t.merge += performance.now() - tm;
      run += m;
      slots.length = 0;
      report(ctx, STAGE2, i + 1, kept.length);
      await yieldToEventLoop(ctx, STAGE2);
    }
  }
  report(ctx, STAGE2, kept.length, kept.length);
  return { probabilities, run };
}
