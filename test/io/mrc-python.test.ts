/**
 * Cross-checks with independent implementations: Python mrcfile validates our files and gemmi reads
 * them back; files written by mrcfile (big endian, int8/int16/uint16/float16) read correctly here.
 * Needs /usr/bin/python3 with mrcfile, gemmi and numpy; skipped without them unless CRYOREAD_REQUIRE_SHARED=1.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readMrc, writeMrc } from '../../src/io/mrc.js';
import { Volume } from '../../src/grid/volume.js';

const PY = '/usr/bin/python3';

function python(script: string, args: string[]): string {
  const r = spawnSync(PY, ['-c', script, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

function pythonOrSkip(t: TestContext): boolean {
  const r = spawnSync(PY, ['-c', 'import mrcfile, gemmi, numpy'], { encoding: 'utf8' });
  if (r.status === 0) return true;
  const msg = `${PY} lacks mrcfile/gemmi/numpy (apt install python3-mrcfile python3-gemmi python3-numpy)`;
  if (process.env.CRYOREAD_REQUIRE_SHARED === '1') throw new Error(`${msg}; CRYOREAD_REQUIRE_SHARED=1 makes this a failure`);
  t.skip(msg);
  return false;
}

const CHECK_OURS = `
import sys, json, warnings, io, contextlib, mrcfile, gemmi, numpy as np
path = sys.argv[1]
buf = io.StringIO()
with warnings.catch_warnings(record=True) as w, contextlib.redirect_stdout(buf):
    warnings.simplefilter('always')
    valid = mrcfile.validate(path)
with mrcfile.open(path) as m:
    mf = m.data.astype(np.float64).ravel().tolist()
    vs = [float(m.voxel_size.x), float(m.voxel_size.y), float(m.voxel_size.z)]
g = gemmi.read_ccp4_map(path)
arr = np.array(g.grid, copy=False)  # [x][y][z]
print(json.dumps({
  'valid': bool(valid), 'report': buf.getvalue(), 'warnings': [str(x.message) for x in w],
  'mrcfileData': mf, 'mrcfileVoxel': vs,
  'gemmiShape': list(arr.shape), 'gemmiData': arr.transpose(2, 1, 0).astype(np.float64).ravel().tolist(),
  'cell': [g.grid.unit_cell.a, g.grid.unit_cell.b, g.grid.unit_cell.c, g.grid.unit_cell.alpha, g.grid.unit_cell.beta, g.grid.unit_cell.gamma],
  'origin': [g.header_float(50), g.header_float(51), g.header_float(52)],
}))
`;

test('our float32 files validate with mrcfile and read back identically in mrcfile and gemmi', (t) => {
  if (!pythonOrSkip(t)) return;
  const dir = mkdtempSync(join(tmpdir(), 'cryoread-py-'));
  try {
    const v = Volume.create({ shape: [6, 5, 4], voxelSizeA: [1.1, 0.9, 1.3], originA: [-20.5, 33.25, 7] });
    for (let i = 0; i < v.data.length; i++) v.data[i] = Math.cos(i * 1.3) * 2.5 + i * 0.01;
    const path = join(dir, 'ours.mrc');
    writeMrc(path, v, { labels: ['written by cryoread-ts test', 'second label'] });
    const r = JSON.parse(python(CHECK_OURS, [path]));
    assert.equal(r.valid, true, r.report);
    assert.deepEqual(r.warnings, []);
    const ours = Array.from(v.data);
    assert.deepEqual(r.mrcfileData, ours);
    assert.deepEqual(r.gemmiShape, [4, 5, 6]);
    assert.deepEqual(r.gemmiData, ours);
    const cell = [4 * 1.1, 5 * 0.9, 6 * 1.3, 90, 90, 90];
    cell.forEach((c, i) => assert.ok(Math.abs(r.cell[i] - c) < 1e-4, `cell ${i}: ${r.cell[i]} vs ${c}`));
    v.originA.forEach((o, i) => assert.ok(Math.abs(r.origin[i] - o) < 1e-5, `origin ${i}`));
    v.voxelSizeA.forEach((s, i) => assert.ok(Math.abs(r.mrcfileVoxel[i] - s) < 1e-5, `voxel ${i}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const WRITE_MRCFILE = `
import sys, mrcfile, numpy as np
out, dtype = sys.argv[1], sys.argv[2]
k = np.arange(60, dtype=np.float64).reshape(5, 4, 3)  # file order [section][row][column]
vals = {'>i1': k - 30, '>i2': (k - 30) * 1000, '>u2': 40000 + k * 100, '>f2': (k - 30) * 0.5, '>f4': (k - 30) * 0.37, '<u2': 100 + k, '<f2': k / 8}[dtype]
with mrcfile.new(out, overwrite=True) as m:
    m.set_data(vals.astype(dtype))
    m.voxel_size = (1.5, 2.0, 2.5)
    m.header.origin = (10.0, -20.0, 30.0)
`;

test('files written by mrcfile (big and little endian, modes 0/1/2/6/12) read correctly', (t) => {
  if (!pythonOrSkip(t)) return;
  const dir = mkdtempSync(join(tmpdir(), 'cryoread-py-'));
  try {
    const expected: Record<string, (k: number) => number> = {
      '>i1': (k) => k - 30, '>i2': (k) => (k - 30) * 1000, '>u2': (k) => 40000 + k * 100,
      '>f2': (k) => (k - 30) * 0.5, '>f4': (k) => Math.fround((k - 30) * 0.37), '<u2': (k) => 100 + k, '<f2': (k) => k / 8,
    };
    for (const [dtype, f] of Object.entries(expected)) {
      const path = join(dir, `mf${dtype.replace(/[<>]/, '_')}.mrc`);
      python(WRITE_MRCFILE, [path, dtype]);
      const m = readMrc(path);
      assert.equal(m.littleEndian, dtype.startsWith('<') || dtype.endsWith('1'), dtype); // int8 files keep the native stamp
      assert.deepEqual(m.volume.shape, [5, 4, 3], dtype);
      assert.deepEqual(Array.from(m.volume.data), Array.from({ length: 60 }, (_, k) => f(k)), dtype);
      assert.deepEqual(m.volume.voxelSizeA, [1.5, 2, 2.5]);
      assert.deepEqual(m.volume.originA, [10, -20, 30]);
      assert.deepEqual(m.warnings, []);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
