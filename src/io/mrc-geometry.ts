/**
 * From an MRC header to a grid: checks every field a reader depends on (before any large allocation)
 * and derives the [z][y][x] shape, voxel size, origin and data layout.
 *
 * ORIGIN RULE (the only place it is applied; CryoREAD §3.1): the position of voxel (0,0,0) is ORIGIN
 * (words 50-52) when any of its components is non-zero, otherwise NSTART (words 5-7, reordered to
 * x,y,z through MAPC/MAPR/MAPS) times the voxel size. CryoREAD tests `sum(origin) == 0`; we test
 * "all components zero" so that an origin like (5,-5,0) is not mistaken for an unset one.
 */
import { MrcFormatError } from '../util/errors.js';
import { MRC_HEADER_BYTES, SUPPORTED_MODES, type MrcHeader } from './mrc-header.js';

/** Default memory budget for the decoded float32 volume: 4 GiB. */
export const DEFAULT_MAX_BYTES = 4 * 1024 ** 3;

export interface MrcReadOptions {
  /** Name used in messages (file path). @default '<bytes>' */
  source?: string;
  /** Largest decoded float32 volume accepted, in bytes. @default 4 GiB */
  maxBytes?: number;
  /** Downgrade recoverable problems (non-orthogonal cell, unusable cell lengths) to warnings. @default false */
  permissive?: boolean;
}

/** Everything needed to decode the data block and place it in space. */
export interface MrcGeometry {
  /** [nz, ny, nx] after permuting to x-fastest order. */
  shape: [number, number, number];
  /** Voxel size [x, y, z] in Angstroms (CELLA / MX per axis). */
  voxelSizeA: [number, number, number];
  /** Position [x, y, z] (Angstroms) of voxel (0,0,0), by the origin rule above. */
  originA: [number, number, number];
  /** [MAPC, MAPR, MAPS] as used (1 = x, 2 = y, 3 = z). */
  axisOrder: [number, number, number];
  /** NSTART reordered to [x, y, z]. */
  nstartXyz: [number, number, number];
  /** Byte offset of the first data value (1024 + NSYMBT). */
  dataOffset: number;
  /** Bytes per stored value. */
  bytesPerValue: number;
  /** Number of voxels. */
  count: number;
}

function fail(code: string, message: string, source: string): never {
  throw new MrcFormatError(code, `${source}: ${message}`, source);
}

/**
 * Checks a decoded header against the file length and the memory budget and returns the grid it describes.
 * Appends recoverable notes to `warnings`. Throws MrcFormatError (one line: file, word/field, fix).
 */
