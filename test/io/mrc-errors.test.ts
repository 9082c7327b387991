import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMrc, readMrc, readMrcHeader } from '../../src/io/mrc.js';
import { CryoreadError, MrcFormatError } from '../../src/util/errors.js';
import { buildMrc, type MrcSpec } from '../helpers/mrc-builder.js';

const ok: MrcSpec = { dims: [4, 3, 2], values: Array.from({ length: 24 }, (_, i) => i) };

interface BadCase {
  name: string;
  bytes: () => Uint8Array;
  code: string;
  message: RegExp;
  opts?: { maxBytes?: number; permissive?: boolean };
}

const text = (s: string, n: number) => new TextEncoder().encode(s.repeat(Math.ceil(n / s.length)).slice(0, n));

const cases: BadCase[] = [
  { name: 'empty file', bytes: () => new Uint8Array(0), code: 'MRC_TOO_SHORT', message: /file is 0 bytes, shorter than the 1024-byte MRC header/ },
  { name: 'file shorter than 1024 bytes', bytes: () => buildMrc(ok).slice(0, 700), code: 'MRC_TOO_SHORT', message: /file is 700 bytes/ },
  { name: 'text file', bytes: () => text('hello world, not a map\n', 4096), code: 'MRC_NOT_MRC', message: /word 53 \(MAP\) = "ello" .*not an MRC\/CCP4 map/ },
  { name: 'PDB file', bytes: () => text('ATOM      1  P     G A   1      10.000  12.000  14.000  1.00 20.00           P\n', 3000), code: 'MRC_NOT_MRC', message: /implausible in both byte orders/ },
  { name: 'zero dimension', bytes: () => buildMrc({ ...ok, dimsWord: [0, 3, 2] }), code: 'MRC_BAD_DIMENSIONS', message: /words 1-3 \(NC, NR, NS\) = 0, 3, 2; every dimension must be positive/ },
  { name: 'negative dimension', bytes: () => buildMrc({ ...ok, dimsWord: [4, -3, 2] }), code: 'MRC_BAD_DIMENSIONS', message: /= 4, -3, 2/ },
  { name: 'complex mode 4', bytes: () => buildMrc({ dims: [2, 2, 2], mode: 4 }), code: 'MRC_UNSUPPORTED_MODE', message: /word 4 \(MODE\) = 4 is not supported; supported are 0 int8, 1 int16, 2 float32, 6 uint16, 12 float16 \(convert/ },
  { name: 'complex mode 3', bytes: () => buildMrc({ dims: [2, 2, 2], mode: 3 }), code: 'MRC_UNSUPPORTED_MODE', message: /word 4 \(MODE\) = 3/ },
  { name: '4-bit mode 101', bytes: () => buildMrc({ dims: [2, 2, 2], mode: 101 }), code: 'MRC_UNSUPPORTED_MODE', message: /\(MODE\) = 101/ },
  { name: 'axis order with a repeat', bytes: () => buildMrc({ ...ok, axisOrder: [1, 1, 3] }), code: 'MRC_BAD_AXIS_ORDER', message: /words 17-19 \(MAPC, MAPR, MAPS\) = 1, 1, 3, expected a permutation of 1, 2, 3/ },
  { name: 'axis out of range', bytes: () => buildMrc({ ...ok, axisOrder: [1, 2, 4] }), code: 'MRC_BAD_AXIS_ORDER', message: /= 1, 2, 4/ },
  { name: 'data truncated by 4 bytes', bytes: () => buildMrc({ ...ok, truncateBy: 4 }), code: 'MRC_TRUNCATED', message: /needs 1120 bytes, file has 1116/ },
  { name: 'header only, no data', bytes: () => buildMrc({ ...ok, truncateBy: 96 }), code: 'MRC_TRUNCATED', message: /NC x NR x NS = 4 x 3 x 2, MODE 2, NSYMBT 0\) needs 1120 bytes, file has 1024/ },
  { name: 'absurd dimensions over the default 4 GiB budget', bytes: () => buildMrc({ ...ok, dimsWord: [4000, 4000, 4000] }), code: 'MRC_TOO_LARGE', message: /64000000000 voxels need 256000000000 bytes as float32, over the memory budget of 4294967296 bytes \(raise it with the maxBytes option/ },
  { name: 'over a caller-set budget', bytes: () => buildMrc(ok), code: 'MRC_TOO_LARGE', message: /24 voxels need 96 bytes as float32, over the memory budget of 64 bytes/, opts: { maxBytes: 64 } },
  { name: 'non-orthogonal (hexagonal) cell', bytes: () => buildMrc({ ...ok, cellB: [90, 90, 120] }), code: 'MRC_NON_ORTHOGONAL', message: /words 14-16 \(CELLB\) = 90, 90, 120 degrees: non-orthogonal cell; resampling to an orthogonal grid is needed/ },
  { name: 'NSYMBT beyond the file', bytes: () => buildMrc({ ...ok, nsymbtWord: 100000 }), code: 'MRC_BAD_NSYMBT', message: /word 24 \(NSYMBT\) = 100000 bytes of extended header, but the file has only 96 bytes/ },
  { name: 'negative NSYMBT', bytes: () => buildMrc({ ...ok, nsymbtWord: -8 }), code: 'MRC_BAD_NSYMBT', message: /\(NSYMBT\) = -8/ },
  { name: 'zero cell length', bytes: () => buildMrc({ ...ok, cellA: [0, 3, 2] }), code: 'MRC_BAD_CELL', message: /word 11 \(CELLA X\) = 0 Angstrom; the cell length must be positive/ },
];

for (const c of cases) {
  test(`bad input: ${c.name} -> ${c.code}`, () => {
    const bytes = c.bytes();
    assert.throws(
      () => parseMrc(bytes, { source: 'bad.mrc', ...c.opts }),
      (e: unknown) => {
        assert.ok(e instanceof MrcFormatError, `expected MrcFormatError, got ${e}`);
        assert.equal(e.code, c.code);
        assert.match(e.message, c.message);
        assert.ok(e.message.startsWith('bad.mrc: '), `message names the file: ${e.message}`);
        assert.ok(!e.message.includes('\n'), 'one line');
        assert.equal(e.source, 'bad.mrc');
        return true;
      },
    );
  });
}

test('permissive reads a non-orthogonal cell and a zero cell length with warnings', () => {
  const m = parseMrc(buildMrc({ ...ok, cellB: [90, 94.3, 90], cellA: [0, 3, 2] }), { permissive: true });
  assert.deepEqual(m.volume.voxelSizeA, [1, 1, 1]);
  assert.equal(m.warnings.length, 2);
  assert.match(m.warnings.join('\n'), /non-orthogonal cell.*permissive/);
  assert.match(m.warnings.join('\n'), /voxel size 1 Angstrom assumed/);
});

test('files on disk: missing file, truncated file (header-only read), corrupt gzip', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cryoread-mrcbad-'));
  try {
    const missing = join(dir, 'nope.mrc');
    assert.throws(() => readMrc(missing), (e: unknown) => e instanceof CryoreadError && e.code === 'FILE_NOT_FOUND' && e.message.includes('nope.mrc'));
    const cut = join(dir, 'cut.mrc');
    writeFileSync(cut, buildMrc({ ...ok, truncateBy: 10 }));
    for (const read of [readMrc, readMrcHeader]) {
      assert.throws(() => read(cut), (e: unknown) => e instanceof MrcFormatError && e.code === 'MRC_TRUNCATED' && e.message.startsWith(cut) && /file has 1110/.test(e.message));
    }
    const gz = join(dir, 'bad.mrc.gz');
    writeFileSync(gz, new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3]));
    assert.throws(() => readMrc(gz), (e: unknown) => e instanceof CryoreadError && e.code === 'GZIP_CORRUPT');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
