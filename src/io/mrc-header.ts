/**
 * MRC2014 / CCP4 header: the 1024-byte main header with the spec's field names, byte-order detection
 * and decoding. Word numbers below follow the MRC2014 specification (1-based, 4 bytes each).
 *
 * Byte order: machine stamp (word 54) 0x44 0x44 or 0x44 0x41 = little endian, 0x11 0x11 = big endian.
 * A zero or unknown stamp falls back to the byte order in which MODE and MAPC/MAPR/MAPS are plausible
 * (the approach of mrcfile and molstar); a known stamp that contradicts the header (mode implausible in
 * the stamp's order but plausible in the other) is overridden with a warning, as mrcfile does for
 * files "in the wild" with a wrong stamp.
 */
import { MrcFormatError } from '../util/errors.js';

/** Size of the main header in bytes. */
export const MRC_HEADER_BYTES = 1024;

/** Modes this reader decodes: 0 int8, 1 int16, 2 float32, 6 uint16, 12 float16. */
export const SUPPORTED_MODES: ReadonlyMap<number, { name: string; bytes: number }> = new Map([
  [0, { name: 'int8', bytes: 1 }],
  [1, { name: 'int16', bytes: 2 }],
  [2, { name: 'float32', bytes: 4 }],
  [6, { name: 'uint16', bytes: 2 }],
  [12, { name: 'float16', bytes: 2 }],
]);

/** Modes defined by MRC2014 / CCP4 (used only to judge whether a header is plausible). */
const KNOWN_MODES = new Set([0, 1, 2, 3, 4, 6, 12, 101]);

/** MRC2014 main header, spec field names. */
export interface MrcHeader {
  /** Word 1: number of columns (fastest-changing axis in the file). */
  NC: number;
  /** Word 2: number of rows. */
  NR: number;
  /** Word 3: number of sections (slowest-changing axis). */
  NS: number;
  /** Word 4: data type (0 int8, 1 int16, 2 float32, 3/4 complex, 6 uint16, 12 float16). */
  MODE: number;
  /** Word 5: index of the first column (grid units). */
  NCSTART: number;
  /** Word 6: index of the first row (grid units). */
  NRSTART: number;
  /** Word 7: index of the first section (grid units). */
  NSSTART: number;
  /** Word 8: sampling intervals along the cell's x axis. */
  MX: number;
  /** Word 9: sampling intervals along y. */
  MY: number;
  /** Word 10: sampling intervals along z. */
  MZ: number;
  /** Words 11-13: cell lengths [x, y, z] in Angstroms. */
  CELLA: [number, number, number];
  /** Words 14-16: cell angles [alpha, beta, gamma] in degrees. */
  CELLB: [number, number, number];
  /** Word 17: which axis (1=x, 2=y, 3=z) runs along columns. */
  MAPC: number;
  /** Word 18: axis along rows. */
  MAPR: number;
  /** Word 19: axis along sections. */
  MAPS: number;
  /** Word 20: minimum density value (as stored). */
  DMIN: number;
  /** Word 21: maximum density value. */
  DMAX: number;
  /** Word 22: mean density value. */
  DMEAN: number;
  /** Word 23: space group number (0 image stack, 1 volume, 401-630 volume stacks). */
  ISPG: number;
  /** Word 24: extended header length in bytes. */
  NSYMBT: number;
  /** Word 27: extended header type (4 ASCII characters, e.g. 'CCP4', 'FEI1'). */
  EXTTYP: string;
  /** Word 28: MRC format version (20140 for MRC2014). */
  NVERSION: number;
  /** Words 50-52: origin [x, y, z] in Angstroms. */
  ORIGIN: [number, number, number];
  /** Word 53: the characters 'MAP ' (as read, NULs kept). */
  MAP: string;
  /** Word 54: machine stamp, the 4 bytes as read. */
  MACHST: [number, number, number, number];
  /** Word 55: RMS deviation of the density from its mean. */
  RMS: number;
  /** Word 56: number of labels in use. */
  NLABL: number;
  /** Words 57-256: up to 10 labels of 80 characters (trailing spaces/NULs removed, only the first NLABL). */
  labels: string[];
}