export function mrcGeometry(h: MrcHeader, fileBytes: number, opts: MrcReadOptions, warnings: string[]): MrcGeometry {
  const source = opts.source ?? '<bytes>';
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const permissive = opts.permissive ?? false;

  const dims = [h.NC, h.NR, h.NS];
  if (dims.some((n) => !(n > 0))) {
    fail('MRC_BAD_DIMENSIONS', `words 1-3 (NC, NR, NS) = ${dims.join(', ')}; every dimension must be positive (the header is damaged: re-export the map)`, source);
  }
  const mode = SUPPORTED_MODES.get(h.MODE);
  if (!mode) {
    fail('MRC_UNSUPPORTED_MODE', `word 4 (MODE) = ${h.MODE} is not supported; supported are 0 int8, 1 int16, 2 float32, 6 uint16, 12 float16 (convert the map to float32, e.g. with mrcfile or relion_image_handler)`, source);
  }
  let axisOrder: [number, number, number] = [h.MAPC, h.MAPR, h.MAPS];
  if (axisOrder.every((a) => a === 0)) {
    warnings.push('words 17-19 (MAPC, MAPR, MAPS) = 0, 0, 0; assumed 1, 2, 3');
    axisOrder = [1, 2, 3];
  }
  if ([...axisOrder].sort().join() !== '1,2,3') {
    fail('MRC_BAD_AXIS_ORDER', `words 17-19 (MAPC, MAPR, MAPS) = ${axisOrder.join(', ')}, expected a permutation of 1, 2, 3 (fix the header, e.g. with mrcfile)`, source);
  }
  if (!(h.NSYMBT >= 0) || MRC_HEADER_BYTES + h.NSYMBT > fileBytes) {
    fail('MRC_BAD_NSYMBT', `word 24 (NSYMBT) = ${h.NSYMBT} bytes of extended header, but the file has only ${fileBytes - MRC_HEADER_BYTES} bytes after the main header (damaged header or truncated file)`, source);
  }
  const count = h.NC * h.NR * h.NS;
  const decodedBytes = count * 4;
  if (decodedBytes > maxBytes) {
    fail('MRC_TOO_LARGE', `words 1-3 (NC, NR, NS) = ${dims.join(' x ')} = ${count} voxels need ${decodedBytes} bytes as float32, over the memory budget of ${maxBytes} bytes (raise it with the maxBytes option / --max-bytes, or crop the map first)`, source);
  }
  const dataOffset = MRC_HEADER_BYTES + h.NSYMBT;
  const expected = dataOffset + count * mode.bytes;
  if (fileBytes < expected) {
    fail('MRC_TRUNCATED', `data block is truncated: header (NC x NR x NS = ${dims.join(' x ')}, MODE ${h.MODE}, NSYMBT ${h.NSYMBT}) needs ${expected} bytes, file has ${fileBytes} (re-download or re-export the map)`, source);
  }
  if (fileBytes > expected) warnings.push(`${fileBytes - expected} bytes after the data block ignored`);

  // Cell shape. Angles 0,0,0 are an unset cell (some writers); anything else must be 90 degrees.
  const angles = h.CELLB;
  if (angles.every((a) => a === 0)) {
    warnings.push('words 14-16 (CELLB) = 0, 0, 0; assumed 90, 90, 90');
  } else if (angles.some((a) => !(Math.abs(a - 90) < 0.01))) {
    const msg = `words 14-16 (CELLB) = ${angles.map((a) => +a.toFixed(3)).join(', ')} degrees: non-orthogonal cell; resampling to an orthogonal grid is needed first (e.g. gemmi or phenix.map_box), or read it distorted with the permissive option / --permissive`;
    if (!permissive) fail('MRC_NON_ORTHOGONAL', msg, source);
    warnings.push(`words 14-16 (CELLB) = ${angles.map((a) => +a.toFixed(3)).join(', ')} degrees: non-orthogonal cell read as if orthogonal (permissive), so positions are distorted; resample to an orthogonal grid for real use`);
  }

  // Voxel size [x, y, z] = CELLA / M. Grid counts along x, y, z (through the axis order) stand in for a zero M.
  const nXyz = [0, 0, 0];
  nXyz[axisOrder[0] - 1] = h.NC;
  nXyz[axisOrder[1] - 1] = h.NR;
  nXyz[axisOrder[2] - 1] = h.NS;
  const sampling = [h.MX, h.MY, h.MZ];
  const voxelSizeA: [number, number, number] = [1, 1, 1];
  for (let i = 0; i < 3; i++) {
    const axis = 'XYZ'[i];
    let m = sampling[i];
    if (!(m > 0)) {
      warnings.push(`word ${8 + i} (M${axis}) = ${m}; used the grid size ${nXyz[i]} instead`);
      m = nXyz[i];
    }
    const cell = h.CELLA[i];
    if (!(cell > 0) || !Number.isFinite(cell)) {
      const msg = `word ${11 + i} (CELLA ${axis}) = ${cell} Angstrom; the cell length must be positive to give a voxel size (fix the header, e.g. mrcfile's voxel_size)`;
      if (!permissive) fail('MRC_BAD_CELL', msg, source);
      warnings.push(`${msg}; voxel size 1 Angstrom assumed because permissive is set`);
      continue;
    }
    voxelSizeA[i] = cell / m;
  }

  const nstartCrs = [h.NCSTART, h.NRSTART, h.NSSTART];
  const nstartXyz: [number, number, number] = [0, 0, 0];
  for (let k = 0; k < 3; k++) nstartXyz[axisOrder[k] - 1] = nstartCrs[k];
  const originA = originFromHeader(h.ORIGIN, nstartXyz, voxelSizeA, warnings);

  return {
    shape: [nXyz[2], nXyz[1], nXyz[0]],
    voxelSizeA,
    originA,
    axisOrder,
    nstartXyz,
    dataOffset,
    bytesPerValue: mode.bytes,
    count,
  };
}

/** The origin rule (see the file comment): ORIGIN if any component is non-zero, else NSTART x voxel size. */
export function originFromHeader(
  origin: readonly [number, number, number],
  nstartXyz: readonly [number, number, number],
  voxelSizeA: readonly [number, number, number],
  warnings: string[] = [],
): [number, number, number] {
  const hasOrigin = origin.some((o) => o !== 0);
  if (origin.some((o) => !Number.isFinite(o))) {
    warnings.push(`words 50-52 (ORIGIN) = ${origin.join(', ')} are not finite; NSTART used instead`);
  } else if (hasOrigin) {
    if (nstartXyz.some((n) => n !== 0)) warnings.push(`both ORIGIN (${origin.join(', ')}) and NSTART (${nstartXyz.join(', ')}) are set; ORIGIN used, NSTART ignored`);
    return [origin[0], origin[1], origin[2]];
  }
  return [nstartXyz[0] * voxelSizeA[0], nstartXyz[1] * voxelSizeA[1], nstartXyz[2] * voxelSizeA[2]];
}
