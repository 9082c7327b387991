/**
 * MRC2014 / CCP4 maps: read (modes 0, 1, 2, 6, 12; either byte order; any MAPC/MAPR/MAPS order;
 * extended header skipped; .gz) into one [z][y][x] `Volume`, and write float32 MRC2014.
 *
 * Layers: mrc-header.ts (1024-byte header, byte order), mrc-geometry.ts (checks + shape, voxel size and
 * the one origin rule), mrc-data.ts (data block -> Float32Array). This file puts them together.
 * Every check runs before the data array is allocated.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { Volume, type Vec3 } from '../grid/volume.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { InputError, MrcFormatError } from '../util/errors.js';
import { isGzip, readFileBytes } from './read-bytes.js';
import { decodeMrcHeader, encodeMrcHeader, MRC_HEADER_BYTES, type MrcHeader } from './mrc-header.js';
import { decodeMrcData, decodeMrcSections, replaceNonFinite, sectionsOf } from './mrc-data.js';
import { mrcGeometry, type MrcGeometry, type MrcReadOptions } from './mrc-geometry.js';

export type { MrcHeader } from './mrc-header.js';
export { DEFAULT_MAX_BYTES, originFromHeader, type MrcReadOptions } from './mrc-geometry.js';

const PLATFORM_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A map as read: header fields as stored, the volume in [z][y][x] order and notes. */
export interface MrcMap {
  header: MrcHeader;
  /** Density on the grid, x fastest; origin by the rule in mrc-geometry.ts. */
  volume: Volume;
  /** [MAPC, MAPR, MAPS] of the file (1 = x, 2 = y, 3 = z). */
  axisOrder: [number, number, number];
  /** MRC data mode of the file. */
  mode: number;
  /** Byte order the file was decoded with. */
  littleEndian: boolean;
  /** Recoverable problems (unknown machine stamp, NaN values replaced, ...). */
  warnings: string[];
}

/** Header-only view of a map: the fields and the grid they describe, without reading the data. */
export interface MrcHeaderInfo {
  header: MrcHeader;
  geometry: MrcGeometry;
  littleEndian: boolean;
  warnings: string[];
}

/** Decodes and checks the header of in-memory MRC bytes. */
export function parseMrcHeader(bytes: Uint8Array, opts: MrcReadOptions = {}): MrcHeaderInfo {
  return headerOf(bytes, bytes.length, opts);
}

function headerOf(bytes: Uint8Array, fileBytes: number, opts: MrcReadOptions): MrcHeaderInfo {
  const source = opts.source ?? '<bytes>';
  const { header, littleEndian, warnings } = decodeMrcHeader(bytes, source);
  const geometry = mrcGeometry(header, fileBytes, { ...opts, source }, warnings);
  return { header, geometry, littleEndian, warnings };
}

/** Parses an MRC/CCP4 map held in memory. Throws MrcFormatError for anything it cannot read as asked. */
export function parseMrc(bytes: Uint8Array, opts: MrcReadOptions = {}): MrcMap {
  const { header, geometry, littleEndian, warnings } = headerOf(bytes, bytes.length, opts);
  const data = decodeMrcData(bytes, geometry, header.MODE, littleEndian, warnings);
  const volume = Volume.create({ shape: geometry.shape, voxelSizeA: geometry.voxelSizeA, originA: geometry.originA }, data);
  return { header, volume, axisOrder: geometry.axisOrder, mode: header.MODE, littleEndian, warnings };
}

/** Bytes read per chunk when streaming a plain (uncompressed) file: 64 MiB. */
const CHUNK_BYTES = 64 * 1024 * 1024;

/** Options of `readMrc`. */
export interface MrcFileReadOptions extends MrcReadOptions {
  /** Bytes read at a time from a plain file (rounded to whole sections, at least one). @default 64 MiB */
  chunkBytes?: number;
}

interface PlainFile {
  fd: number;
  size: number;
  head: Uint8Array;
}

/** Opens an uncompressed file and reads its first 1024 bytes; null for gzip, missing or directory (readFileBytes handles those). */
function openPlain(path: string): PlainFile | null {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) return null;
    size = st.size;
  } catch {
    return null;
  }
  const fd = openSync(path, 'r');
  try {
    const head = new Uint8Array(Math.min(MRC_HEADER_BYTES, size));
    readFully(fd, head, head.length, 0, path);
    if (isGzip(head)) {
      closeSync(fd);
      return null;
    }
    return { fd, size, head };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

function readFully(fd: number, buf: Uint8Array, length: number, position: number, source: string): void {
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, position + got);
    if (n === 0) throw new MrcFormatError('MRC_TRUNCATED', `${source}: file ended at byte ${position + got} while ${position + length} bytes were expected (was it changed while reading?)`, source);
    got += n;
  }
}

/**
 * Reads an MRC/CCP4 map file (`.gz` transparently). `source` defaults to the path. Plain files are
 * checked from their header and size first, then decoded in chunks of whole sections, so only the
 * float32 volume (plus one 64 MB chunk) is held in memory.
 */
