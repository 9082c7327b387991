import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readStructure } from '../../src/io/structure-file.js';
import { Structure } from '../../src/structure/model.js';
import { nucleotideBaseCentroid } from '../../src/build/template-base.js';
import { BACKBONE_ATOM_NAMES, PHOSPHATE_GROUP_ATOM_NAMES } from '../../src/build/template.js';
import type { Vec3 } from '../../src/grid/volume.js';
import { sharedDataOrSkip } from '../helpers/shared-data.js';

const dist = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
const centroid = (xs: { x: number; y: number; z: number }[]): Vec3 => [xs.reduce((s, a) => s + a.x, 0) / xs.length, xs.reduce((s, a) => s + a.y, 0) / xs.length, xs.reduce((s, a) => s + a.z, 0) / xs.length];

test('nucleotideBaseCentroid: the base of a 1EHZ nucleotide from its two phosphates and sugar; read backwards it lands elsewhere', (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const nts = Structure.nucleotides(readStructure(join(dir, 'structures', 'rna3db_1ehz.cif'))).map(({ chain, residue }) => ({ chain: chain.id, ...residue }));
  const right: number[] = [], wrong: number[] = [];
  for (let k = 0; k + 1 < nts.length; k++) {
    const r = nts[k], next = nts[k + 1];
    const ph = (res: (typeof nts)[number]) => res.atoms.filter((a) => PHOSPHATE_GROUP_ATOM_NAMES.includes(a.name));
    if (ph(r).length < 3 || ph(next).length < 3 || r.chain !== next.chain || next.seqNum !== r.seqNum + 1) continue;
    const sugar = centroid(r.atoms.filter((a) => a.name.includes("'")));
    const base = centroid(r.atoms.filter((a) => !BACKBONE_ATOM_NAMES.has(a.name)));
    const p5 = centroid(ph(r)), p3 = centroid(ph(next));
    right.push(dist(nucleotideBaseCentroid(p5, sugar, p3, { sugarAnchor: 'sugar-atoms', phosphateAnchor: 'phosphate-group' }), base));
    wrong.push(dist(nucleotideBaseCentroid(p3, sugar, p5, { sugarAnchor: 'sugar-atoms', phosphateAnchor: 'phosphate-group' }), base));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  assert.ok(right.length >= 60, `${right.length} linked nucleotides`);
  console.log(`base centroid error, median: right order ${median(right).toFixed(2)} A, reversed ${median(wrong).toFixed(2)} A`);
  assert.ok(median(right) < 1.2, `median error ${median(right).toFixed(2)} A`);
  assert.ok(median(wrong) > 5, `reversed reading ${median(wrong).toFixed(2)} A should land far from the base`);
});
