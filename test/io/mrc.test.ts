import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { mrcBytes, parseMrc, readMrc, readMrcHeader, writeMrc } from '../../src/io/mrc.js';
import { Volume } from '../../src/grid/volume.js';
import { AXIS_ORDERS, buildMrc } from '../helpers/mrc-builder.js';

const DIMS: [number, number, number] = [4, 3, 2]; // NC, NR, NS (all different, so a wrong permutation shows)

/** Test value of file element (c, r, s) for a mode, chosen to be exact in that mode. */
function fileValue(mode: number, c: number, r: number, s: number): number {
  const k = c + 4 * r + 12 * s; // 0..23
  switch (mode) {
    case 0: return k - 10;
    case 1: return (k - 10) * 1000;
    case 6: return 40000 + k * 1000;
    case 12: return (k - 10) * 0.5;
    default: return (k - 10) * 0.37;
  }
}

function fileValues(mode: number): number[] {
  const out: number[] = [];
  for (let s = 0; s < DIMS[2]; s++) for (let r = 0; r < DIMS[1]; r++) for (let c = 0; c < DIMS[0]; c++) out.push(fileValue(mode, c, r, s));
  return out;
}

for (const mode of [0, 1, 2, 6, 12]) {
  for (const littleEndian of [true, false]) {
    test(`mode ${mode}, ${littleEndian ? 'little' : 'big'} endian, all 6 axis orders decode to [z][y][x]`, () => {
      for (const axisOrder of AXIS_ORDERS) {
        const bytes = buildMrc({ dims: DIMS, mode, littleEndian, axisOrder, values: fileValues(mode) });
        const before = bytes.slice();
        const m = parseMrc(bytes, { source: 'built.mrc' });
        assert.deepEqual(bytes, before, 'input bytes must not be modified');
        assert.equal(m.mode, mode);
        assert.equal(m.littleEndian, littleEndian);
        assert.deepEqual(m.axisOrder, axisOrder);
        assert.deepEqual(m.warnings, []);
        const nXyz = [0, 0, 0];
        axisOrder.forEach((a, k) => (nXyz[a - 1] = DIMS[k]));
        assert.deepEqual(m.volume.shape, [nXyz[2], nXyz[1], nXyz[0]], `shape for axis order ${axisOrder}`);
        for (let s = 0; s < DIMS[2]; s++) {
          for (let r = 0; r < DIMS[1]; r++) {
            for (let c = 0; c < DIMS[0]; c++) {
              const xyz = [0, 0, 0];
              xyz[axisOrder[0] - 1] = c;
              xyz[axisOrder[1] - 1] = r;
              xyz[axisOrder[2] - 1] = s;
              const got = m.volume.data[Volume.offset(m.volume, xyz[0], xyz[1], xyz[2])];
              assert.ok(Math.abs(got - fileValue(mode, c, r, s)) < 1e-5, `order ${axisOrder} (c,r,s)=(${c},${r},${s}): ${got}`);
            }
          }
        }
      }
    });
  }
}

test("stamps 0x44 0x41 (LE) and 'MAP\\0' are accepted without warnings", () => {
  const m = parseMrc(buildMrc({ dims: [2, 2, 2], stamp: [0x44, 0x41, 0, 0], mapWord: 'MAP\0', values: [1, 2, 3, 4, 5, 6, 7, 8] }));
  assert.equal(m.littleEndian, true);
  assert.deepEqual(Array.from(m.volume.data), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(m.warnings, []);
});

test('zero machine stamp: byte order detected from the header, in both orders', () => {
  for (const littleEndian of [true, false]) {
    const m = parseMrc(buildMrc({ dims: [3, 2, 2], mode: 1, littleEndian, stamp: [0, 0, 0, 0], values: Array.from({ length: 12 }, (_, i) => i * 300 - 1000) }));
    assert.equal(m.littleEndian, littleEndian);
    assert.equal(m.volume.data[11], 11 * 300 - 1000);
    assert.match(m.warnings.join('\n'), /MACHST\) = 0x00 0x00 0x00 0x00 is not a known machine stamp/);
  }
});

test('a wrong machine stamp is overridden when the header only makes sense in the other order', () => {
  const m = parseMrc(buildMrc({ dims: [2, 2, 1], littleEndian: false, stamp: [0x44, 0x44, 0, 0], values: [1.5, -2, 3, 4] }));
  assert.equal(m.littleEndian, false);
  assert.deepEqual(Array.from(m.volume.data), [1.5, -2, 3, 4]);
  assert.match(m.warnings[0], /says little endian but the header only makes sense as big endian/);
});

