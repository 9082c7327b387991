/**
 * Chain-wise placement search (src/refine/register-search.ts) and what guards refinement's moves: a
 * stretch of nucleotides shifted along the backbone goes back into its density, a turned nucleotide
 * turns back with a wide enough rotation grid, a nucleotide with a stretched O3'-P link gets the wider
 * radius, nothing moves in an empty map, the C4' tether bounds how far refinement takes a nucleotide, and refined sugars keep a
 * C3'-endo (RNA) or C2'-endo (DNA) pucker.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Structure } from '../../src/structure/model.js';
import { Structure as S } from '../../src/structure/model.js';
import { simulateMap } from '../../src/simulate/simulate-map.js';
import { buildTopology } from '../../src/refine/topology.js';
import { prepareMapTarget } from '../../src/refine/map-target.js';
import { registerSearch, rotationGrid } from '../../src/refine/register-search.js';
import { axisRotation } from '../../src/math/rotation.js';
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

test('rotation grid: step = max = 12 deg is identity and +-12 deg about x, y, z; 20 / 40 deg has the 33 grid points of the ball', () => {
  const g = rotationGrid(12, 12);
  assert.equal(g.length / 3, 7);
  assert.deepEqual([...g.subarray(0, 3)], [0, 0, 0], 'identity first');
  for (let q = 1; q < 7; q++) assert.ok(Math.abs(Math.hypot(g[3 * q], g[3 * q + 1], g[3 * q + 2]) - (12 * Math.PI) / 180) < 1e-12);
  assert.equal(rotationGrid(20, 40).length / 3, 33);
  assert.equal(rotationGrid(0, 40).length / 3, 1);
});

/** Residue k of `s` turned by `deg` about the x axis through its centroid. */
function turn(s: Structure, k: number, deg: number): Structure {
  const out = copy(s), atoms = out.chains[0].residues[k].atoms;
  const c = [0, 1, 2].map((u) => atoms.reduce((sum, a) => sum + [a.x, a.y, a.z][u], 0) / atoms.length);
  const R = axisRotation([1, 0, 0], (deg * Math.PI) / 180);
  for (const a of atoms) {
    const v = [a.x - c[0], a.y - c[1], a.z - c[2]];
    a.x = c[0] + R[0] * v[0] + R[1] * v[1] + R[2] * v[2]; a.y = c[1] + R[3] * v[0] + R[4] * v[1] + R[5] * v[2]; a.z = c[2] + R[6] * v[0] + R[7] * v[1] + R[8] * v[2];
  }
  return out;
}
/** RMSD of residue k's atoms between the search result `xyz` and the truth, Angstroms. */
function residueRmsd(topo: ReturnType<typeof buildTopology>, xyz: Float64Array, truth: Structure, k: number): number {
  const r = topo.residues[k], t = truth.chains[0].residues[k].atoms;
  let ss = 0;
  for (let a = r.start; a < r.end; a++) { const b = t[a - r.start]; ss += (xyz[3 * a] - b.x) ** 2 + (xyz[3 * a + 1] - b.y) ** 2 + (xyz[3 * a + 2] - b.z) ** 2; }
  return Math.sqrt(ss / (r.end - r.start));
}

test('a nucleotide turned 36 deg about its centroid turns back with a 36 deg rotation grid, not with the 12 deg one', () => {
  const truth = idealStrand('G', 7);
  const map = simulateMap(truth, { resolutionA: 3.7, padA: 8, noiseSnr: 5, seed: 2 });
  const model = turn(truth, 3, 36);
  const topo = buildTopology(model);
  const target = prepareMapTarget(map, Float64Array.from(topo.xyz), { resolutionA: 3.7, smoothFactor: 0.5, padA: 10 });
  const narrow = Float64Array.from(topo.xyz), wide = Float64Array.from(topo.xyz);
  registerSearch(topo, narrow, target);
  registerSearch(topo, wide, target, { rotationStepDeg: 12, rotationMaxDeg: 36 });
  const start = residueRmsd(topo, Float64Array.from(topo.xyz), truth, 3);
  assert.ok(start > 1.2, `turned residue starts ${start.toFixed(2)} A RMSD from the truth`);
  assert.ok(residueRmsd(topo, narrow, truth, 3) > 0.9, `12 deg grid: ${residueRmsd(topo, narrow, truth, 3).toFixed(2)} A`);
  assert.ok(residueRmsd(topo, wide, truth, 3) < 0.3, `36 deg grid: ${residueRmsd(topo, wide, truth, 3).toFixed(2)} A`);
  for (const k of [0, 1, 5, 6]) assert.ok(residueRmsd(topo, wide, truth, k) < 0.3, `residue ${k + 1} stays: ${residueRmsd(topo, wide, truth, k).toFixed(2)} A`);
});

test('a nucleotide with a stretched O3\'-P link is searched within brokenRadiusA; one without stays within radiusA', () => {
  const truth = idealStrand('G', 9);
  const map = simulateMap(truth, { resolutionA: 3.7, padA: 8, noiseSnr: 5, seed: 4 });
  const model = shiftAlong(truth, 4, 5, 1.5);
  const topo = buildTopology(model);
  const target = prepareMapTarget(map, Float64Array.from(topo.xyz), { resolutionA: 3.7, smoothFactor: 0.5, padA: 10 });
  const k = topo.atoms.flatMap((a, i) => (a.name === "C4'" ? [i] : []));
  const t = c4(truth);
  const off = (xyz: Float64Array, n: number) => Math.hypot(xyz[3 * k[n]] - t[n].x, xyz[3 * k[n] + 1] - t[n].y, xyz[3 * k[n] + 2] - t[n].z);
  const narrow = Float64Array.from(topo.xyz), wide = Float64Array.from(topo.xyz);
  registerSearch(topo, narrow, target, { radiusA: 1, endRadiusA: 1 });
  registerSearch(topo, wide, target, { radiusA: 1, endRadiusA: 1, brokenRadiusA: 2 });
  assert.ok(off(narrow, 4) > 0.7, `1 A radius: C4' ${off(narrow, 4).toFixed(2)} A from the truth (was 1.5)`);
  assert.ok(off(wide, 4) < 0.45, `2 A radius for the stretched link: C4' ${off(wide, 4).toFixed(2)} A from the truth`);
  for (const n of [0, 1, 2, 6, 7, 8]) assert.ok(off(wide, n) < 0.3, `residue ${n + 1}: C4' ${off(wide, n).toFixed(2)} A from the truth`);
});
