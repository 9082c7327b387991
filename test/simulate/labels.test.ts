import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NeighbourGrid } from '../../src/grid/neighbour-grid.js';
import { Volume, type GridFrame } from '../../src/grid/volume.js';
import { AtomClass, flattenAtoms, gridForStructure, labelMaps, type LabelClass } from '../../src/simulate/index.js';
import type { Structure } from '../../src/structure/model.js';
import { sharedDataOrSkip, sharedPath } from '../helpers/shared-data.js';
import { readStructure } from '../../src/io/structure-file.js';
import { atom, residue, structureOf } from './fixtures.js';

const TYPE_OF: Record<string, LabelClass> = { A: 'A', U: 'UT', T: 'UT', C: 'C', G: 'G' };

function nearestVoxel(frame: GridFrame, x: number, y: number, z: number): number {
  const f = Volume.angstromToIndex(frame, x, y, z);
  return Volume.offset(frame, Math.round(f[0]), Math.round(f[1]), Math.round(f[2]));
}

function checkStructure(s: Structure, expectProtein: boolean): void {
  const frame = gridForStructure(s, { voxelSizeA: 1, padA: 4 });
  const labels = labelMaps(s, frame);
  let nP = 0, nBase = 0;
  for (const c of s.chains) for (const r of c.residues) {
    if (r.kind !== 'rna' && r.kind !== 'dna') continue;
    for (const a of r.atoms) {
      const o = nearestVoxel(frame, a.x, a.y, a.z);
      if (a.name === 'P') { nP++; assert.equal(labels.phosphate[o], 1, `P of ${r.name}${r.seqNum}`); }
      if (a.name === "C4'") assert.equal(labels.sugar[o], 1);
      if (a.name === 'N1' || a.name === 'C5') {
        nBase++;
        assert.equal(labels.base[o], 1);
        assert.equal(labels[TYPE_OF[r.base!]][o], 1, `${a.name} of ${r.name}${r.seqNum}`);
      }
    }
  }
  assert.ok(nP > 10 && nBase > 20);
  // Voxels with exactly one base type: the nearest base atom belongs to a nucleotide of that type.
  // Voxels with two types (between stacked or paired bases) stay rare.
  const flat = flattenAtoms(s);
  const idx: number[] = [];
  for (let i = 0; i < flat.count; i++) if (flat.cls[i] === AtomClass.Base) idx.push(i);
  const pts = { count: idx.length, x: idx.map((i) => flat.x[i]), y: idx.map((i) => flat.y[i]), z: idx.map((i) => flat.z[i]) };
  const grid = new NeighbourGrid(pts, 2);
  const types: LabelClass[] = ['A', 'UT', 'C', 'G'];
  const [nz, ny, nx] = frame.shape;
  let agree = 0, total = 0, multi = 0, any = 0;
  for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) {
    const o = Volume.offset(frame, i, j, k);
    const set = types.filter((c) => labels[c][o] === 1);
    if (set.length) any++;
    if (set.length > 1) multi++;
    if (set.length !== 1) continue;
    const t = types.indexOf(set[0]);
    const p = Volume.indexToAngstrom(frame, i, j, k);
    const near = grid.nearest(p[0], p[1], p[2], 2.01);
    assert.ok(near.index >= 0);
    total++;
    if (flat.baseType[idx[near.index]] === t) agree++;
  }
  assert.equal(agree, total, 'base-type agreement');
  assert.ok(total > 1000 && multi / any < 0.08, `voxels with two base types: ${multi}/${any}`);
  let prot = 0;
  for (let o = 0; o < labels.protein.length; o++) prot += labels.protein[o];
  assert.equal(prot > 0, expectProtein);
}

test('labels on the 6V5B RNA (78 nt): P voxels are phosphate, base types match residue names', (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  checkStructure(readStructure(sharedPath(dir, 'structures', 'cryoread_6v5b_drna.pdb')), false);
});

test('labels on the 1D66 protein-DNA complex: DNA classes and protein channel', (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  checkStructure(readStructure(sharedPath(dir, 'structures', 'ngl_1d66.pdb')), true);
});

test('labels on tRNA-Phe 1EHZ: modified nucleotides (PSU, 2MG, OMC, YYG, ...) label their parent base type', (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const s = readStructure(sharedPath(dir, 'structures', 'rna3db_1ehz.cif'));
  assert.ok(s.chains[0].residues.some((r) => r.originalName === 'PSU' && r.base === 'U'));
  checkStructure(s, false);
});

test('label radius and class rules on a hand-made nucleotide', () => {
  const s = structureOf(
    residue('PSU', 'rna', [atom('P', 'P', 0, 0, 0), atom("C1'", 'C', 5, 0, 0), atom('N1', 'N', 10, 0, 0), atom('H5', 'H', 10, 1.5, 0)], 'U'),
    residue('HOH', 'other', [atom('O', 'O', 0, 6, 0)]),
  );
  const frame: GridFrame = { shape: [1, 10, 16], voxelSizeA: [1, 1, 1], originA: [-3, -2, 0] };
  const l = labelMaps(s, frame, { radiusA: 1.5 });
  const at = (c: LabelClass, x: number, y: number) => l[c][Volume.offset(frame, x + 3, y + 2, 0)];
  assert.equal(at('phosphate', 0, 0), 1);
  assert.equal(at('phosphate', 1, 1), 1); // sqrt(2) < 1.5
  assert.equal(at('phosphate', 2, 0), 0);
  assert.equal(at('sugar', 5, 1), 1);
  assert.equal(at('base', 10, 0), 1);
  assert.equal(at('UT', 10, 0), 1); // modified nucleotide PSU -> parent U
  assert.equal(at('A', 10, 0), 0);
  assert.equal(at('base', 10, 3), 0); // the hydrogen at y=1.5 gets no label of its own
  let sum = 0;
  for (const c of ['sugar', 'phosphate', 'base', 'protein'] as const) for (let o = 0; o < l[c].length; o++) sum += l[c][o];
  assert.equal(sum, 3 * 9); // 3 atoms x 9 voxels in the z=0 plane within 1.5 A; water unlabelled
  assert.throws(() => labelMaps(s, frame, { radiusA: 0 }), /radiusA/);
});