test('extended header (NSYMBT = 102, misaligned data) is skipped', () => {
  const values = Array.from({ length: 24 }, (_, i) => i * 0.25 - 2);
  const m = parseMrc(buildMrc({ dims: DIMS, nsymbt: 102, values }));
  assert.deepEqual(Array.from(m.volume.data), values);
  assert.equal(m.header.NSYMBT, 102);
});

test('input that is a subarray at an odd byte offset decodes the same', () => {
  const values = Array.from({ length: 24 }, (_, i) => i - 7.5);
  const inner = buildMrc({ dims: DIMS, mode: 2, values });
  const outer = new Uint8Array(inner.length + 3);
  outer.set(inner, 3);
  assert.deepEqual(Array.from(parseMrc(outer.subarray(3)).volume.data), values);
});

test('origin rule: ORIGIN when non-zero, else NSTART (reordered to x,y,z) times the voxel size', () => {
  // Axis order 3,1,2: columns = z, rows = x, sections = y. Voxel size x 0.5, y 2, z 1.5.
  const base = { dims: [4, 3, 2] as [number, number, number], axisOrder: [3, 1, 2] as [number, number, number], sampling: [3, 2, 4] as [number, number, number], cellA: [1.5, 4, 6] as [number, number, number] };
  const fromStart = parseMrc(buildMrc({ ...base, nstart: [10, -4, 6] }));
  assert.deepEqual(fromStart.volume.voxelSizeA, [0.5, 2, 1.5]);
  assert.deepEqual(fromStart.volume.shape, [4, 2, 3]);
  // NCSTART (z) = 10, NRSTART (x) = -4, NSSTART (y) = 6.
  assert.deepEqual(fromStart.volume.originA, [-4 * 0.5, 6 * 2, 10 * 1.5]);
  const fromOrigin = parseMrc(buildMrc({ ...base, origin: [5, -5, 0] }));
  assert.deepEqual(fromOrigin.volume.originA, [5, -5, 0], 'an origin summing to 0 is still an origin');
  const both = parseMrc(buildMrc({ ...base, origin: [1, 2, 3], nstart: [1, 1, 1] }));
  assert.deepEqual(both.volume.originA, [1, 2, 3]);
  assert.match(both.warnings.join(), /ORIGIN used, NSTART ignored/);
});

test('NaN and Inf values become 0 with a warning', () => {
  const m = parseMrc(buildMrc({ dims: [2, 2, 1], values: [NaN, 1, Infinity, -Infinity] }));
  assert.deepEqual(Array.from(m.volume.data), [0, 1, 0, 0]);
  assert.deepEqual(m.warnings, ['3 NaN/Inf voxel values replaced by 0']);
  const h = parseMrc(buildMrc({ dims: [2, 1, 1], mode: 12, values: [NaN, 2] }));
  assert.deepEqual(Array.from(h.volume.data), [0, 2]);
});

test('float16 decodes subnormals, negative zero and large values', () => {
  const values = [2 ** -24, -(2 ** -20), 65504, -0, 1 / 3, 1000.5];
  const m = parseMrc(buildMrc({ dims: [6, 1, 1], mode: 12, values }));
  const got = Array.from(m.volume.data);
  assert.deepEqual(got.slice(0, 4), [2 ** -24, -(2 ** -20), 65504, -0]);
  assert.ok(Math.abs(got[4] - 1 / 3) < 2e-4);
  assert.equal(got[5], 1000.5);
});

function sampleVolume(): Volume {
  const v = Volume.create({ shape: [5, 4, 3], voxelSizeA: [1.25, 0.8, 2], originA: [-12.5, 3.2, 100] });
  for (let i = 0; i < v.data.length; i++) v.data[i] = Math.sin(i * 0.7) * 3 + (i % 5 === 0 ? 1e-8 : 0);
  return v;
}