export function readMrc(path: string, opts: MrcFileReadOptions = {}): MrcMap {
  const o = { source: path, ...opts };
  const plain = openPlain(path);
  if (!plain) return parseMrc(readFileBytes(path), o);
  try {
    const { header, geometry, littleEndian, warnings } = headerOf(plain.head, plain.size, o);
    const out = new Float32Array(geometry.count);
    const ns = sectionsOf(geometry);
    const sectionBytes = (geometry.count / ns) * geometry.bytesPerValue;
    const perChunk = Math.max(1, Math.floor((opts.chunkBytes ?? CHUNK_BYTES) / sectionBytes));
    const buf = new Uint8Array(Math.min(perChunk, ns) * sectionBytes);
    for (let s0 = 0; s0 < ns; s0 += perChunk) {
      const n = Math.min(perChunk, ns - s0);
      readFully(plain.fd, buf, n * sectionBytes, geometry.dataOffset + s0 * sectionBytes, path);
      decodeMrcSections(buf, 0, geometry, header.MODE, littleEndian, out, s0, n);
    }
    replaceNonFinite(out, header.MODE, warnings);
    const volume = Volume.create({ shape: geometry.shape, voxelSizeA: geometry.voxelSizeA, originA: geometry.originA }, out);
    return { header, volume, axisOrder: geometry.axisOrder, mode: header.MODE, littleEndian, warnings };
  } finally {
    closeSync(plain.fd);
  }
}

/**
 * Reads only the header of a map file and checks it against the file size. Plain files read 1024
 * bytes; gzipped files are decompressed whole, since their size is known only then.
 */
export function readMrcHeader(path: string, opts: MrcReadOptions = {}): MrcHeaderInfo {
  const o = { source: path, ...opts };
  const plain = openPlain(path);
  if (!plain) return parseMrcHeader(readFileBytes(path), o);
  closeSync(plain.fd);
  return headerOf(plain.head, plain.size, o);
}

/** Options of the writer. */
export interface MrcWriteOptions {
  /** Up to 10 labels of at most 80 printable ASCII characters. @default ['cryoread-ts'] */
  labels?: string[];
  /**
   * Also write the origin as NSTART (origin / voxel size) when it is a whole number of voxels, so
   * tools that read only NSTART (Coot, CCP4) place the map where tools that read ORIGIN (ChimeraX,
   * this reader) do. @default false (NSTART 0, position in ORIGIN)
   */
  nstartFromOrigin?: boolean;
}

/**
 * Encodes a volume as a little-endian float32 MRC2014 file: MAPC/MAPR/MAPS 1,2,3, NSTART 0,
 * ORIGIN = volume.originA, CELLA = shape x voxel size, angles 90, DMIN/DMAX/DMEAN/RMS from the data.
 */
/** origin / voxel size per axis when every axis is a whole number of voxels (within 1e-3), else [0, 0, 0]. */
function nstartOf(v: Volume): [number, number, number] {
  const n = v.originA.map((o, i) => o / v.voxelSizeA[i]);
  return n.every((x) => Math.abs(x - Math.round(x)) < 1e-3 && Math.abs(x) < 2 ** 30) ? (n.map(Math.round) as [number, number, number]) : [0, 0, 0];
}

export function mrcBytes(volume: Volume, opts: MrcWriteOptions = {}): Uint8Array {
  const [nz, ny, nx] = volume.shape;
  for (const o of volume.originA) {
    if (!Number.isFinite(o)) throw new InputError('MRC_WRITE_ORIGIN', `mrcBytes: originA ${JSON.stringify(volume.originA)} must be finite`);
  }
  const s = Volume.stats(volume);
  const head = encodeMrcHeader({
    dims: [nx, ny, nz],
    cellA: Volume.extentA(volume) as Vec3,
    originA: [...volume.originA] as Vec3,
    dmin: s.min,
    dmax: s.max,
    dmean: s.mean,
    rms: s.rms,
    labels: opts.labels ?? ['cryoread-ts'],
    ...(opts.nstartFromOrigin ? { nstart: nstartOf(volume) } : {}),
  });
  const out = new Uint8Array(MRC_HEADER_BYTES + volume.data.length * 4);
  out.set(head, 0);
  const d = volume.data;
  if (PLATFORM_LE) {
    new Float32Array(out.buffer, MRC_HEADER_BYTES, d.length).set(d);
  } else {
    const view = new DataView(out.buffer, MRC_HEADER_BYTES);
    for (let i = 0; i < d.length; i++) view.setFloat32(i * 4, d[i], true);
  }
  return out;
}

/** Writes a volume as float32 MRC2014 (temporary name + rename). */
export function writeMrc(path: string, volume: Volume, opts: MrcWriteOptions = {}): void {
  writeFileAtomic(path, mrcBytes(volume, opts));
}
