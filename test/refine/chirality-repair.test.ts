/**
 * Chirality repair (chirality-repair.ts): a mirrored sugar carbon is flipped back by the reflection
 * through its substituents' plane, and refineModel ends without chirality errors when centres are
 * inverted in its input (with and without a map).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { idealStrand } from '../helpers/ideal-strand.js';
import { buildTopology } from '../../src/refine/topology.js';
import { invertedChirals, repairChirality } from '../../src/refine/chirality-repair.js';
import { refineModel } from '../../src/refine/refine-model.js';
import { simulateMap } from '../../src/simulate/simulate-map.js';
import { Structure as S, type Structure } from '../../src/structure/model.js';

/** Reflects the named atom of residue `seq` through the plane of its three substituents (a mirrored centre). */
function invert(s: Structure, seq: number, centre: string, subs: [string, string, string]): Structure {
  const out: Structure = { ...s, chains: s.chains.map((c) => ({ ...c, residues: c.residues.map((r) => ({ ...r, atoms: r.atoms.map((a) => ({ ...a })) })) })) };
  const r = out.chains[0].residues.find((x) => x.seqNum === seq)!;
  const [a, b, c] = subs.map((n) => S.findAtom(r, n)!);
  const x = S.findAtom(r, centre)!;
  const u = [b.x - a.x, b.y - a.y, b.z - a.z], w = [c.x - a.x, c.y - a.y, c.z - a.z];
  const n = [u[1] * w[2] - u[2] * w[1], u[2] * w[0] - u[0] * w[2], u[0] * w[1] - u[1] * w[0]];
  const h = ((x.x - a.x) * n[0] + (x.y - a.y) * n[1] + (x.z - a.z) * n[2]) / (n[0] ** 2 + n[1] ** 2 + n[2] ** 2);
  x.x -= 2 * h * n[0]; x.y -= 2 * h * n[1]; x.z -= 2 * h * n[2];
  return out;
}

test('repairChirality flips inverted C4\' and C1\' centres back and keeps their bond lengths', () => {
  const truth = idealStrand('A', 3);
  const bad = invert(invert(truth, 2, "C4'", ["O4'", "C3'", "C5'"]), 3, "C1'", ["O4'", "C2'", 'N9']);
  const topo = buildTopology(bad), ref = buildTopology(truth);
  assert.equal(invertedChirals(topo, topo.xyz).length, 2, 'two centres inverted');
  const xyz = Float64Array.from(topo.xyz);
  assert.equal(repairChirality(topo, xyz), 2);
  assert.equal(invertedChirals(topo, xyz).length, 0);
  // The reflection through the plane of the three bonded substituents restores the ideal atom exactly.
  for (let i = 0; i < xyz.length; i++) assert.ok(Math.abs(xyz[i] - ref.xyz[i]) < 1e-9, `coordinate ${i}`);
});

test('refineModel ends without chirality errors when its input has mirrored centres (no map, and in a map)', async () => {
  const truth = idealStrand('G', 6);
  const bad = invert(invert(truth, 2, "C3'", ["C4'", "C2'", "O3'"]), 5, "C4'", ["O4'", "C3'", "C5'"]);
  assert.equal(buildTopology(bad).chirals.length > 0, true);
  for (const map of [null, simulateMap(truth, { resolutionA: 3.7, padA: 8 })]) {
    const r = await refineModel(bad, map, { resolutionA: 3.7, cycles: 2 });
    assert.equal(r.before.geometry.chiralityErrors, 2);
    assert.equal(r.after.geometry.chiralityErrors, 0, `after refinement (${map ? 'map' : 'no map'})`);
    assert.ok(r.notes.some((n) => n.includes('reflected back')), r.notes.join('; '));
    assert.ok(r.after.geometry.bondRmsdA < 0.02, `bond RMSD ${r.after.geometry.bondRmsdA}`);
  }
  const off = await refineModel(bad, null, { cycles: 1, repairChirality: false });
  assert.ok(!off.notes.some((n) => n.includes('reflected back')));
});
