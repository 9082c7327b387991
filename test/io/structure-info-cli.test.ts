import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { sharedDataOrSkip } from '../helpers/shared-data.js';
import { run } from '../../src/cli/structure-info.js';

async function capture(argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const o = process.stdout.write.bind(process.stdout), e = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => { out += s; return true; }) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    return { code: await run(argv), out };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

test('cryoread structure-info: per-chain RNA/DNA/protein counts (text and --json)', async (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const r = await capture([join(dir, 'structures', 'rna3db_3tup.cif'), '--json']);
  assert.equal(r.code, 0);
  const j = JSON.parse(r.out);
  assert.equal(j.totals.rna, 74);
  assert.equal(j.totals.dna, 0);
  assert.equal(j.totals.protein, 404);
  const text = await capture([join(dir, 'structures', 'cryoread_6v5b_drna.pdb')]);
  assert.match(text.out, /^D\s+78\s+0\s+0\s+0$/m);
  assert.match(text.out, /total\s+78\s+0\s+0\s+0\s+\(1 chains, 1652 atoms\)/);
  const trna = JSON.parse((await capture([join(dir, 'structures', 'rnatools_6TNA.pdb'), '--json'])).out);
  assert.ok(trna.modified.some((m: { name: string; parent: string }) => m.name === 'PSU' && m.parent === 'U'));
  assert.equal((await capture([])).code, 2);
});
