import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { sharedDataOrSkip } from '../helpers/shared-data.js';
import { tokenizeCif, parseCif, cifColumn } from '../../src/io/cif-tokenizer.js';
import { parseMmcif, readMmcif, mmcifString } from '../../src/io/mmcif.js';
import { cifQuote } from '../../src/io/mmcif-write.js';
import { Structure } from '../../src/structure/model.js';
import { StructureFormatError } from '../../src/util/errors.js';

test('CIF tokenizer: quotes close only before whitespace, semicolon fields, comments, null markers', () => {
  const { tokens, quoted } = tokenizeCif(`_a.b 'O4''  # comment\n_a.c "it's"\n_a.d\n;line one\nline two\n;\n_a.e '_not_a_tag' _a.f . _a.g ?\n`);
  assert.deepEqual(tokens, ['_a.b', "O4'", '_a.c', "it's", '_a.d', 'line one\nline two', '_a.e', '_not_a_tag', '_a.f', '.', '_a.g', '?']);
  assert.deepEqual([...quoted], [0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0]);
  const [block] = parseCif(`data_x\n_a.b 'O4''\n_a.e '_not_a_tag'\nloop_\n_l.k\n_l.v\n1 'x y'\n2 "data_z"\n`);
  assert.equal(block.name, 'x');
  const a = block.categories.get('a')!;
  assert.deepEqual(a.fields, ['b', 'e']);
  assert.deepEqual(a.values, ["O4'", '_not_a_tag']);
  const l = block.categories.get('l')!;
  assert.equal(l.rowCount, 2);
  assert.equal(cifColumn(l, 'v')!(1), 'data_z');
  assert.equal(cifColumn(l, 'missing'), undefined);
});

test('CIF errors: unterminated quote or text field, ragged loop, no atom_site', () => {
  const isCode = (code: string) => (e: unknown) => e instanceof StructureFormatError && e.code === code && /bad\.cif/.test(e.message);
  assert.throws(() => tokenizeCif("_a.b 'open\n", 'bad.cif'), isCode('CIF_UNTERMINATED_QUOTE'));
  assert.throws(() => tokenizeCif('_a.b\n;never closed\n', 'bad.cif'), isCode('CIF_UNTERMINATED_TEXT'));
  assert.throws(() => parseCif('data_x\nloop_\n_l.a\n_l.b\n1 2 3\n', 'bad.cif'), isCode('CIF_LOOP_COUNT'));
  assert.throws(() => parseMmcif('data_x\n_entry.id x\n', 'bad.cif'), isCode('CIF_NO_ATOM_SITE'));
  assert.throws(() => parseMmcif('data_x\nloop_\n_atom_site.id\n_atom_site.Cartn_x\n1 2\n', 'bad.cif'), isCode('CIF_MISSING_FIELD'));
});

test('cifQuote quotes what needs it and round-trips through the tokenizer', () => {
  for (const v of ["C4'", 'A B', '_x', '.', '?', 'data_1', 'plain', "it's \"both\" x' y", '', '#hash']) {
    const { tokens } = tokenizeCif(`_a.b ${cifQuote(v)}\n`);
    assert.equal(tokens[1], v, `value ${JSON.stringify(v)} written as ${cifQuote(v)}`);
  }
  assert.equal(cifQuote('plain'), 'plain');
  assert.equal(cifQuote("C4'"), `"C4'"`);
});

test('mmCIF files: modified nucleotides (1EHZ), multi-model NMR (2HY9), gz (1PFE), symmetry-copy chain ids (4GQJ)', (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const p = (f: string) => join(dir, 'structures', f);
  const ehz = readMmcif(p('rna3db_1ehz.cif'));
  const mods = Structure.nucleotides(ehz).filter(({ residue }) => residue.originalName !== residue.name).map(({ residue }) => `${residue.originalName}${residue.seqNum}>${residue.name}`);
  assert.ok(mods.includes('PSU39>U'), mods.join(' '));
  assert.ok(mods.includes('1MA58>A'));
  assert.ok(mods.includes('YYG37>G'));
  assert.equal(Structure.nucleotides(ehz).length, 76);
  const nmr = readMmcif(p('rnapolis_2HY9.cif'));
  assert.ok(nmr.warnings!.some((w) => /10 models/.test(w)));
  assert.equal(Structure.nucleotides(nmr).length, 26);
  const pfe = readMmcif(p('gemmi_1pfe.cif.gz'));
  assert.equal(Structure.nucleotides(pfe).filter((n) => n.residue.kind === 'dna').length, 8);
  const gqj = readMmcif(p('rnapolis_4gqj-assembly1.cif'));
  const ids = gqj.chains.map((c) => c.id);
  assert.ok(ids.some((id) => id.includes('-')), ids.join(','));
  const back = parseMmcif(mmcifString(gqj));
  assert.deepEqual(back.chains.map((c) => c.id), ids);
});
