/** Brute-force single-box reference for maps that fit one box: both ONNX sessions run directly, no tiling code. */
import * as ort from 'onnxruntime-node';
import type { DetectionResult } from '../../src/detect/params.js';
import type { Volume } from '../../src/grid/volume.js';
import { PROBABILITY_CHANNELS } from '../../src/grid/probability-maps.js';

/** Pads a small volume into one box^3 box at the origin. */
export function padToBox(src: Float32Array, shape: readonly number[], box: number, dst: Float32Array, off: number): void {
  const [nz, ny, nx] = shape;
  for (let z = 0; z < nz; z++) for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) dst[off + (z * box + y) * box + x] = src[(z * ny + y) * nx + x];
}

export function cropFromBox(box: Float32Array, off: number, shape: readonly number[], b: number): Float32Array {
  const [nz, ny, nx] = shape;
  const out = new Float32Array(nz * ny * nx);
  for (let z = 0; z < nz; z++) for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) out[(z * ny + y) * nx + x] = box[off + (z * b + y) * b + x];
  return out;
}

export const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

/**
 * Brute force for a map that fits one box: pad it, run both sessions directly (no tiling code), crop,
 * and compare with detect()'s merged maps. Returns the largest difference over all 16 maps.
 */
export async function bruteForceDiff(dir: string, v: Volume, r: DetectionResult, sigmoid: boolean): Promise<number> {
  const b = 64, b3 = b ** 3;
  const s1 = await ort.InferenceSession.create(`${dir}/stage1.onnx`, { intraOpNumThreads: 1 });
  const s2 = await ort.InferenceSession.create(`${dir}/stage2.onnx`, { intraOpNumThreads: 1 });
  const act = (a: Float32Array) => (sigmoid ? a : a.map((x) => 1 / (1 + Math.exp(-x))));
  const box = new Float32Array(b3);
  padToBox(v.data, v.shape, b, box, 0);
  const o1 = await s1.run({ [s1.inputNames[0]]: new ort.Tensor('float32', box, [1, 1, b, b, b]) });
  const chain = act(o1[s1.outputNames[0]].data as Float32Array), base = act(o1[s1.outputNames[1]].data as Float32Array);
  const maps1 = [0, 1, 2, 3].map((c) => cropFromBox(chain, c * b3, v.shape, b));
  const baseMaps = [0, 1, 2, 3, 4].map((c) => cropFromBox(base, c * b3, v.shape, b));
  const ut = baseMaps[1].map((u, i) => Math.max(u, baseMaps[4][i]));
  const in8 = [...maps1, baseMaps[0], ut, baseMaps[2], baseMaps[3]];
  const box8 = new Float32Array(8 * b3);
  in8.forEach((m, c) => padToBox(m, v.shape, b, box8, c * b3));
  const o2 = await s2.run({ [s2.inputNames[0]]: new ort.Tensor('float32', box8, [1, 8, b, b, b]) });
  const prob = act(o2[s2.outputNames[0]].data as Float32Array);
  await s1.release();
  await s2.release();
  let worst = 0;
  const got1 = [r.stage1.chain.sugar, r.stage1.chain.phosphate, r.stage1.chain.base, r.stage1.chain.protein, r.stage1.base.A, r.stage1.base.UT, r.stage1.base.C, r.stage1.base.G];
  got1.forEach((g, k) => { worst = Math.max(worst, maxDiff(g, in8[k])); });
  PROBABILITY_CHANNELS.forEach((name, k) => { worst = Math.max(worst, maxDiff(r.probabilities.channels[name], cropFromBox(prob, k * b3, v.shape, b))); });
  return worst;
}

