import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { sharedDataOrSkip } from '../helpers/shared-data.js';
import { parsePdb, pdbString, PdbLimitError } from '../../src/io/pdb.js';
import { parseMmcif, mmcifString } from '../../src/io/mmcif.js';
import { readStructure, writeStructure, sniffStructureFormat } from '../../src/io/structure-file.js';
import { residueNameForFile } from '../../src/io/pdb-write.js';
import { Structure } from '../../src/structure/model.js';

function assertSameStructure(a: Structure, b: Structure, what: string): void {
  assert.equal(b.chains.length, a.chains.length, `${what}: chain count`);
  for (let c = 0; c < a.chains.length; c++) {
    const ca = a.chains[c], cb = b.chains[c];
    assert.equal(cb.id, ca.id, `${what}: chain id`);
    assert.equal(cb.residues.length, ca.residues.length, `${what}: residues in chain ${ca.id}`);
    for (let r = 0; r < ca.residues.length; r++) {
      const ra = ca.residues[r], rb = cb.residues[r];
      const where = `${what} ${ca.id}${ra.seqNum}`;
      assert.equal(rb.name, ra.name, where);
      assert.equal(rb.originalName, residueNameForFile(ra), `${where}: name written to the file`);
      assert.equal(rb.kind, ra.kind, where);
      assert.equal(rb.base, ra.base, where);
      assert.equal(rb.seqNum, ra.seqNum, where);
      assert.equal(rb.insCode, ra.insCode, where);
      assert.equal(rb.atoms.length, ra.atoms.length, where);
      for (let i = 0; i < ra.atoms.length; i++) {
        const p = ra.atoms[i], q = rb.atoms[i];
        assert.equal(q.name, p.name, where);
        assert.equal(q.element, p.element, `${where} ${p.name}`);
        assert.equal(q.hetero, p.hetero, `${where} ${p.name}`);
        assert.ok(Math.abs(q.x - p.x) <= 1e-3 && Math.abs(q.y - p.y) <= 1e-3 && Math.abs(q.z - p.z) <= 1e-3, `${where} ${p.name} coordinates`);
        assert.ok(Math.abs(q.bFactor - p.bFactor) <= 0.005 + 1e-9, `${where} ${p.name} B`);
      }
    }
  }
}

const sharedFiles = ['cryoread_6v5b_drna.pdb', 'x3dna_1egk.pdb', 'rnatools_6TNA.pdb', 'rna3db_1ehz.cif', 'rnapolis_4gqj-assembly1.cif', 'biotite_5ugo.cif', 'gemmi_1pfe.cif.gz'];

test('round trips PDB -> write -> read and mmCIF -> write -> read keep names, chains, numbering, coordinates (1e-3)', (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  for (const f of sharedFiles) {
    const s = readStructure(join(dir, 'structures', f));
    const viaCif = parseMmcif(mmcifString(s), 'rt.cif');
    assertSameStructure(s, viaCif, `${f} via mmCIF`);
    if (!s.chains.some((c) => c.id.length > 1)) {
      const viaPdb = parsePdb(pdbString(s), 'rt.pdb');
      assertSameStructure(s, viaPdb, `${f} via PDB`);
    }
  }
  // modified names survive: PSU stays PSU in the written file and reads back as U.
  const trna = readStructure(join(dir, 'structures', 'rnatools_6TNA.pdb'));
  const text = pdbString(trna);
  assert.match(text, /^ATOM|HETATM/m);
  assert.match(text, / PSU A {2}39 /);
  const back = parsePdb(text);
  const r39 = back.chains[0].residues.find((r) => r.seqNum === 39)!;
  assert.equal(r39.originalName, 'PSU');
  assert.equal(r39.name, 'U');
});