test('write float32 -> read gives identical data, grid, header fields and stats', () => {
  const v = sampleVolume();
  const bytes = mrcBytes(v, { labels: ['round trip test'] });
  assert.equal(bytes.length, 1024 + 60 * 4);
  const m = parseMrc(bytes, { source: 'rt.mrc' });
  assert.deepEqual(m.warnings, []);
  assert.deepEqual(m.volume.shape, v.shape);
  assert.deepEqual(Array.from(m.volume.data), Array.from(v.data));
  for (let i = 0; i < 3; i++) {
    assert.ok(Math.abs(m.volume.voxelSizeA[i] - v.voxelSizeA[i]) < 1e-6);
    assert.ok(Math.abs(m.volume.originA[i] - v.originA[i]) < 1e-4);
  }
  const h = m.header;
  assert.deepEqual([h.MAPC, h.MAPR, h.MAPS, h.NCSTART, h.NRSTART, h.NSSTART, h.MODE, h.NVERSION, h.ISPG], [1, 2, 3, 0, 0, 0, 2, 20140, 1]);
  assert.equal(h.MAP, 'MAP ');
  assert.deepEqual(h.MACHST, [0x44, 0x44, 0, 0]);
  assert.deepEqual(h.labels, ['round trip test']);
  const s = Volume.stats(v);
  assert.ok(Math.abs(h.DMIN - s.min) < 1e-6 && Math.abs(h.DMAX - s.max) < 1e-6);
  assert.ok(Math.abs(h.DMEAN - s.mean) < 1e-6 && Math.abs(h.RMS - s.rms) < 1e-6);
  assert.ok(Math.abs(h.CELLA[0] - 3.75) < 1e-5 && Math.abs(h.CELLA[1] - 3.2) < 1e-5 && Math.abs(h.CELLA[2] - 10) < 1e-5);
});

test('writeMrc + readMrc + readMrcHeader on disk, plain and gzipped', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cryoread-mrc-'));
  try {
    const v = sampleVolume();
    const path = join(dir, 'out.mrc');
    writeMrc(path, v);
    const m = readMrc(path);
    assert.deepEqual(Array.from(m.volume.data), Array.from(v.data));
    const gz = join(dir, 'out.mrc.gz');
    writeFileSync(gz, gzipSync(mrcBytes(v)));
    assert.deepEqual(Array.from(readMrc(gz).volume.data), Array.from(v.data));
    for (const p of [path, gz]) {
      const h = readMrcHeader(p);
      assert.deepEqual(h.geometry.shape, [5, 4, 3]);
      assert.deepEqual([h.header.NC, h.header.NR, h.header.NS], [3, 4, 5]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('readMrc streams plain files in section chunks with the same result as parseMrc', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cryoread-chunk-'));
  try {
    const dims: [number, number, number] = [5, 4, 7];
    const values = Array.from({ length: 140 }, (_, i) => (i % 13) - 6 + (i === 131 ? NaN : 0));
    for (const axisOrder of AXIS_ORDERS) {
      for (const [mode, littleEndian] of [[2, false], [12, true], [1, false]] as const) {
        const bytes = buildMrc({ dims, mode, littleEndian, axisOrder, values, nsymbt: 6 });
        const path = join(dir, 'c.mrc');
        writeFileSync(path, bytes);
        const whole = parseMrc(bytes, { source: path });
        for (const chunkBytes of [1, 3 * 20 * 4, 1 << 20]) {
          const m = readMrc(path, { chunkBytes });
          assert.deepEqual(Array.from(m.volume.data), Array.from(whole.volume.data), `${axisOrder} mode ${mode} chunk ${chunkBytes}`);
          assert.deepEqual(m.volume.shape, whole.volume.shape);
          assert.deepEqual(m.warnings, whole.warnings);
        }
        if (mode !== 1) assert.deepEqual(whole.warnings, ['1 NaN/Inf voxel value replaced by 0']);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('resolutionFromLabels: stated resolutions are read, other numbers are not', async () => {
  const { resolutionFromLabels } = await import('../../src/io/map-resolution.js');
  assert.equal(resolutionFromLabels(['cryoread-ts simulate 3.7 A (simulated, not experimental)'])?.resolutionA, 3.7);
  assert.equal(resolutionFromLabels(['::::EMDATABANK.org::::EMD-1234::::', 'Resolution: 2.85 A'])?.resolutionA, 2.85);
  assert.equal(resolutionFromLabels(['map at 4 A resolution, sharpened'])?.resolutionA, 4);
  assert.equal(resolutionFromLabels(['::::EMDATABANK.org::::EMD-1234::::', 'box 256 pixel 1.06 A']), null);
  assert.equal(resolutionFromLabels([]), null);
});
