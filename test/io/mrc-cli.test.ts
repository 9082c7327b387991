import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildMrc } from '../helpers/mrc-builder.js';

const BIN = resolve('bin', 'cryoread.mjs');

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, 'map-info', ...args], { encoding: 'utf8', env: { ...process.env, CRYOREAD_FROM_SOURCE: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('cryoread map-info: --json, table, errors and usage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cryoread-cli-'));
  try {
    // Axis order 2,3,1 (columns = y, rows = z, sections = x), big endian, NSTART on y.
    const path = join(dir, 'm.mrc');
    const values = Array.from({ length: 24 }, (_, i) => i - 4);
    writeFileSync(path, buildMrc({ dims: [4, 3, 2], axisOrder: [2, 3, 1], littleEndian: false, values, cellA: [3, 6, 4.5], nstart: [5, 0, 0] }));
    const j = cli([path, '--json']);
    assert.equal(j.code, 0, j.stderr);
    const info = JSON.parse(j.stdout);
    assert.deepEqual(info.shape, [3, 4, 2]); // nz = NR, ny = NC, nx = NS
    assert.deepEqual(info.voxelSizeA, [1.5, 1.5, 1.5]);
    assert.deepEqual(info.originA, [0, 7.5, 0]);
    assert.deepEqual(info.nstart, [0, 5, 0]);
    assert.equal(info.mode, 2);
    assert.deepEqual(info.axisOrder, [2, 3, 1]);
    assert.equal(info.min, -4);
    assert.equal(info.max, 19);
    assert.equal(info.mean, 7.5);
    assert.ok(Math.abs(info.rms - Math.sqrt((24 * 24 - 1) / 12)) < 1e-9);
    assert.deepEqual(info.cellA, [3, 6, 4.5]);
    assert.deepEqual(info.cellAnglesDeg, [90, 90, 90]);
    assert.equal(info.spaceGroup, 1);
    assert.equal(info.machineStamp, '0x11 0x11 0x00 0x00');
    assert.equal(info.littleEndian, false);
    assert.deepEqual(info.warnings, []);

    const t = cli([path]);
    assert.equal(t.code, 0);
    assert.match(t.stdout, /grid \(x, y, z\)\s+2 x 4 x 3/);
    assert.match(t.stdout, /axis order\s+2, 3, 1/);
    assert.match(t.stdout, /machine stamp\s+0x11 0x11 0x00 0x00 \(big endian\)/);

    const bad = join(dir, 'bad.mrc');
    writeFileSync(bad, buildMrc({ dims: [4, 3, 2], truncateBy: 8 }));
    const e = cli([bad]);
    assert.equal(e.code, 2, "input error: exit code 2");
    assert.match(e.stderr, /^cryoread map-info: MrcFormatError: .*bad\.mrc: data block is truncated.*needs 1120 bytes, file has 1112/);
    assert.equal(e.stderr.trim().split('\n').length, 1);

    const big = cli([path, '--max-bytes', '50']);
    assert.equal(big.code, 2);
    assert.match(big.stderr, /over the memory budget of 50 bytes/);

    assert.equal(cli(['--help']).code, 0);
    assert.match(cli(['--help']).stdout, /usage: cryoread map-info FILE/);
    assert.equal(cli([]).code, 2);
    assert.equal(cli([path, '--bogus']).code, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
