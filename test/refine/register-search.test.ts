/**
 * Chain-wise placement search (src/refine/register-search.ts) and what guards refinement's moves: a
 * stretch of nucleotides shifted along the backbone goes back into its density, nothing moves in an
 * empty map, the C4' tether bounds how far refinement takes a nucleotide, and refined sugars keep a
 * C3'-endo (RNA) or C2'-endo (DNA) pucker.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Structure } from '../../src/structure/model.js';
import { Structure as S } from '../../src/structure/model.js';
import { simulateMap } from '../../src/simulate/simulate-map.js';
import { buildTopology } from '../../src/refine/topology.js';
import { prepareMapTarget } from '../../src/refine/map-target.js';
import { registerSearch } from '../../src/refine/register-search.js';
import { refineModel } from '../../src/refine/refine-model.js';
import { validateModel } from '../../src/refine/validate.js';
import { Rng } from '../../src/util/random.js';
import { idealStrand } from '../helpers/ideal-strand.js';

function copy(s: Structure): Structure {
  return { ...s, chains: s.chains.map((c) => ({ ...c, residues: c.residues.map((r) => ({ ...r, atoms: r.atoms.map((a) => ({ ...a })) })) })) };
}
const c4 = (s: Structure) => s.chains[0].residues.map((r) => r.atoms.find((a) => a.name === "C4'")!);
const dist = (a: { x: number; y: number; z: number }, b: { x: number; y: number; z: number }) => Math.hypot(a.x - b.x, a.y - b.y, a.z - b.z);

/** Residues [from, to) moved by `by` A along the strand's C4'(first) -> C4'(last) direction. */
function shiftAlong(truth: Structure, from: number, to: number, by: number): Structure {
  const out = copy(truth), c = c4(truth), a = c[0], b = c[c.length - 1], L = dist(a, b);
  const d = [(b.x - a.x) / L, (b.y - a.y) / L, (b.z - a.z) / L];
  out.chains[0].residues.slice(from, to).forEach((r) => r.atoms.forEach((at) => { at.x += by * d[0]; at.y += by * d[1]; at.z += by * d[2]; }));
  return out;
}

test('a stretch shifted 1.5 A along the backbone is put back into its density; the rest stays', () => {
  const truth = idealStrand('G', 10);
  const map = simulateMap(truth, { resolutionA: 3.7, padA: 8, noiseSnr: 5, seed: 1 });
  const model = shiftAlong(truth, 3, 7, 1.5);
  const topo = buildTopology(model);
  const xyz = Float64Array.from(topo.xyz);
  const target = prepareMapTarget(map, xyz, { resolutionA: 3.7, smoothFactor: 0.5, padA: 10 });
  const r = registerSearch(topo, xyz, target);
  const again = Float64Array.from(topo.xyz);
  registerSearch(topo, again, target);
  assert.deepEqual([...again], [...xyz], 'deterministic');
  const k = topo.atoms.flatMap((a, i) => (a.name === "C4'" ? [i] : []));
  const t = c4(truth);
  const off = k.map((i, n) => Math.hypot(xyz[3 * i] - t[n].x, xyz[3 * i + 1] - t[n].y, xyz[3 * i + 2] - t[n].z));
  for (let n = 3; n < 7; n++) assert.ok(off[n] < 0.6, `shifted residue ${n + 1}: C4' ${off[n].toFixed(2)} A from the truth (was 1.5)`);
  for (const n of [0, 1, 8, 9]) assert.ok(off[n] < 0.6, `residue ${n + 1} away from the shift: C4' ${off[n].toFixed(2)} A from the truth`);
  assert.ok(r.moved >= 4 && r.mapScoreAfter > r.mapScoreBefore, JSON.stringify(r));
});

test('in an empty map nothing moves (the displacement prior keeps ties in place)', () => {
  const model = idealStrand('A', 5);
  const empty = simulateMap(model, { resolutionA: 4, padA: 8 });
  empty.data.fill(0);
  const topo = buildTopology(model);
  const xyz = Float64Array.from(topo.xyz);
  const target = prepareMapTarget(empty, xyz, { resolutionA: 4, smoothFactor: 0.5, padA: 10 });
  const r = registerSearch(topo, xyz, target);
  assert.equal(r.moved, 0);
  assert.deepEqual([...xyz], [...topo.xyz]);
});

test('the C4\' tether bounds how far refinement moves a nucleotide from where it started', async () => {
  const truth = idealStrand('G', 6);
  const map = simulateMap(truth, { resolutionA: 3.7, padA: 10 });
  const model = copy(truth);
  for (const { atom } of S.atoms(model)) { atom.x += 2.4; atom.y -= 1.2; }
  const moved = (s: Structure) => Math.max(...c4(s).map((a, n) => dist(a, c4(model)[n])));
  const free = await refineModel(model, map, { resolutionA: 3.7, cycles: 2, tetherFreeA: 0 });
  const held = await refineModel(model, map, { resolutionA: 3.7, cycles: 2, tetherFreeA: 1 });
  assert.ok(moved(free.structure) > 2, `untethered: largest C4' move ${moved(free.structure).toFixed(2)} A`);
  assert.ok(moved(held.structure) < 1.35, `tethered at 1 A: largest C4' move ${moved(held.structure).toFixed(2)} A`);
});

test('refined sugars end C3\'-endo (RNA) or C2\'-endo (DNA), none in between', async () => {
  for (const [name, want] of [['A', "C3'-endo"], ['DA', "C2'-endo"]] as const) {
    const truth = idealStrand(name, 8);
    const map = simulateMap(truth, { resolutionA: 4, padA: 8, noiseSnr: 3, seed: 5 });
    const bad = copy(truth), rng = new Rng(21);
    for (const { atom } of S.atoms(bad)) { atom.x += 0.35 * rng.normal(); atom.y += 0.35 * rng.normal(); atom.z += 0.35 * rng.normal(); }
    const r = await refineModel(bad, map, { resolutionA: 4, cycles: 3 });
    const before = validateModel(bad).summary.puckers, v = validateModel(r.structure).summary;
    // Each sugar keeps the family its (perturbed) input is in; none ends between the two.
    assert.equal(v.puckers.other, 0, `${name}: ${JSON.stringify(before)} -> ${JSON.stringify(v.puckers)}`);
    assert.ok(v.puckers[want] >= 6, `${name}: ${JSON.stringify(v.puckers)}`);
  }
});
