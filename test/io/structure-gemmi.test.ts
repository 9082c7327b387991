/**
 * Cross-check with an independent implementation: gemmi (Debian python3-gemmi) reads our PDB and
 * mmCIF output of real structures with the same chains, residue names / numbers, atom names and
 * coordinates. Skipped without /usr/bin/python3 + gemmi unless CRYOREAD_REQUIRE_SHARED=1.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedDataOrSkip } from '../helpers/shared-data.js';
import { readStructure, writeStructure } from '../../src/io/structure-file.js';
import { residueNameForFile } from '../../src/io/pdb-write.js';

const PY = '/usr/bin/python3';

function gemmiOrSkip(t: TestContext): boolean {
  const r = spawnSync(PY, ['-c', 'import gemmi'], { encoding: 'utf8' });
  if (r.status === 0) return true;
  const msg = `${PY} lacks gemmi (apt install python3-gemmi)`;
  if (process.env.CRYOREAD_REQUIRE_SHARED === '1') throw new Error(`${msg}; CRYOREAD_REQUIRE_SHARED=1 makes this a failure`);
  t.skip(msg);
  return false;
}

const DUMP = `
import sys, json, gemmi
st = gemmi.read_structure(sys.argv[1])
out = []
for ch in st[0]:
    for r in ch:
        out.append([ch.name, r.name, r.seqid.num, [[a.name, a.element.name, round(a.pos.x, 3), round(a.pos.y, 3), round(a.pos.z, 3)] for a in r]])
print(json.dumps(out))
`;

test('gemmi reads our PDB and mmCIF output identically to what we wrote', (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir || !gemmiOrSkip(t)) return;
  const tmp = mkdtempSync(join(tmpdir(), 'cryoread-gemmi-'));
  try {
    for (const f of ['x3dna_1egk.pdb', 'rna3db_1ehz.cif', 'rnatools_4W90_protein_rna.pdb']) {
      const s = readStructure(join(dir, 'structures', f));
      const expected: unknown[] = [];
      for (const c of s.chains) for (const r of c.residues) {
        expected.push([c.id, residueNameForFile(r), r.seqNum, r.atoms.map((a) => [a.name, a.element, Math.round(a.x * 1000) / 1000, Math.round(a.y * 1000) / 1000, Math.round(a.z * 1000) / 1000])]);
      }
      for (const ext of ['pdb', 'cif']) {
        const path = writeStructure(join(tmp, `${f}.${ext}`), s);
        const r = spawnSync(PY, ['-c', DUMP, path], { encoding: 'utf8', maxBuffer: 64 << 20 });
        assert.equal(r.status, 0, r.stderr);
        const got = JSON.parse(r.stdout) as unknown[];
        assert.equal(got.length, expected.length, `${f} .${ext}: residue count`);
        for (let i = 0; i < got.length; i++) {
          const g = got[i] as [string, string, number, [string, string, number, number, number][]];
          const e = expected[i] as typeof g;
          assert.deepEqual([g[0], g[1], g[2]], [e[0], e[1], e[2]], `${f} .${ext} residue ${i}`);
          assert.deepEqual(g[3].map((a) => a[0]), e[3].map((a) => a[0]), `${f} .${ext} ${e[0]}${e[2]} atom names`);
          g[3].forEach((a, k) => {
            assert.equal(a[1].toUpperCase(), e[3][k][1].toUpperCase(), `${f} ${e[0]}${e[2]} ${a[0]} element`);
            for (const d of [2, 3, 4] as const) assert.ok(Math.abs(a[d] - e[3][k][d]) < 1.5e-3, `${f} ${e[0]}${e[2]} ${a[0]} coordinate`);
          });
        }
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
