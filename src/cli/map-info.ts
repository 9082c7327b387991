/**
 * `cryoread map-info FILE [--json]`: header summary and data statistics of an MRC/CCP4 map.
 */
import { parseCommand } from './args.js';
import { readMrc, type MrcMap } from '../io/mrc.js';
import { SUPPORTED_MODES } from '../io/mrc-header.js';
import { Volume } from '../grid/volume.js';

const USAGE = `usage: cryoread map-info FILE [--json] [--permissive] [--max-bytes N]

Prints the grid (after permuting to x-fastest [z][y][x] order), voxel size, origin, cell, axis order,
mode and min/max/mean/rms of an MRC/CCP4 map (.gz accepted).

options:
  --json          one JSON object; keys shape [nz,ny,nx], voxelSizeA [x,y,z], originA [x,y,z], mode,
                  axisOrder [mapc,mapr,maps], min, max, mean, rms, cellA [x,y,z], cellAnglesDeg,
                  spaceGroup, nstart [x,y,z], machineStamp, littleEndian, labels, warnings
  --permissive    read non-orthogonal cells and unusable cell lengths with a warning instead of an error
  --max-bytes N   memory budget for the decoded float32 volume in bytes (default 4 GiB)
  -h, --help      this text`;

/** The JSON document `map-info --json` prints. */
export function mapInfo(path: string, m: MrcMap): Record<string, unknown> {
  const v = m.volume;
  const s = Volume.stats(v);
  const h = m.header;
  const nstart = [0, 0, 0];
  [h.NCSTART, h.NRSTART, h.NSSTART].forEach((n, k) => (nstart[m.axisOrder[k] - 1] = n));
  return {
    file: path,
    shape: [...v.shape],
    voxelSizeA: [...v.voxelSizeA],
    originA: [...v.originA],
    mode: m.mode,
    modeName: SUPPORTED_MODES.get(m.mode)?.name,
    axisOrder: [...m.axisOrder],
    min: s.min,
    max: s.max,
    mean: s.mean,
    rms: s.rms,
    cellA: [...h.CELLA],
    cellAnglesDeg: [...h.CELLB],
    spaceGroup: h.ISPG,
    nstart,
    machineStamp: h.MACHST.map((b) => '0x' + b.toString(16).padStart(2, '0')).join(' '),
    littleEndian: m.littleEndian,
    labels: h.labels,
    warnings: m.warnings,
  };
}

const num = (x: number) => (Number.isInteger(x) ? String(x) : String(+x.toPrecision(6)));
const vec = (a: unknown) => (a as number[]).map(num).join(', ');

function table(info: Record<string, unknown>): string {
  const [nz, ny, nx] = info.shape as number[];
  const rows: [string, string][] = [
    ['file', String(info.file)],
    ['grid (x, y, z)', `${nx} x ${ny} x ${nz} (shape [z,y,x] = [${nz}, ${ny}, ${nx}])`],
    ['voxel size (A)', vec(info.voxelSizeA)],
    ['origin (A)', vec(info.originA)],
    ['mode', `${info.mode} (${info.modeName})`],
    ['axis order', `${vec(info.axisOrder)} (mapc, mapr, maps)`],
    ['cell (A)', vec(info.cellA)],
    ['cell angles (deg)', vec(info.cellAnglesDeg)],
    ['space group', String(info.spaceGroup)],
    ['nstart (x, y, z)', vec(info.nstart)],
    ['machine stamp', `${info.machineStamp} (${info.littleEndian ? 'little' : 'big'} endian)`],
    ['min / max', `${num(info.min as number)} / ${num(info.max as number)}`],
    ['mean / rms', `${num(info.mean as number)} / ${num(info.rms as number)}`],
  ];
  for (const l of info.labels as string[]) rows.push(['label', l]);
  for (const w of info.warnings as string[]) rows.push(['warning', w]);
  return rows.map(([k, val]) => `${k.padEnd(18)} ${val}`).join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand<{ json: boolean; permissive: boolean; 'max-bytes'?: string }>('map-info', argv, {
    json: { type: 'boolean', default: false },
    permissive: { type: 'boolean', default: false },
    'max-bytes': { type: 'string' },
  }, USAGE, { count: 1, what: 'one map file' });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  let maxBytes: number | undefined;
  if (values['max-bytes'] !== undefined) {
    maxBytes = Number(values['max-bytes']);
    if (!(maxBytes > 0)) {
      process.stderr.write(`cryoread map-info: --max-bytes ${values['max-bytes']} must be a positive number of bytes\n`);
      return 2;
    }
  }
  const path = positionals[0];
  const m = readMrc(path, { permissive: values.permissive, maxBytes });
  const info = mapInfo(path, m);
  process.stdout.write((values.json ? JSON.stringify(info, null, 2) : table(info)) + '\n');
  return 0;
}
