/**
 * Decoding of the MRC data block: any supported mode and byte order, permuted from file order
 * (columns fastest, then rows, then sections) into one Float32Array in [z][y][x] order (x fastest).
 * The caller's bytes are never modified: byte swapping works on a copy.
 */
import type { MrcGeometry } from './mrc-geometry.js';

const PLATFORM_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

type Stored = Int8Array | Int16Array | Uint16Array | Float32Array;

/** Stored values in file order as a typed array of the file's type (a view when possible, else a copy). */
function storedValues(bytes: Uint8Array, offset: number, count: number, mode: number, littleEndian: boolean): Stored {
  const width = mode === 0 ? 1 : mode === 2 ? 4 : 2;
  const start = bytes.byteOffset + offset;
  let buffer: ArrayBufferLike = bytes.buffer;
  let byteOffset = start;
  const swap = width > 1 && littleEndian !== PLATFORM_LE;
  if (swap || start % width !== 0) {
    const copy = bytes.slice(offset, offset + count * width);
    if (swap) {
      for (let i = 0; i < copy.length; i += width) {
        for (let a = i, b = i + width - 1; a < b; a++, b--) {
          const t = copy[a];
          copy[a] = copy[b];
          copy[b] = t;
        }
      }
    }
    buffer = copy.buffer;
    byteOffset = 0;
  }
  switch (mode) {
    case 0: return new Int8Array(buffer, byteOffset, count);
    case 1: return new Int16Array(buffer, byteOffset, count);
    case 6: return new Uint16Array(buffer, byteOffset, count);
    case 12: return new Uint16Array(buffer, byteOffset, count);
    default: return new Float32Array(buffer, byteOffset, count);
  }
}

let halfTable: Float32Array | undefined;
/** IEEE 754 binary16 -> float32 for all 65536 bit patterns (built once, 256 KB). */
function float16Table(): Float32Array {
  if (halfTable) return halfTable;
  const t = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    if (exp === 0) t[h] = sign * frac * 2 ** -24;
    else if (exp === 31) t[h] = frac ? NaN : sign * Infinity;
    else t[h] = sign * (1 + frac / 1024) * 2 ** (exp - 15);
  }
  halfTable = t;
  return t;
}

/**
 * Decodes sections [s0, s0 + nSections) of the data block into `out` ([z][y][x], length geom.count).
 * `chunk` holds those sections' stored values starting at byte `chunkOffset`. Lets a file be read in
 * pieces without holding all of its bytes.
 */
export function decodeMrcSections(
  chunk: Uint8Array, chunkOffset: number, geom: MrcGeometry, mode: number, littleEndian: boolean,
  out: Float32Array, s0: number, nSections: number,
): void {
  const { axisOrder, shape } = geom;
  const [, ny, nx] = shape;
  const nXyz = [shape[2], shape[1], shape[0]];
  const nc = nXyz[axisOrder[0] - 1], nr = nXyz[axisOrder[1] - 1];
  const src = storedValues(chunk, chunkOffset, nc * nr * nSections, mode, littleEndian);
  const table = mode === 12 ? float16Table() : undefined;
  // Stride in the output of a step along x, y, z; then along columns, rows, sections.
  const axisStride = [1, nx, nx * ny];
  const sC = axisStride[axisOrder[0] - 1];
  const sR = axisStride[axisOrder[1] - 1];
  const sS = axisStride[axisOrder[2] - 1];
  if (sC === 1 && sR === nx && !table) {
    out.set(src, s0 * sS); // identity order: sections are z planes, one conversion pass
    return;
  }
  let i = 0;
  for (let s = s0; s < s0 + nSections; s++) {
    for (let r = 0; r < nr; r++) {
      let o = s * sS + r * sR;
      if (table) {
        const t = table as Float32Array, u = src as Uint16Array;
        for (let c = 0; c < nc; c++, o += sC) out[o] = t[u[i++]];
      } else {
        for (let c = 0; c < nc; c++, o += sC) out[o] = src[i++];
      }
    }
  }
}

/** Replaces NaN/Inf by 0 (float modes only) and records how many in `warnings`. */
export function replaceNonFinite(out: Float32Array, mode: number, warnings: string[]): void {
  if (mode === 2 || mode === 12) {
    let bad = 0;
    for (let k = 0; k < out.length; k++) {
      const x = out[k];
      if (x - x !== 0) { // NaN or +-Infinity
        out[k] = 0;
        bad++;
      }
    }
    if (bad) warnings.push(`${bad} NaN/Inf voxel value${bad === 1 ? '' : 's'} replaced by 0`);
  }
}

/** Decodes the whole data block (held in `bytes`) to float32 in [z][y][x] order; NaN/Inf become 0 with a warning. */
export function decodeMrcData(bytes: Uint8Array, geom: MrcGeometry, mode: number, littleEndian: boolean, warnings: string[]): Float32Array {
  const out = new Float32Array(geom.count);
  const ns = sectionsOf(geom);
  decodeMrcSections(bytes, geom.dataOffset, geom, mode, littleEndian, out, 0, ns);
  replaceNonFinite(out, mode, warnings);
  return out;
}

/** Number of sections (NS) of the file. */
export function sectionsOf(geom: MrcGeometry): number {
  const nXyz = [geom.shape[2], geom.shape[1], geom.shape[0]];
  return nXyz[geom.axisOrder[2] - 1];
}
