/**
 * Detection benchmark: `npx tsx bench/detect.ts [--model NAME|DIR] [--threads T] [--batch B] [--only example|200|300]`
 *
 * Cases:
 *  - example: example/6v5b_sim_3.7A.mrc (read, prepared, detected);
 *  - 200^3:   a 200^3 1 A map made by tiling the prepared example map (density everywhere: every box kept);
 *  - 300^3:   memory only: a 300^3 tiled map through the tiling/merging code with a stub runner (no network).
 * For each: wall time split into preparation (read + prepareMap + box planning), inference (time inside
 * onnxruntime calls) and extraction/merging, boxes/s, and the overhead ratio = detect wall time / the
 * onnxruntime time of the same boxes (goal <= 1.15). As a check that running inside the pipeline does not
 * slow onnxruntime itself, `--bare-batches K` (default 3) batches per stage are also timed on fresh
 * sessions run directly on preallocated tensors: "bare s/box" vs "ort s/box" in the pipeline.
 * Peak RSS is printed for the memory budget (< 3 GB at 300^3).
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { readMrc } from '../src/io/mrc.js';
import { prepareMap, type PreparedMap } from '../src/grid/prepare.js';
import { Volume } from '../src/grid/volume.js';
import { detect, detectWithRunner } from '../src/detect/detect.js';
import { loadDetectionModel } from '../src/detect/registry.js';
import type { BoxRunner } from '../src/detect/runner.js';
import type { DetectionModel } from '../src/detect/onnx-model.js';
import type { DetectionResult } from '../src/detect/params.js';

const { values: args } = parseArgs({
  options: {
    model: { type: 'string' },
    threads: { type: 'string' },
    batch: { type: 'string', default: '4' },
    only: { type: 'string' },
    'bare-batches': { type: 'string', default: '3' },
  },
});
const batchSize = Number(args.batch);
const bareBatches = Number(args['bare-batches']);
const EXAMPLE = 'example/6v5b_sim_3.7A.mrc';

interface Row {
  name: string;
  grid: string;
  boxes: string;
  prepareS: number;
  inferenceS: number;
  mergeS: number;
  detectS: number;
  boxesPerS: number;
  /** Pipeline onnxruntime seconds per box, and bare seconds per box (sample). */
  ortPerBox: number;
  barePerBox: number;
  rssGB: number;
}

