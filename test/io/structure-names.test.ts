import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyResidue, normaliseAtomName, inferElement, nucleotideInfo, baseFromAtoms, MODIFIED_NUCLEOTIDES } from '../../src/structure/names.js';
import { parsePdb } from '../../src/io/pdb.js';

const names = (...n: string[]) => new Set(n);

test('RNA vs DNA per residue from the sugar atoms', () => {
  assert.deepEqual(classifyResidue('A', names("C1'", "C2'", "O2'")), { kind: 'rna', name: 'A', base: 'A' });
  assert.deepEqual(classifyResidue('A', names("C1'", "C2'")), { kind: 'dna', name: 'DA', base: 'A' });
  assert.deepEqual(classifyResidue('T', names("C1'", "C2'")), { kind: 'dna', name: 'DT', base: 'T' });
  assert.deepEqual(classifyResidue('A', names('P')), { kind: 'rna', name: 'A', base: 'A' }, 'coarse residue keeps the name\'s type');
  assert.deepEqual(classifyResidue('DG', names('P')), { kind: 'dna', name: 'DG', base: 'G' });
  assert.deepEqual(classifyResidue('U', names("C2'")), { kind: 'dna', name: 'DU', base: 'U' });
  assert.deepEqual(classifyResidue('OMG', names("C2'", "O2'")), { kind: 'rna', name: 'G', base: 'G' });
  assert.deepEqual(classifyResidue('5CM', names("C2'")), { kind: 'dna', name: 'DC', base: 'C' });
  assert.deepEqual(classifyResidue('RA5', names("O2'")), { kind: 'rna', name: 'A', base: 'A' }, 'AMBER terminal names');
  assert.deepEqual(classifyResidue('MSE', names('CA')), { kind: 'protein', name: 'MSE' });
  assert.deepEqual(classifyResidue('ADE', names('N9', 'C8', 'N6')), { kind: 'other', name: 'ADE' }, 'free adenine is not a nucleotide');
  assert.equal(classifyResidue('HOH', names('O')).kind, 'other');
});

test('unlisted modified nucleotides: parent base from the atoms', () => {
  const sugar = ["C1'", "C2'", "C3'", "C4'", "O4'", "O2'"];
  assert.equal(baseFromAtoms(names(...sugar, 'N9', 'C8', 'N6')), 'A');
  assert.equal(baseFromAtoms(names(...sugar, 'N9', 'C8', 'O6', 'N2')), 'G');
  assert.equal(baseFromAtoms(names(...sugar, 'N1', 'C2', 'C6', 'N4')), 'C');
  assert.equal(baseFromAtoms(names(...sugar, 'N1', 'C2', 'C6', 'O4')), 'U');
  assert.equal(baseFromAtoms(names(...sugar, 'N1', 'C2', 'C6', 'O4', 'C7')), 'T');
  assert.equal(baseFromAtoms(names('N9', 'C8', 'N6')), undefined, 'no sugar, no nucleotide');
  assert.deepEqual(classifyResidue('XYZ', names(...sugar, 'N1', 'C2', 'C6', 'N4')), { kind: 'rna', name: 'C', base: 'C' });
  for (const [n, b] of [['PSU', 'U'], ['5MC', 'C'], ['1MA', 'A'], ['2MG', 'G'], ['7MG', 'G'], ['M2G', 'G'], ['OMG', 'G'], ['H2U', 'U'], ['5MU', 'U'], ['OMC', 'C'], ['4SU', 'U'], ['1MG', 'G'], ['5BU', 'U'], ['CBR', 'C']]) {
    assert.equal(MODIFIED_NUCLEOTIDES[n], b, n);
    assert.equal(nucleotideInfo(n)?.modified, true, n);
  }
});

test('atom names and elements', () => {
  assert.equal(normaliseAtomName('C4*', true), "C4'");
  assert.equal(normaliseAtomName('O1P', true), 'OP1');
  assert.equal(normaliseAtomName('O2P', true), 'OP2');
  assert.equal(normaliseAtomName('O3P', true), 'OP3');
  assert.equal(normaliseAtomName('C5M', true), 'C7');
  assert.equal(normaliseAtomName('O1P', false), 'O1P', 'ligand names untouched');
  assert.equal(inferElement('CA', 'ALA', ' CA '), 'C');
  assert.equal(inferElement('CA', 'CA', 'CA  '), 'Ca');
  assert.equal(inferElement('MG', 'MG'), 'Mg');
  assert.equal(inferElement("1H5'", 'A', "1H5'"), 'H');
  assert.equal(inferElement('OP1', 'A', ' OP1'), 'O');
});

test('an unlinked HETATM nucleotide is a ligand; a linked one is a polymer residue', () => {
  const at = (rec: string, serial: number, name: string, res: string, seq: number, x: number, y: number, z: number) =>
    rec.padEnd(6) + String(serial).padStart(5) + ' ' + (' ' + name).padEnd(4) + ' ' + res.padStart(3) + ' A' + String(seq).padStart(4) + '    ' +
    x.toFixed(3).padStart(8) + y.toFixed(3).padStart(8) + z.toFixed(3).padStart(8) + '  1.00  0.00';
  const text = [
    at('HETATM', 1, 'P', 'GTP', 1, 0, 0, 0), at('HETATM', 2, "O3'", 'GTP', 1, 5, 0, 0), at('HETATM', 3, "C2'", 'GTP', 1, 4, 1, 0), at('HETATM', 4, "O2'", 'GTP', 1, 4, 2, 0),
    at('ATOM', 5, 'P', 'A', 2, 6.6, 0, 0), at('ATOM', 6, "O3'", 'A', 2, 11, 0, 0),
    at('HETATM', 7, 'P', 'DC', 50, 40, 0, 0), at('HETATM', 8, "O3'", 'DC', 50, 44, 0, 0), at('HETATM', 9, "C2'", 'DC', 50, 43, 1, 0),
  ].join('\n');
  const s = parsePdb(text);
  const [gtp, a, dc] = s.chains[0].residues;
  assert.deepEqual([gtp.kind, gtp.name, gtp.base], ['rna', 'G', 'G'], '5\' GTP linked by O3\'-P 1.6 A');
  assert.equal(a.kind, 'rna');
  assert.deepEqual([dc.kind, dc.name, dc.base], ['other', 'DC', undefined], 'free dC');
});