/** Header plus the byte order it was decoded with and the notes made while deciding. */
export interface DecodedHeader {
  header: MrcHeader;
  littleEndian: boolean;
  warnings: string[];
}

const wordOffset = (word: number): number => (word - 1) * 4;

function ascii(bytes: Uint8Array, start: number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += String.fromCharCode(bytes[start + i]);
  return s;
}

/** True when MODE, dimensions and axis words look like a real header in this byte order. */
function plausibleIn(view: DataView, littleEndian: boolean): boolean {
  const mode = view.getInt32(wordOffset(4), littleEndian);
  if (!KNOWN_MODES.has(mode)) return false;
  for (const w of [1, 2, 3]) {
    const n = view.getInt32(wordOffset(w), littleEndian);
    if (n < 0 || n > 1 << 24) return false;
  }
  const axes = [17, 18, 19].map((w) => view.getInt32(wordOffset(w), littleEndian));
  // A few writers leave the axis words at 0 (read as 1,2,3); anything else must be 1..3.
  return axes.every((a) => a >= 0 && a <= 3);
}

function stampOrder(machst: number[]): boolean | undefined {
  if (machst[0] === 0x44 && (machst[1] === 0x44 || machst[1] === 0x41)) return true;
  if (machst[0] === 0x11 && machst[1] === 0x11) return false;
  return undefined;
}

const hex = (b: number[]): string => b.map((x) => '0x' + x.toString(16).padStart(2, '0')).join(' ');

/**
 * Decodes the 1024-byte main header. Throws MrcFormatError when the file is shorter than a header or
 * is not an MRC file (no 'MAP' word and an implausible header in both byte orders). Field values are
 * returned as stored; their consistency is checked by `validateHeader` (mrc-geometry.ts).
 */
