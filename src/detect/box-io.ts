/**
 * Moving data between a grid and a box buffer: extraction with zero padding, and merging a box's
 * output back into grid channels by sum (for averages), count, or maximum. Only the part of a box that
 * lies inside the grid is touched; the padded part of an output is ignored.
 * Box buffers are [c][z][y][x] with x fastest, edge `boxSize` (the ONNX [N, C, D, H, W] layout).
 */
import type { BoxStart } from './tiling.js';

type Shape = readonly [number, number, number];

/** In-grid extent of a box: rows run x0..x0+len, y0..y1, z0..z1 (exclusive ends). */
function extent(shape: Shape, start: BoxStart, boxSize: number): { len: number; y1: number; z1: number } {
  return { len: Math.min(shape[2], start[0] + boxSize) - start[0], y1: Math.min(shape[1], start[1] + boxSize), z1: Math.min(shape[0], start[2] + boxSize) };
}

/** True when the box reaches outside the grid on some axis (so it needs zero padding). */
export function boxIsPadded(shape: Shape, start: BoxStart, boxSize: number): boolean {
  return start[0] + boxSize > shape[2] || start[1] + boxSize > shape[1] || start[2] + boxSize > shape[0];
}

/**
 * Copies the box at `start` of `src` into `dst` at `dstOffset` (boxSize^3 values), zero-padding what lies
 * outside the grid. Returns the number of copied values above `countAbove` (when given), else 0; counting
 * stops once `countLimit` is reached (the caller only needs to know whether a keep rule passes).
 */
export function extractBox(
  src: Float32Array,
  shape: Shape,
  start: BoxStart,
  boxSize: number,
  dst: Float32Array,
  dstOffset: number,
  countAbove?: number,
  countLimit = Infinity,
): number {
  const n3 = boxSize ** 3;
  if (boxIsPadded(shape, start, boxSize)) dst.fill(0, dstOffset, dstOffset + n3);
  let count = 0;
  const [, ny, nx] = shape, [x0, y0, z0] = start, { len, y1, z1 } = extent(shape, start, boxSize);
  for (let z = z0; z < z1; z++) {
    for (let y = y0; y < y1; y++) {
      const g = (z * ny + y) * nx + x0;
      dst.set(src.subarray(g, g + len), dstOffset + ((z - z0) * boxSize + (y - y0)) * boxSize);
      if (countAbove !== undefined && count < countLimit) {
        for (let i = g, end = g + len; i < end; i++) if (src[i] > countAbove) count++;
      }
    }
  }
  return count;
}

/** sum[grid voxel] += box value, for the box's in-grid part. */
export function addBox(sum: Float32Array, shape: Shape, start: BoxStart, boxSize: number, box: Float32Array, boxOffset: number): void {
  const [, ny, nx] = shape, [x0, y0, z0] = start, { len, y1, z1 } = extent(shape, start, boxSize);
  for (let z = z0; z < z1; z++) {
    for (let y = y0; y < y1; y++) {
      const g = (z * ny + y) * nx + x0, s = boxOffset + ((z - z0) * boxSize + (y - y0)) * boxSize;
      for (let i = 0; i < len; i++) sum[g + i] += box[s + i];
    }
  }
}

/** dst[grid voxel] = max(dst, box value), for the box's in-grid part. */
export function maxBox(dst: Float32Array, shape: Shape, start: BoxStart, boxSize: number, box: Float32Array, boxOffset: number): void {
  const [, ny, nx] = shape, [x0, y0, z0] = start, { len, y1, z1 } = extent(shape, start, boxSize);
  for (let z = z0; z < z1; z++) {
    for (let y = y0; y < y1; y++) {
      const g = (z * ny + y) * nx + x0, s = boxOffset + ((z - z0) * boxSize + (y - y0)) * boxSize;
      for (let i = 0; i < len; i++) {
        const v = box[s + i];
        if (v > dst[g + i]) dst[g + i] = v;
      }
    }
  }
}

/** count[grid voxel] += 1 over the box's in-grid part. */
export function countBox(count: Uint16Array | Uint32Array, shape: Shape, start: BoxStart, boxSize: number): void {
  const [, ny, nx] = shape, [x0, y0, z0] = start, { len, y1, z1 } = extent(shape, start, boxSize);
  for (let z = z0; z < z1; z++) {
    for (let y = y0; y < y1; y++) {
      const g = (z * ny + y) * nx + x0;
      for (let i = g, end = g + len; i < end; i++) count[i]++;
    }
  }
}

/** Coverage counter big enough for the largest possible overlap at this stride. */
export function coverageCounter(n: number, boxSize: number, strideVoxels: number): Uint16Array | Uint32Array {
  const perAxis = Math.ceil(boxSize / strideVoxels) + 1;
  return perAxis ** 3 < 65535 ? new Uint16Array(n) : new Uint32Array(n);
}

/** In place: sum -> sum / count where count > 0, else 0 (uncovered voxels get probability 0, CryoREAD §5.3). */
export function divideByCount(sum: Float32Array, count: Uint16Array | Uint32Array): void {
  for (let i = 0; i < sum.length; i++) {
    const c = count[i];
    sum[i] = c > 0 ? sum[i] / c : 0;
  }
}

/** In place logistic sigmoid (for models that emit logits). */
export function sigmoidInPlace(a: Float32Array): void {
  for (let i = 0; i < a.length; i++) a[i] = 1 / (1 + Math.exp(-a[i]));
}
