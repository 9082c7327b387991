import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { sharedDataOrSkip } from '../helpers/shared-data.js';
import { parsePdb, pdbString, readPdb, PdbLimitError } from '../../src/io/pdb.js';
import { Structure } from '../../src/structure/model.js';
import { StructureFormatError } from '../../src/util/errors.js';

const line = (rec: string, serial: number, name: string, alt: string, res: string, chain: string, seq: number, x: number, y: number, z: number, el: string): string =>
  rec.padEnd(6) + String(serial).padStart(5) + ' ' + name.padEnd(4) + alt + res.padStart(3) + ' ' + chain + String(seq).padStart(4) + '    ' +
  x.toFixed(3).padStart(8) + y.toFixed(3).padStart(8) + z.toFixed(3).padStart(8) + '  1.00 20.00          ' + el.padStart(2);

test('old PDB v2 names are normalised on the x3dna files (C4* -> C4\', O1P -> OP1, A/C/G/T -> DA/DC/DG/DT, C5M -> C7)', (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  for (const f of ['x3dna_bdl084.pdb', 'x3dna_1kx5.pdb', 'x3dna_pd0001.pdb', 'x3dna_pde0128.pdb', 'x3dna_1egk.pdb']) {
    const s = readPdb(join(dir, 'structures', f));
    let starNames = 0, oldP = 0, nuc = 0, withC4 = 0;
    for (const { residue, atom } of Structure.atoms(s)) {
      if (atom.name.includes('*')) starNames++;
      if (/^O[123]P$/.test(atom.name)) oldP++;
    }
    for (const { residue } of Structure.nucleotides(s)) {
      nuc++;
      if (Structure.findAtom(residue, "C4'")) withC4++;
      assert.match(residue.name, /^(D[ACGT]|[ACGU])$/, `${f}: ${residue.name}`);
      if (residue.kind === 'dna') {
        assert.equal(Structure.findAtom(residue, "O2'"), undefined);
        if (residue.name === 'DT') assert.ok(Structure.findAtom(residue, 'C7') || !Structure.findAtom(residue, 'C5'), `${f}: DT ${residue.seqNum} has C7`);
      }
    }
    assert.equal(starNames, 0, `${f}: no '*' names left`);
    assert.equal(oldP, 0, `${f}: no O1P/O2P left`);
    assert.ok(nuc > 0 && withC4 === nuc, `${f}: every nucleotide has C4' (${withC4}/${nuc})`);
  }
  // bdl084: B-DNA dodecamer written with residue names A/C/G/T -> 24 DNA residues, first C A 1 -> DC.
  const s = readPdb(join(dir, 'structures', 'x3dna_bdl084.pdb'));
  const first = s.chains[0].residues[0];
  assert.equal(first.name, 'DC');
  assert.equal(first.originalName, 'C');
  assert.equal(first.kind, 'dna');
  assert.deepEqual(first.atoms.slice(0, 3).map((a) => a.name), ["O5'", "C5'", "C4'"]);
  const op = Structure.findAtom(s.chains[0].residues[1], 'OP1');
  assert.ok(op, 'O1P renamed OP1');
  assert.equal(op!.element, 'O');
});

test('modified nucleotides map to their parent base and keep the original name (tRNA-Phe 6TNA)', (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const s = readPdb(join(dir, 'structures', 'rnatools_6TNA.pdb'));
  const mods = new Map<string, string>();
  for (const { residue } of Structure.nucleotides(s)) if (residue.originalName !== residue.name) mods.set(residue.originalName, `${residue.name}/${residue.base}/${residue.kind}`);
  assert.equal(mods.get('PSU'), 'U/U/rna');
  assert.equal(mods.get('2MG'), 'G/G/rna');
  assert.equal(mods.get('M2G'), 'G/G/rna');
  assert.equal(mods.get('OMG'), 'G/G/rna');
  assert.equal(mods.get('7MG'), 'G/G/rna');
  assert.equal(mods.get('5MC'), 'C/C/rna');
  assert.equal(mods.get('OMC'), 'C/C/rna');
  assert.equal(mods.get('H2U'), 'U/U/rna');
  assert.equal(mods.get('5MU'), 'U/U/rna');
  assert.equal(mods.get('1MA'), 'A/A/rna');
  assert.equal(mods.get('YG'), 'G/G/rna');
  assert.equal(Structure.nucleotides(s).length, 76);
});

test('first model, first altloc, element inference, END stops reading', () => {
  const text = [
    'MODEL        1',
    line('ATOM', 1, " P", ' ', '  G', 'A', 1, 1, 2, 3, 'P'),
    line('ATOM', 2, " C4*", 'A', '  G', 'A', 1, 1.5, 2, 3, 'C'),
    line('ATOM', 3, " C4*", 'B', '  G', 'A', 1, 9, 9, 9, 'C'),
    line('ATOM', 4, " O2*", ' ', '  G', 'A', 1, 2, 2, 3, 'O'),
    line('HETATM', 5, "MG", ' ', ' MG', 'A', 101, 5, 5, 5, '').slice(0, 66),
    'ENDMDL',
    'MODEL        2',
    line('ATOM', 1, " P", ' ', '  G', 'A', 1, 7, 7, 7, 'P'),
    'ENDMDL',
    'END',
    line('ATOM', 1, " P", ' ', '  G', 'Z', 1, 7, 7, 7, 'P'),
  ].join('\n');
  const s = parsePdb(text, 'mini.pdb');
  assert.equal(s.chains.length, 1);
  const [g, mg] = s.chains[0].residues;
  assert.deepEqual(g.atoms.map((a) => a.name), ['P', "C4'", "O2'"]);
  assert.equal(g.atoms[1].x, 1.5, 'altloc A kept');
  assert.equal(g.kind, 'rna');
  assert.equal(mg.kind, 'other');
  assert.equal(mg.atoms[0].element, 'Mg', 'two-letter element from columns 13-14');
  assert.ok(s.warnings!.some((w) => /alternate/.test(w)));
  assert.ok(s.warnings!.some((w) => /2 models/.test(w)));
});