export function decodeMrcHeader(bytes: Uint8Array, source: string): DecodedHeader {
  if (bytes.length < MRC_HEADER_BYTES) {
    throw new MrcFormatError(
      'MRC_TOO_SHORT',
      `${source}: file is ${bytes.length} bytes, shorter than the ${MRC_HEADER_BYTES}-byte MRC header; it is not an MRC/CCP4 map or was cut off (re-download it)`,
      source,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, MRC_HEADER_BYTES);
  const warnings: string[] = [];
  const machst = [0, 1, 2, 3].map((i) => bytes[wordOffset(54) + i]);
  const map = ascii(bytes, wordOffset(53), 4);
  // Only the first three characters are compared: MotionCor2 and others write 'MAP\0'.
  const hasMapWord = map.startsWith('MAP');
  const okLE = plausibleIn(view, true);
  const okBE = plausibleIn(view, false);
  if (!hasMapWord && !okLE && !okBE) {
    throw new MrcFormatError(
      'MRC_NOT_MRC',
      `${source}: word 53 (MAP) = ${JSON.stringify(map)} and words 1-4/17-19 (NC..MODE, MAPC..MAPS) are implausible in both byte orders; this is not an MRC/CCP4 map (check the file type)`,
      source,
    );
  }
  if (!hasMapWord) warnings.push(`word 53 (MAP) = ${JSON.stringify(map)}, expected 'MAP '; header looks valid, read anyway`);
  let littleEndian: boolean;
  const fromStamp = stampOrder(machst);
  if (fromStamp === undefined) {
    littleEndian = okLE || !okBE;
    warnings.push(`word 54 (MACHST) = ${hex(machst)} is not a known machine stamp; byte order detected from the header: ${littleEndian ? 'little' : 'big'} endian`);
  } else if (!plausibleIn(view, fromStamp) && plausibleIn(view, !fromStamp)) {
    littleEndian = !fromStamp;
    warnings.push(`word 54 (MACHST) = ${hex(machst)} says ${fromStamp ? 'little' : 'big'} endian but the header only makes sense as ${littleEndian ? 'little' : 'big'} endian; using that`);
  } else {
    littleEndian = fromStamp;
  }
  const i32 = (w: number) => view.getInt32(wordOffset(w), littleEndian);
  const f32 = (w: number) => view.getFloat32(wordOffset(w), littleEndian);
  const nlabl = i32(56);
  const labels: string[] = [];
  for (let i = 0; i < Math.min(Math.max(nlabl, 0), 10); i++) {
    labels.push(ascii(bytes, wordOffset(57) + i * 80, 80).replace(/[\0 ]+$/, ''));
  }
  const header: MrcHeader = {
    NC: i32(1), NR: i32(2), NS: i32(3), MODE: i32(4),
    NCSTART: i32(5), NRSTART: i32(6), NSSTART: i32(7),
    MX: i32(8), MY: i32(9), MZ: i32(10),
    CELLA: [f32(11), f32(12), f32(13)],
    CELLB: [f32(14), f32(15), f32(16)],
    MAPC: i32(17), MAPR: i32(18), MAPS: i32(19),
    DMIN: f32(20), DMAX: f32(21), DMEAN: f32(22),
    ISPG: i32(23), NSYMBT: i32(24),
    EXTTYP: ascii(bytes, wordOffset(27), 4),
    NVERSION: i32(28),
    ORIGIN: [f32(50), f32(51), f32(52)],
    MAP: map,
    MACHST: machst as [number, number, number, number],
    RMS: f32(55),
    NLABL: nlabl,
    labels,
  };
  return { header, littleEndian, warnings };
}

/** Statistics and geometry the writer puts into a float32 MRC2014 header. */
export interface MrcWriteHeader {
  /** [nx, ny, nz] grid size (columns, rows, sections with MAPC/R/S = 1,2,3). */
  dims: [number, number, number];
  /** Cell lengths [x, y, z] in Angstroms (shape * voxel size). */
  cellA: [number, number, number];
  /** Origin [x, y, z] in Angstroms. */
  originA: [number, number, number];
  dmin: number;
  dmax: number;
  dmean: number;
  rms: number;
  labels: string[];
  /** NCSTART/NRSTART/NSSTART (x, y, z); default 0 (the position in ORIGIN only). */
  nstart?: [number, number, number];
}

/** Encodes a little-endian float32 MRC2014 header (MODE 2, MAPC/R/S 1,2,3, NSTART 0 unless given, ISPG 1, no extended header). */
export function encodeMrcHeader(h: MrcWriteHeader): Uint8Array {
  const bytes = new Uint8Array(MRC_HEADER_BYTES);
  const view = new DataView(bytes.buffer);
  const le = true;
  const i32 = (w: number, v: number) => view.setInt32(wordOffset(w), v, le);
  const f32 = (w: number, v: number) => view.setFloat32(wordOffset(w), v, le);
  const put = (start: number, s: string) => {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      bytes[start + i] = c >= 0x20 && c < 0x7f ? c : 0x3f; // printable ASCII only ('?' otherwise)
    }
  };
  h.dims.forEach((n, i) => i32(1 + i, n));
  i32(4, 2);
  // NCSTART/NRSTART/NSSTART: 0 unless given (the position then lives in ORIGIN only).
  (h.nstart ?? [0, 0, 0]).forEach((n, i) => i32(5 + i, n));
  h.dims.forEach((n, i) => i32(8 + i, n));
  h.cellA.forEach((c, i) => f32(11 + i, c));
  [90, 90, 90].forEach((a, i) => f32(14 + i, a));
  [1, 2, 3].forEach((a, i) => i32(17 + i, a));
  f32(20, h.dmin);
  f32(21, h.dmax);
  f32(22, h.dmean);
  i32(23, 1);
  i32(24, 0);
  put(wordOffset(27), 'MRCO');
  i32(28, 20140);
  h.originA.forEach((o, i) => f32(50 + i, o));
  put(wordOffset(53), 'MAP ');
  bytes.set([0x44, 0x44, 0, 0], wordOffset(54));
  f32(55, h.rms);
  const labels = h.labels.slice(0, 10);
  i32(56, labels.length);
  labels.forEach((l, i) => put(wordOffset(57) + i * 80, l.slice(0, 80).padEnd(80, ' ')));
  return bytes;
}
