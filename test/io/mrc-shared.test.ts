import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readMrc, type MrcMap } from '../../src/io/mrc.js';
import { Volume } from '../../src/grid/volume.js';
import { MrcFormatError } from '../../src/util/errors.js';
import { sharedDataOrSkip } from '../helpers/shared-data.js';

/** Maps in ../shared/data/maps with a non-orthogonal cell (read only with permissive). */
const NON_ORTHOGONAL = /^(nucleofind_|mrcfile_EMD-3001)/;

const close = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

function checkAgainstHeader(name: string, m: MrcMap): void {
  const h = m.header;
  const nXyz = [0, 0, 0];
  nXyz[h.MAPC - 1] = h.NC;
  nXyz[h.MAPR - 1] = h.NR;
  nXyz[h.MAPS - 1] = h.NS;
  assert.deepEqual(m.volume.shape, [nXyz[2], nXyz[1], nXyz[0]], `${name} shape`);
  const m3 = [h.MX, h.MY, h.MZ];
  for (let i = 0; i < 3; i++) assert.ok(close(m.volume.voxelSizeA[i], h.CELLA[i] / m3[i], 1e-6), `${name} voxel ${i}`);
  const s = Volume.stats(m.volume);
  if (h.DMAX > h.DMIN) {
    assert.ok(close(s.min, h.DMIN, 1e-6) && close(s.max, h.DMAX, 1e-6), `${name} min/max ${s.min} ${s.max} vs ${h.DMIN} ${h.DMAX}`);
    assert.ok(Math.abs(s.mean - h.DMEAN) < 1e-5 * Math.max(1, s.rms), `${name} mean ${s.mean} vs ${h.DMEAN}`);
  }
  if (h.RMS > 0) assert.ok(close(s.rms, h.RMS, 1e-4), `${name} rms ${s.rms} vs ${h.RMS}`);
}

test('every map in ../shared/data/maps reads and agrees with its header', (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const files = readdirSync(join(dir, 'maps')).sort();
  assert.ok(files.length >= 16, `expected the 16 shared maps, found ${files.length}`);
  for (const f of files) {
    const path = join(dir, 'maps', f);
    if (NON_ORTHOGONAL.test(f)) {
      assert.throws(() => readMrc(path), (e: unknown) => e instanceof MrcFormatError && e.code === 'MRC_NON_ORTHOGONAL' && e.message.includes(f) && e.message.includes('resampling to an orthogonal grid is needed'), f);
      const m = readMrc(path, { permissive: true });
      assert.ok(m.warnings.some((w) => w.includes('non-orthogonal')), f);
      checkAgainstHeader(f, m);
    } else {
      const m = readMrc(path);
      checkAgainstHeader(f, m);
      assert.ok(m.warnings.every((w) => w.includes('MACHST')), `${f}: ${m.warnings}`);
    }
  }
});

test('header geometry of specific shared maps (origins, NSTART rule, zero machine stamp)', (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const p = (f: string) => join(dir, 'maps', f);
  const daq = readMrc(p('daq_2566_3J6B_9.mrc'));
  assert.deepEqual(daq.volume.shape, [47, 52, 35]);
  daq.volume.originA.forEach((o, i) => assert.ok(Math.abs(o - [356.44, 155.44, 159.46][i]) < 1e-3));
  daq.volume.voxelSizeA.forEach((v) => assert.ok(Math.abs(v - 1.34) < 1e-5));
  // EMD-3197: ORIGIN 0, NCSTART = -2 on x at 11.4 A -> origin x = -22.8.
  const e3197 = readMrc(p('mrcfile_EMD-3197.map'));
  assert.ok(Math.abs(e3197.volume.originA[0] + 22.8) < 1e-4 && e3197.volume.originA[1] === 0 && e3197.volume.originA[2] === 0);
  for (const f of ['occupancy_vol_018.mrc', 'occupancy_vol_458.mrc']) {
    const m = readMrc(p(f));
    assert.equal(m.littleEndian, true);
    assert.deepEqual(m.volume.shape, [64, 64, 64]);
    assert.ok(Math.abs(m.volume.voxelSizeA[0] - 6.55) < 1e-5);
    assert.match(m.warnings.join(), /MACHST\) = 0x00 0x00 0x00 0x00/);
  }
});

test('EMD-3001 (axis order 3,1,2, NSYMBT 160) equals a permutation of the raw file-order floats', (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const path = join(dir, 'maps', 'mrcfile_EMD-3001.map');
  const m = readMrc(path, { permissive: true });
  assert.deepEqual(m.axisOrder, [3, 1, 2]);
  // File: NC=73 columns (z), NR=43 rows (x), NS=25 sections (y); data after 1024 + 160 bytes, little endian.
  const raw = readFileSync(path);
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const [nc, nr, ns] = [73, 43, 25];
  assert.deepEqual(m.volume.shape, [nc, ns, nr]);
  let checked = 0;
  for (let s = 0; s < ns; s++) {
    for (let r = 0; r < nr; r++) {
      for (let c = 0; c < nc; c++) {
        const fileValue = dv.getFloat32(1024 + 160 + 4 * ((s * nr + r) * nc + c), true);
        // x = row, y = section, z = column.
        const ours = m.volume.data[(c * ns + s) * nr + r];
        if (ours !== fileValue) assert.fail(`(c,r,s)=(${c},${r},${s}): ${ours} != ${fileValue}`);
        checked++;
      }
    }
  }
  assert.equal(checked, 78475);
  // NSTART (0, -21, -12) reordered: x = NRSTART, y = NSSTART, z = NCSTART.
  const vs = m.volume.voxelSizeA;
  assert.ok(Math.abs(vs[0] - 17.93 / 40) < 1e-6 && Math.abs(vs[1] - 4.71 / 12) < 1e-6 && Math.abs(vs[2] - 33.03 / 72) < 1e-6);
  assert.ok(Math.abs(m.volume.originA[0] - -21 * vs[0]) < 1e-5 && Math.abs(m.volume.originA[1] - -12 * vs[1]) < 1e-5 && m.volume.originA[2] === 0);
});

test('a gzipped shared map reads identically to the plain file', (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const tmp = mkdtempSync(join(tmpdir(), 'cryoread-gz-'));
  try {
    const src = join(dir, 'maps', 'tempy_emd_5168_monomer.mrc');
    const gz = join(tmp, 'tempy.mrc.gz');
    writeFileSync(gz, gzipSync(readFileSync(src)));
    const a = readMrc(src), b = readMrc(gz);
    assert.deepEqual(b.volume.shape, a.volume.shape);
    assert.deepEqual(b.volume.originA, a.volume.originA);
    assert.deepEqual(Buffer.from(b.volume.data.buffer), Buffer.from(a.volume.data.buffer));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
