import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { sharedDataOrSkip } from '../helpers/shared-data.js';
import { parseFasta, readFasta, chainIdFromHeader, classifySequence } from '../../src/io/fasta.js';
import { FastaFormatError } from '../../src/util/errors.js';

const SEQ_21051 = 'GACAUACUUGUUCCACUCUAGCAGCACGUAAAUAUUGGCACCAAUAUUACUGUGCUGCUUUAGUGUGACAGGGAUACA';

test('the CryoREAD example 21051.fasta -> chain 3, 78 nt RNA (A 22, C 17, G 16, U 23)', (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const recs = readFasta(join(dir, 'structures', 'cryoread_21051.fasta'));
  assert.equal(recs.length, 1);
  assert.equal(recs[0].chainId, '3');
  assert.equal(recs[0].header, '21051_3');
  assert.equal(recs[0].moleculeType, 'rna');
  assert.equal(recs[0].sequence, SEQ_21051);
  const count = (c: string) => [...recs[0].sequence].filter((x) => x === c).length;
  assert.deepEqual([count('A'), count('C'), count('G'), count('U')], [22, 17, 16, 23]);
});

test('header rules: after | cut, part after the first _, one character else first unused A-Z then a-z', () => {
  assert.equal(chainIdFromHeader('21051_3'), '3');
  assert.equal(chainIdFromHeader('6V5B_1|Chains A, B|RNA'), '1');
  assert.equal(chainIdFromHeader('x_AB'), 'AB');
  assert.equal(chainIdFromHeader('name_B some description'), 'B');
  const recs = parseFasta(['>first_B', 'ACGU', '>long_name_here', 'ACGU', '>second_B', 'ACGU', '>noid', 'ACGU', '>z_A', 'ACGU'].join('\n'));
  // explicit one-character ids are reserved first: B, A; the rest take C, D, E in order.
  assert.deepEqual(recs.map((r) => r.chainId), ['B', 'C', 'D', 'E', 'A']);
  const many = Array.from({ length: 30 }, (_, i) => `>rec${i}\nACGU`).join('\n');
  const ids = parseFasta(many).map((r) => r.chainId);
  assert.equal(ids[0], 'A');
  assert.equal(ids[25], 'Z');
  assert.equal(ids[26], 'a');
  assert.equal(new Set(ids).size, 30);
});

test('per-record RNA / DNA / protein, lower case, whitespace, N and X', () => {
  const text = [
    '>rna_R',
    'acgu acgu',
    'NNAC  GU',
    '',
    '>dna_D',
    'ACGTACGT',
    'acgtnx',
    '>prot_P',
    'MKTAYIAKQRQISFVKSHFSRQNNLLE*',
    '>mixed_M',
    'ACGTU',
  ].join('\r\n');
  const recs = parseFasta(text, 'mixed.fa');
  assert.deepEqual(recs.map((r) => [r.chainId, r.moleculeType, r.sequence]), [
    ['R', 'rna', 'ACGUACGUACGU'],
    ['D', 'dna', 'ACGTACGTACGT'],
    ['P', 'protein', 'MKTAYIAKQRQISFVKSHFSRQNNLLE'],
    ['M', 'rna', 'ACGTU'],
  ]);
  assert.equal(classifySequence('ACGTN'), 'dna');
  assert.equal(classifySequence('ACGUACGUAL'), 'protein', '90 % is not more than 90 %');
  assert.equal(classifySequence('ACGUACGUACGUACGUACGUL'), 'rna');
  // a bare sequence without header is one record with chain A
  assert.deepEqual(parseFasta('acguu\n').map((r) => [r.chainId, r.sequence, r.moleculeType]), [['A', 'ACGUU', 'rna']]);
});

test('empty or nucleotide-free FASTA is a FastaFormatError naming the file', () => {
  assert.throws(() => parseFasta('', 'empty.fa'), (e: unknown) => e instanceof FastaFormatError && e.code === 'FASTA_EMPTY' && /^empty\.fa: no sequence/.test(e.message));
  assert.throws(() => parseFasta('>a_A\n\n>b_B\n', 'headers.fa'), (e: unknown) => e instanceof FastaFormatError && e.code === 'FASTA_EMPTY');
  assert.throws(() => parseFasta('>p\nMKTAYIAKQRQISFVKSHF\n', 'prot.fa'), (e: unknown) => e instanceof FastaFormatError && e.code === 'FASTA_NO_NUCLEIC_ACID' && /prot\.fa/.test(e.message));
  assert.throws(() => parseFasta('>n\nNNNNXXXX\n', 'n.fa'), FastaFormatError);
});
