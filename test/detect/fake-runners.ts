/**
 * Fake BoxRunners for the detect tests (no ONNX):
 * - PointwiseRunner: every output voxel is a fixed function of the same voxel of the input, so merged
 *   maps must equal that function on every covered voxel whatever the tiling.
 * - ShiftRunner: every output voxel copies a neighbour of the input inside the box (zero past the box
 *   edge), like a convolution that sees the box border, so merging is checked against a brute-force
 *   per-voxel average / maximum over the boxes that hold it.
 */
import type { BoxRunner, Stage1Output } from '../../src/detect/runner.js';

/** Stage-1 chain channel c of the pointwise runner, from normalised density d. */
export const chainFn = (c: number, d: number): number => Math.fround(Math.min(1, d * (c + 1) * 0.3));
/** Stage-1 base-head channel c (A, U, C, G, T). */
export const baseFn = (c: number, d: number): number => Math.fround(Math.min(1, (1 - d) * 0.2 * (c + 1) + d * 0.1));

export class PointwiseRunner implements BoxRunner {
  readonly name = 'pointwise-fake';
  readonly boxSize: number;
  calls = { stage1: 0, stage2: 0, boxes1: 0, boxes2: 0 };
  constructor(boxSize = 64) {
    this.boxSize = boxSize;
  }
  async runStage1(density: Float32Array, count: number): Promise<Stage1Output> {
    const b3 = this.boxSize ** 3;
    this.calls.stage1++;
    this.calls.boxes1 += count;
    const chain = new Float32Array(count * 4 * b3), base = new Float32Array(count * 5 * b3);
    for (let j = 0; j < count; j++) {
      for (let i = 0; i < b3; i++) {
        const d = density[j * b3 + i];
        for (let c = 0; c < 4; c++) chain[(j * 4 + c) * b3 + i] = chainFn(c, d);
        for (let c = 0; c < 5; c++) base[(j * 5 + c) * b3 + i] = baseFn(c, d);
      }
    }
    return { chain, base };
  }
  /** Copies each input channel to the output channel of the same name (input order -> output order). */
  async runStage2(prob8: Float32Array, count: number): Promise<Float32Array> {
    const b3 = this.boxSize ** 3;
    this.calls.stage2++;
    this.calls.boxes2 += count;
    // input: sugar, phosphate, base, protein, A, UT, C, G; output: sugar, phosphate, A, UT, C, G, protein, base
    const fromInput = [0, 1, 4, 5, 6, 7, 3, 2];
    const out = new Float32Array(count * 8 * b3);
    for (let j = 0; j < count; j++) {
      for (let k = 0; k < 8; k++) out.set(prob8.subarray((j * 8 + fromInput[k]) * b3, (j * 8 + fromInput[k] + 1) * b3), (j * 8 + k) * b3);
    }
    return out;
  }
}

/** Output at box-local (x, y, z) = input at (x + dx, y + dy, z) of the same box and channel (0 past the box edge). */
function shiftBox(src: Float32Array, srcOff: number, dst: Float32Array, dstOff: number, b: number, dx: number, dy: number, scale: number): void {
  for (let z = 0; z < b; z++) {
    for (let y = 0; y < b; y++) {
      for (let x = 0; x < b; x++) {
        const xs = x + dx, ys = y + dy;
        const v = xs >= 0 && xs < b && ys >= 0 && ys < b ? src[srcOff + (z * b + ys) * b + xs] : 0;
        dst[dstOff + (z * b + y) * b + x] = v * scale;
      }
    }
  }
}

export const SHIFT1 = { dx: 1, dy: 0 };
export const SHIFT2 = { dx: 0, dy: -1 };

export class ShiftRunner implements BoxRunner {
  readonly name = 'shift-fake';
  constructor(readonly boxSize = 64) {}
  async runStage1(density: Float32Array, count: number): Promise<Stage1Output> {
    const b = this.boxSize, b3 = b ** 3;
    const chain = new Float32Array(count * 4 * b3), base = new Float32Array(count * 5 * b3);
    for (let j = 0; j < count; j++) {
      for (let c = 0; c < 4; c++) shiftBox(density, j * b3, chain, (j * 4 + c) * b3, b, SHIFT1.dx, SHIFT1.dy, (c + 1) / 4);
      for (let c = 0; c < 5; c++) shiftBox(density, j * b3, base, (j * 5 + c) * b3, b, SHIFT1.dx, SHIFT1.dy, (c + 1) / 5);
    }
    return { chain, base };
  }
  async runStage2(prob8: Float32Array, count: number): Promise<Float32Array> {
    const b = this.boxSize, b3 = b ** 3;
    const out = new Float32Array(count * 8 * b3);
    for (let j = 0; j < count * 8; j++) shiftBox(prob8, j * b3, out, j * b3, b, SHIFT2.dx, SHIFT2.dy, 1);
    return out;
  }
}