test('bad PDB input gives typed one-line errors', () => {
  assert.throws(() => parsePdb('HEADER nothing here\n', 'empty.pdb'), (e: unknown) => e instanceof StructureFormatError && /empty\.pdb: no ATOM\/HETATM/.test((e as Error).message));
  assert.throws(() => parsePdb('ATOM      1  P     G A   1      1.000   abc', 'short.pdb'), (e: unknown) => e instanceof StructureFormatError && (e as StructureFormatError).code === 'PDB_SHORT_LINE');
  const bad = line('ATOM', 1, ' P', ' ', '  G', 'A', 1, 1, 2, 3, 'P').replace('   2.000', '   x.yz0');
  assert.throws(() => parsePdb(bad, 'bad.pdb'), (e: unknown) => e instanceof StructureFormatError && /bad\.pdb: line 1: y/.test((e as Error).message));
});

test('PDB write: column layout, TER per chain, element columns, END', () => {
  const s: Structure = {
    chains: [
      { id: 'A', residues: [{ name: 'A', originalName: 'A', seqNum: 5, insCode: '', kind: 'rna', base: 'A', atoms: [
        { name: 'P', element: 'P', x: 1, y: 2, z: 3, occupancy: 1, bFactor: 10, hetero: false },
        { name: "C4'", element: 'C', x: -1.2345, y: 22.5, z: -333.25, occupancy: 1, bFactor: 0, hetero: false },
        { name: "H5''", element: 'H', x: 0, y: 0, z: 0, occupancy: 1, bFactor: 0, hetero: false },
      ] }] },
      { id: 'b', residues: [{ name: 'MG', originalName: 'MG', seqNum: 101, insCode: '', kind: 'other', atoms: [
        { name: 'MG', element: 'Mg', x: 0, y: 0, z: 0, occupancy: 1, bFactor: 30, hetero: true },
      ] }] },
    ],
  };
  const lines = pdbString(s, { remarks: ['made by a test'] }).split('\n');
  assert.equal(lines[0], 'REMARK 999 made by a test');
  assert.ok(lines[1].startsWith('CRYST1    1.000    1.000    1.000  90.00  90.00  90.00 P 1'));
  assert.equal(lines[2], 'ATOM      1  P     A A   5       1.000   2.000   3.000  1.00 10.00           P');
  assert.equal(lines[3].slice(12, 16), " C4'");
  assert.equal(lines[3].slice(30, 54), '  -1.234  22.500-333.250'.replace('-1.234', (-1.2345).toFixed(3)));
  assert.equal(lines[4].slice(12, 16), "H5''", '4-character names start in column 13');
  assert.equal(lines[5], "TER       4        A A   5");
  assert.equal(lines[6].slice(0, 6), 'HETATM');
  assert.equal(lines[6].slice(12, 16), 'MG  ', 'two-letter element starts in column 13');
  assert.equal(lines[6].slice(76, 78), 'MG');
  assert.equal(lines[6][21], 'b');
  assert.match(lines[7], /^TER/);
  assert.equal(lines[8], 'END');
});

test('PDB limits: > 62 chains throws PdbLimitError; multi-character ids are remapped with a REMARK', () => {
  const mk = (id: string) => ({ id, residues: [{ name: 'U', originalName: 'U', seqNum: 1, insCode: '', kind: 'rna' as const, base: 'U' as const, atoms: [{ name: 'P', element: 'P', x: 0, y: 0, z: 0, occupancy: 1, bFactor: 0, hetero: false }] }] });
  const many: Structure = { chains: Array.from({ length: 63 }, (_, i) => mk('C' + i)), source: 'many' };
  assert.throws(() => pdbString(many), (e: unknown) => e instanceof PdbLimitError && /63 chains exceed the 62/.test((e as Error).message) && /mmCIF/.test((e as Error).message));
  const two: Structure = { chains: [mk('A'), mk('A-2'), mk('A'), mk('C')] };
  const text = pdbString(two);
  assert.match(text, /REMARK 999 CHAIN A-2 WRITTEN AS B/);
  assert.match(text, /REMARK 999 CHAIN A WRITTEN AS D/);
  const back = parsePdb(text);
  assert.deepEqual(back.chains.map((c) => c.id), ['A', 'B', 'D', 'C']);
  const wrapped: Structure = { chains: Array.from({ length: 63 }, (_, i) => mk('ABC'[i % 3])) };
  assert.throws(() => pdbString(wrapped), PdbLimitError, '63 chains with repeated ids still do not fit');
  const bigNum: Structure = { chains: [mk('A')] };
  bigNum.chains[0].residues[0].seqNum = 10000;
  assert.throws(() => pdbString(bigNum), PdbLimitError);
});