/** Bare onnxruntime seconds per box: up to `bareBatches` full batches per stage, sessions run directly on preallocated inputs. */
async function bareOrtPerBox(model: DetectionModel, r: DetectionResult): Promise<number> {
  const opts: ort.InferenceSession.SessionOptions = { intraOpNumThreads: model.threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all', enableCpuMemArena: false };
  const b = model.boxSize, b3 = b ** 3;
  let total = 0, count = 0;
  for (const [file, input, channels, boxes] of [
    ['stage1.onnx', model.card.stage1.input, 1, r.boxes.stage1],
    ['stage2.onnx', model.card.stage2.input, 8, r.boxes.stage2],
  ] as const) {
    const s = await ort.InferenceSession.create(join(model.dir, file), opts);
    const buf = new Float32Array(batchSize * channels * b3);
    for (let i = 0; i < buf.length; i++) buf[i] = (i % 97) / 97;
    for (let done = 0, k = 0; done < boxes && k < bareBatches; done += batchSize, k++) {
      const m = Math.min(batchSize, boxes - done);
      count += m;
      const t = new ort.Tensor('float32', buf.subarray(0, m * channels * b3), [m, channels, b, b, b]);
      const t0 = performance.now();
      await s.run({ [input]: t });
      total += performance.now() - t0;
    }
    await s.release();
  }
  return count ? total / 1000 / count : NaN;
}

/** A map of the given edge made by repeating the prepared example (normalised and raw alike). */
function tiled(base: PreparedMap, edge: number): PreparedMap {
  const tile = (v: Volume) => {
    const [bz, by, bx] = v.shape;
    const out = new Float32Array(edge ** 3);
    for (let z = 0; z < edge; z++) for (let y = 0; y < edge; y++) {
      const src = ((z % bz) * by + (y % by)) * bx, dst = (z * edge + y) * edge;
      for (let x = 0; x < edge; x++) out[dst + x] = v.data[src + (x % bx)];
    }
    return Volume.create({ shape: [edge, edge, edge], voxelSizeA: v.voxelSizeA, originA: v.originA }, out);
  };
  return { ...base, raw: tile(base.raw), normalised: tile(base.normalised) };
}

const rssGB = () => process.resourceUsage().maxRSS / 1024 ** 2;
const gridText = (p: PreparedMap) => [...p.normalised.shape].reverse().join('x');
let lastTenth = -1;
const progress = {
  onProgress: (e: { stage: string; done: number; total: number }) => {
    const tenth = Math.floor((10 * e.done) / Math.max(e.total, 1));
    if (tenth !== lastTenth || e.done === 0) process.stderr.write(`  ${e.stage} ${e.done}/${e.total}\n`);
    lastTenth = tenth;
  },
};

async function runCase(name: string, model: DetectionModel, load: () => PreparedMap): Promise<Row> {
  const t0 = performance.now();
  const prepared = load();
  const tPrep = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const r = await detect(prepared, model, { batchSize }, progress);
  const detectS = (performance.now() - t1) / 1000;
  process.stderr.write(`\n  bare onnxruntime on up to ${bareBatches} batches per stage...\n`);
  const barePerBox = await bareOrtPerBox(model, r);
  const n = r.boxes.stage1 + r.boxes.stage2;
  return {
    name,
    grid: gridText(prepared),
    boxes: `${r.boxes.stage1}+${r.boxes.stage2}/${r.boxes.total}`,
    prepareS: tPrep + r.timingsMs.prepare / 1000,
    inferenceS: r.timingsMs.inferenceOnly / 1000,
    mergeS: r.timingsMs.merge / 1000,
    detectS,
    boxesPerS: n / detectS,
    ortPerBox: r.timingsMs.inferenceOnly / 1000 / n,
    barePerBox,
    rssGB: rssGB(),
  };
}

/** Memory of the tiling/merging code alone at 300^3: a stub runner that returns constant probabilities. */
async function memoryCase(base: PreparedMap): Promise<Row> {
  const b = 64, b3 = b ** 3;
  const stub: BoxRunner = {
    name: 'stub', boxSize: b,
    runStage1: async (_d, n) => ({ chain: new Float32Array(n * 4 * b3).fill(0.6), base: new Float32Array(n * 5 * b3).fill(0.3) }),
    runStage2: async (_p, n) => new Float32Array(n * 8 * b3).fill(0.7),
  };
  const t0 = performance.now();
  const prepared = tiled(base, 300);
  const tPrep = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const r = await detectWithRunner(prepared, stub, { batchSize }, progress);
  const detectS = (performance.now() - t1) / 1000;
  process.stderr.write('\n');
  return {
    name: '300^3 stub (memory)', grid: gridText(prepared), boxes: `${r.boxes.stage1}+${r.boxes.stage2}/${r.boxes.total}`,
    prepareS: tPrep + r.timingsMs.prepare / 1000, inferenceS: r.timingsMs.inferenceOnly / 1000, mergeS: r.timingsMs.merge / 1000,
    detectS, boxesPerS: (r.boxes.stage1 + r.boxes.stage2) / detectS, ortPerBox: NaN, barePerBox: NaN, rssGB: rssGB(),
  };
}

const model = await loadDetectionModel(args.model, { resolutionA: args.model ? undefined : 3.7, threads: args.threads ? Number(args.threads) : undefined });
console.log(`model ${model.name} (${model.dir}${model.card.placeholder ? ', placeholder weights' : ''}), ${model.threads} intra-op threads, batch ${batchSize}`);
const loadExample = () => {
  const vol = readMrc(EXAMPLE).volume;
  return prepareMap(vol, { contour: 0 });
};
const rows: Row[] = [];
const exampleMap = loadExample();
if (!args.only || args.only === 'example') rows.push(await runCase('example 6v5b 3.7 A', model, loadExample));
if (!args.only || args.only === '200') rows.push(await runCase('200^3 tiled example', model, () => tiled(exampleMap, 200)));
await model.release();
if (!args.only || args.only === '300') rows.push(await memoryCase(exampleMap));

const f = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '-');
const header = ['case', 'grid', 'boxes s1+s2/all', 'prepare s', 'inference s', 'merge s', 'detect s', 'boxes/s', 'overhead', 'with prep', 'ort s/box', 'bare s/box', 'peak RSS GB'];
const table = rows.map((r) => [
  r.name, r.grid, r.boxes, f(r.prepareS), f(r.inferenceS), f(r.mergeS), f(r.detectS), f(r.boxesPerS),
  f(r.detectS / r.inferenceS, 3), f((r.detectS + r.prepareS) / r.inferenceS, 3), f(r.ortPerBox, 3), f(r.barePerBox, 3), f(r.rssGB),
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of table) console.log(line(row));
console.log('overhead = detect wall time / onnxruntime time of the same boxes (goal <= 1.15); "with prep" adds reading and preparing the map;');
console.log('ort s/box = onnxruntime time per box inside detect, bare s/box = fresh sessions on preallocated tensors (sample); peak RSS is cumulative.');
