import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { sharedDataOrSkip } from '../helpers/shared-data.js';
import { readStructure } from '../../src/io/structure-file.js';
import { readFasta, parseFasta } from '../../src/io/fasta.js';
import { Structure } from '../../src/structure/model.js';

test('Structure.sequenceRecords: 6V5B chain D gives the deposited 21051 FASTA sequence', (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const recs = Structure.sequenceRecords(readStructure(join(dir, 'structures', 'cryoread_6v5b_drna.pdb')));
  const fasta = readFasta(join(dir, 'structures', 'cryoread_21051.fasta'));
  assert.equal(recs.length, 1);
  assert.equal(recs[0].moleculeType, 'rna');
  assert.equal(recs[0].sequence, fasta[0].sequence);
  // The records read back through the FASTA parser unchanged.
  const text = recs.map((r) => `>${r.header}\n${r.sequence}`).join('\n');
  const back = parseFasta(text);
  assert.deepEqual(back.map((r) => [r.chainId, r.sequence, r.moleculeType]), recs.map((r) => [r.chainId, r.sequence, r.moleculeType]));
});

test('Structure.sequenceRecords: DNA chains read T, protein-only chains are left out', () => {
  const atom = { name: "C4'", element: 'C', x: 0, y: 0, z: 0, b: 0, occupancy: 1 };
  const res = (name: string, kind: 'rna' | 'dna' | 'protein', base?: 'A' | 'C' | 'G' | 'U' | 'T') => ({ name, seqNum: 1, insertionCode: '', kind, base, atoms: [atom] });
  const s = {
    chains: [
      { id: 'A', residues: [res('DA', 'dna', 'A'), res('DT', 'dna', 'T'), res('DU', 'dna', 'U')] },
      { id: 'B', residues: [res('ALA', 'protein')] },
      { id: 'C', residues: [res('G', 'rna', 'G'), res('U', 'rna', 'U')] },
    ],
  } as unknown as Structure;
  assert.deepEqual(Structure.sequenceRecords(s).map((r) => [r.chainId, r.sequence, r.moleculeType]), [['A', 'ATT', 'dna'], ['C', 'GU', 'rna']]);
});
