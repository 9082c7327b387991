import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { addDecoyProtein, addIons, addWaters, dropStretch, proteinChains } from '../../training/augment-structure.js';
import { readStructure } from '../../src/io/structure-file.js';
import { Structure } from '../../src/structure/model.js';
import { Rng } from '../../src/util/random.js';
import { sharedDataOrSkip } from '../helpers/shared-data.js';

test('training augmentation: decoy protein never within 3 A of the nucleic acid; ions at phosphate oxygens; waters apart; a stretch dropped', (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const rna = readStructure(join(dir, 'structures', 'rna3db_1ehz.cif'));
  const pool = proteinChains(readStructure(join(dir, 'structures', 'occupancy_prots1.pdb')));
  assert.ok(pool.length > 0);
  const rng = new Rng(5);
  const withProt = addDecoyProtein(rna, pool, 1.5, rng);
  const na = [...Structure.atoms(rna)].map((x) => x.atom);
  const prot = withProt.chains.filter((c) => c.id === 'Zp').flatMap((c) => c.residues);
  assert.ok(prot.length >= 30, `${prot.length} protein residues added`);
  assert.ok(prot.every((r) => r.kind === 'protein'));
  const protAtoms = prot.flatMap((r) => r.atoms);
  const ratio = protAtoms.length / na.length;
  assert.ok(ratio > 0.5 && ratio < 2, `protein/NA atoms ${ratio.toFixed(2)} for ratio 1.5`);
  for (const a of protAtoms) for (const b of na) assert.ok(Math.hypot(a.x - b.x, a.y - b.y, a.z - b.z) >= 3, 'protein atom within 3 A of RNA');
  // the protein touches the RNA's envelope: some protein atom within 8 A of the RNA
  assert.ok(protAtoms.some((a) => na.some((b) => Math.hypot(a.x - b.x, a.y - b.y, a.z - b.z) < 8)), 'protein placed against the RNA');

  const ions = addIons(rna, 1, new Rng(1)).chains.find((c) => c.id === 'Zi')!.residues;
  assert.ok(ions.length > 60, `${ions.length} ions`);
  for (const ion of ions.slice(0, 10)) {
    const m = ion.atoms[0];
    assert.equal(m.element, 'Mg');
    const d = Math.min(...na.filter((a) => a.name === 'OP1' || a.name === 'OP2').map((o) => Math.hypot(o.x - m.x, o.y - m.y, o.z - m.z)));
    assert.ok(Math.abs(d - 2.1) < 0.05 || d < 2.1, `Mg ${d.toFixed(2)} A from the nearest phosphate oxygen`);
  }
  const waters = addWaters(rna, 40, new Rng(2)).chains.find((c) => c.id === 'Zw')!.residues.map((r) => r.atoms[0]);
  assert.ok(waters.length >= 30);
  for (const w of waters) assert.ok(na.every((a) => Math.hypot(a.x - w.x, a.y - w.y, a.z - w.z) >= 2.5));

  const shorter = dropStretch(rna, 5, new Rng(3));
  assert.equal(Structure.nucleotides(shorter).length, Structure.nucleotides(rna).length - 5);
});
