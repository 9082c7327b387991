import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { sharedDataOrSkip } from '../helpers/shared-data.js';
import { run } from '../../src/cli/evaluate.js';
import { readStructure, writeStructure } from '../../src/io/structure-file.js';

async function capture(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const o = process.stdout.write.bind(process.stdout), e = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => { out += s; return true; }) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => { err += s; return true; }) as typeof process.stderr.write;
  try {
    return { code: await run(argv), out, err };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

test('cryoread evaluate --json prints the metric keys; a shifted mmCIF copy gives deviation 1 A', async (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const refPath = join(dir, 'structures', 'cryoread_6v5b_drna.pdb');
  const tmp = mkdtempSync(join(tmpdir(), 'cryoread-eval-'));
  try {
    const s = readStructure(refPath);
    for (const c of s.chains) for (const r of c.residues) for (const a of r.atoms) a.y += 1;
    const modelPath = writeStructure(join(tmp, 'model.cif'), s);
    const r = await capture([modelPath, refPath, '--json']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    for (const k of ['coverage', 'precision', 'sequenceRecall', 'sequencePrecision', 'sequenceRecallMatch', 'sequencePrecisionMatch', 'meanBackboneDeviationA', 'rmsdA', 'pRecall3A', 'clashesPer1000', 'chiralityInversions', 'counts']) {
      assert.ok(k in j, `key ${k}`);
    }
    assert.equal(j.coverage, 1);
    assert.equal(j.sequenceRecall, 1);
    assert.ok(Math.abs(j.rmsdA - 1) < 1e-3);
    assert.ok(Math.abs(j.meanBackboneDeviationA - 1) < 1e-3);
    assert.equal(j.chiralityInversions, 0);
    assert.equal(j.params.compat, false);
    const compat = JSON.parse((await capture([modelPath, refPath, '--json', '--compat', '--cutoff', '4'])).out);
    assert.equal(compat.params.compat, true);
    assert.equal(compat.params.cutoffA, 4);
    const text = await capture([modelPath, refPath]);
    assert.match(text.out, /coverage\s+1\.000 {2}\(78\/78 reference nt\)/);
    assert.match(text.out, /C4' RMSD\s+1\.000 A/);
    assert.equal((await capture([modelPath])).code, 2);
    assert.equal((await capture([modelPath, refPath, '--cutoff', 'x'])).code, 2);
    assert.match((await capture(['--help'])).out, /usage: cryoread evaluate/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
