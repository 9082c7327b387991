/**
 * Builds MRC bytes in code with a DataView, independently of src/io (so reader tests do not trust the
 * writer). Every field can be set or broken on purpose.
 */
export interface MrcSpec {
  /** [NC, NR, NS]: columns, rows, sections. */
  dims: [number, number, number];
  /** @default 2 */
  mode?: number;
  /** @default true */
  littleEndian?: boolean;
  /** [MAPC, MAPR, MAPS]. @default [1, 2, 3] */
  axisOrder?: [number, number, number];
  /** Values in file order (columns fastest); stored in the mode's type. Default zeros. */
  values?: ArrayLike<number>;
  /** [MX, MY, MZ]. Default: grid counts along x, y, z through the axis order. */
  sampling?: [number, number, number];
  /** CELLA [x, y, z] (Angstroms). Default: sampling x 1 A. */
  cellA?: [number, number, number];
  /** CELLB. @default [90, 90, 90] */
  cellB?: [number, number, number];
  /** [NCSTART, NRSTART, NSSTART]. @default [0, 0, 0] */
  nstart?: [number, number, number];
  /** ORIGIN [x, y, z]. @default [0, 0, 0] */
  origin?: [number, number, number];
  /** Machine stamp bytes. Default 0x44 0x44 for little endian, 0x11 0x11 for big. */
  stamp?: [number, number, number, number];
  /** Word 53 as 4 characters. @default 'MAP ' */
  mapWord?: string;
  /** Extended header bytes (filled with 0xAB). @default 0 */
  nsymbt?: number;
  /** Value written in NSYMBT when it should differ from the real extended header length. */
  nsymbtWord?: number;
  /** Overrides NC/NR/NS words (to break the header) while `dims` still sizes the data. */
  dimsWord?: [number, number, number];
  /** Remove this many bytes from the end. @default 0 */
  truncateBy?: number;
}

const BYTES: Record<number, number> = { 0: 1, 1: 2, 2: 4, 6: 2, 12: 2, 3: 4, 4: 8, 101: 1 };

/** float32 -> IEEE binary16 bits (round to nearest; enough for test values). */
export function toHalfBits(v: number): number {
  if (Number.isNaN(v)) return 0x7e00;
  const sign = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  const a = Math.abs(v);
  if (a === Infinity) return sign | 0x7c00;
  if (a < 2 ** -24) return sign;
  if (a < 2 ** -14) return sign | Math.round(a / 2 ** -24);
  let e = Math.floor(Math.log2(a));
  let m = Math.round((a / 2 ** e - 1) * 1024);
  if (m === 1024) { m = 0; e++; }
  if (e > 15) return sign | 0x7c00;
  return sign | ((e + 15) << 10) | m;
}

export function buildMrc(spec: MrcSpec): Uint8Array {
  const mode = spec.mode ?? 2;
  const le = spec.littleEndian ?? true;
  const axis = spec.axisOrder ?? [1, 2, 3];
  const [nc, nr, ns] = spec.dims;
  const count = nc * nr * ns;
  const width = BYTES[mode] ?? 4;
  const nsymbt = spec.nsymbt ?? 0;
  const total = 1024 + nsymbt + count * width;
  const bytes = new Uint8Array(total);
  const v = new DataView(bytes.buffer);
  const w = (word: number) => (word - 1) * 4;
  const i32 = (word: number, x: number) => v.setInt32(w(word), x, le);
  const f32 = (word: number, x: number) => v.setFloat32(w(word), x, le);
  const dimsWord = spec.dimsWord ?? spec.dims;
  dimsWord.forEach((n, i) => i32(1 + i, n));
  i32(4, mode);
  (spec.nstart ?? [0, 0, 0]).forEach((n, i) => i32(5 + i, n));
  const nXyz = [0, 0, 0];
  axis.forEach((a, k) => { if (a >= 1 && a <= 3) nXyz[a - 1] = spec.dims[k]; });
  const sampling = spec.sampling ?? (nXyz as [number, number, number]);
  sampling.forEach((m, i) => i32(8 + i, m));
  (spec.cellA ?? sampling).forEach((c, i) => f32(11 + i, c));
  (spec.cellB ?? [90, 90, 90]).forEach((c, i) => f32(14 + i, c));
  axis.forEach((a, i) => i32(17 + i, a));
  i32(23, 1);
  i32(24, spec.nsymbtWord ?? nsymbt);
  i32(28, 20140);
  (spec.origin ?? [0, 0, 0]).forEach((o, i) => f32(50 + i, o));
  const mapWord = spec.mapWord ?? 'MAP ';
  for (let i = 0; i < 4; i++) bytes[w(53) + i] = mapWord.charCodeAt(i) || 0;
  bytes.set(spec.stamp ?? (le ? [0x44, 0x44, 0, 0] : [0x11, 0x11, 0, 0]), w(54));
  bytes.fill(0xab, 1024, 1024 + nsymbt);
  const vals = spec.values;
  if (vals) {
    const base = 1024 + nsymbt;
    for (let i = 0; i < count; i++) {
      const x = vals[i];
      const o = base + i * width;
      switch (mode) {
        case 0: v.setInt8(o, x); break;
        case 1: v.setInt16(o, x, le); break;
        case 6: v.setUint16(o, x, le); break;
        case 12: v.setUint16(o, toHalfBits(x), le); break;
        default: v.setFloat32(o, x, le);
      }
    }
  }
  return spec.truncateBy ? bytes.slice(0, total - spec.truncateBy) : bytes;
}

/** All six permutations of [1, 2, 3]. */
export const AXIS_ORDERS: [number, number, number][] = [
  [1, 2, 3], [1, 3, 2], [2, 1, 3], [2, 3, 1], [3, 1, 2], [3, 2, 1],
];