test('mmCIF reading: quoted values, semicolon text, auth ids preferred, multi-character chains, first model', () => {
  const cif = [
    'data_test',
    '_struct.title',
    ';A title with a',
    'data_ inside and "quotes"',
    ';',
    "_entry.id 'my entry'",
    'loop_',
    '_atom_site.group_PDB', '_atom_site.id', '_atom_site.type_symbol', '_atom_site.label_atom_id', '_atom_site.label_alt_id',
    '_atom_site.label_comp_id', '_atom_site.label_asym_id', '_atom_site.label_seq_id', '_atom_site.pdbx_PDB_ins_code',
    '_atom_site.Cartn_x', '_atom_site.Cartn_y', '_atom_site.Cartn_z', '_atom_site.occupancy', '_atom_site.B_iso_or_equiv',
    '_atom_site.auth_seq_id', '_atom_site.auth_asym_id', '_atom_site.auth_atom_id', '_atom_site.pdbx_PDB_model_num',
    'ATOM 1 P P . G A 1 ? 1.0 2.0 3.0 1 10 17 XY P 1',
    `ATOM 2 C "C4'" A G A 1 ? 1.5 2.0 3.0 0.5 10 17 XY "C4'" 1`,
    `ATOM 3 C "C4'" B G A 1 ? 9 9 9 0.5 10 17 XY "C4'" 1`,
    `ATOM 4 O "O2'" . G A 1 ? 2 2 3 1 10 17 XY "O2'" 1`,
    `ATOM 5 C "C2'" . G A 1 A 2 2 3 1 10 17 XY "C2'" 1`,
    'ATOM 6 P P . G A 1 ? 7 7 7 1 10 17 XY P 2',
    '#',
  ].join('\n');
  const s = parseMmcif(cif, 'mini.cif');
  assert.deepEqual(s.chains.map((c) => c.id), ['XY']);
  const [g, gIns] = s.chains[0].residues;
  assert.equal(g.seqNum, 17, 'auth_seq_id preferred');
  assert.deepEqual(g.atoms.map((a) => a.name), ['P', "C4'", "O2'"]);
  assert.equal(g.atoms[1].x, 1.5);
  assert.equal(gIns.insCode, 'A');
  assert.ok(s.warnings!.some((w) => /2 models/.test(w)));
  assert.equal(sniffStructureFormat(cif), 'mmcif');
});

test('writeStructure: > 62 chains written as mmCIF (and PDB falls back on request); > 99,999 atoms in mmCIF; .gz read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cryoread-structure-'));
  try {
    const chains = Array.from({ length: 70 }, (_, c) => ({
      id: c < 26 ? String.fromCharCode(65 + c) : `C${c}`,
      residues: Array.from({ length: 3 }, (_, r) => ({
        name: 'G', originalName: 'G', seqNum: r + 1, insCode: '', kind: 'rna' as const, base: 'G' as const,
        atoms: [{ name: 'P', element: 'P', x: c, y: r * 6, z: 1, occupancy: 1, bFactor: 0, hetero: false }, { name: "C4'", element: 'C', x: c + 0.5, y: r * 6 + 2, z: 1, occupancy: 1, bFactor: 0, hetero: false }],
      })),
    }));
    const s: Structure = { chains };
    assert.throws(() => writeStructure(join(dir, 'many.pdb'), s), PdbLimitError);
    assert.equal(existsSync(join(dir, 'many.pdb')), false, 'nothing written on error');
    const written = writeStructure(join(dir, 'many.pdb'), s, { fallbackToMmcif: true });
    assert.equal(written, join(dir, 'many.cif'));
    const back = readStructure(written);
    assertSameStructure(s, back, '70 chains via mmCIF');
    assert.equal(writeStructure(join(dir, 'direct.cif'), s), join(dir, 'direct.cif'));
    // 100,050 atoms: beyond PDB serials, fine in mmCIF.
    const atoms = Array.from({ length: 100_050 }, (_, i) => ({ name: 'O', element: 'O', x: i % 100, y: Math.floor(i / 100) % 100, z: Math.floor(i / 10000), occupancy: 1, bFactor: 0, hetero: true }));
    const water: Structure = { chains: [{ id: 'W', residues: atoms.map((a, i) => ({ name: 'HOH', originalName: 'HOH', seqNum: i + 1, insCode: '', kind: 'other' as const, atoms: [a] })) }] };
    assert.throws(() => pdbString(water), (e: unknown) => e instanceof PdbLimitError && /99,999/.test((e as Error).message));
    const big = writeStructure(join(dir, 'big.pdb'), water, { fallbackToMmcif: true });
    const bigBack = readStructure(big);
    assert.equal(Structure.atomCount(bigBack), 100_050);
    assert.equal(bigBack.chains[0].residues[100_049].seqNum, 100_050);
    // gzip is transparent
    writeFileSync(join(dir, 'many.cif.gz'), gzipSync(readFileSync(written)));
    assert.equal(readStructure(join(dir, 'many.cif.gz')).chains.length, 70);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
