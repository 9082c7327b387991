/**
 * Restraint math of the built-in refinement: analytic gradients against finite differences (every
 * term, the map term, the C4' tether, the rigid-body chain rule), ideal template geometry has ~zero energy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { idealStrand } from '../helpers/ideal-strand.js';
import { buildTopology } from '../../src/refine/topology.js';
import { RefineEnergy, BACKBONE_ATOMS } from '../../src/refine/energy.js';
import { prepareMapTarget } from '../../src/refine/map-target.js';
import { rigidBodies, rigidCoordinates, rigidGradient } from '../../src/refine/rigid-body.js';
import { geometryStats, sugarPucker } from '../../src/refine/geometry-stats.js';
import { simulateMap } from '../../src/simulate/simulate-map.js';
import { Rng } from '../../src/util/random.js';
import { readStructure } from '../../src/io/structure-file.js';
import { sharedDataOrSkip, sharedPath } from '../helpers/shared-data.js';

function perturb(xyz: Float64Array, sigmaA: number, seed: number): void {
  const rng = new Rng(seed);
  for (let i = 0; i < xyz.length; i++) xyz[i] += sigmaA * rng.normal();
}

function checkGradient(f: (x: Float64Array, g: Float64Array) => number, x: Float64Array, h = 1e-5, what = ''): void {
  const g = new Float64Array(x.length), gd = new Float64Array(x.length);
  f(x, g);
  let maxErr = 0, maxG = 0;
  for (let i = 0; i < x.length; i++) {
    const x0 = x[i];
    x[i] = x0 + h; const ep = f(x, gd);
    x[i] = x0 - h; const em = f(x, gd);
    x[i] = x0;
    const num = (ep - em) / (2 * h);
    maxErr = Math.max(maxErr, Math.abs(num - g[i]));
    maxG = Math.max(maxG, Math.abs(g[i]));
  }
  assert.ok(maxG > 1, `${what}: gradient should not vanish (max ${maxG})`);
  assert.ok(maxErr < 1e-4 * Math.max(1, maxG), `${what}: analytic vs finite-difference gradient differ by ${maxErr} (max |g| ${maxG})`);
}

test('ideal template strands have ~zero geometry energy (bonds, angles, planes, chirality, pucker, links)', () => {
  for (const name of ['A', 'DA', 'G'] as const) {
    const topo = buildTopology(idealStrand(name, 3));
    const e = new RefineEnergy(topo, null, { map: 0, nonbonded: 1 });
    e.updatePairs(topo.xyz);
    e.evaluate(topo.xyz, new Float64Array(topo.xyz.length));
    assert.equal(topo.bonds.filter((b) => b.kind === 'link').length, 2, `${name}: two O3'-P links`);
    assert.ok(topo.chirals.length >= 9, `${name}: chiral centres`);
    const t = e.terms;
    assert.ok(t.bonds + t.angles + t.chirals + t.pucker < 1e-3 && t.planes < 0.05, `${name}: ideal geometry energy ${JSON.stringify(t)}`);
    const g = geometryStats(topo);
    assert.ok(g.bondRmsdA < 0.002 && g.angleRmsdDeg < 0.1 && g.chiralityErrors === 0, JSON.stringify(g));
  }
});

test('pucker of the templates: RNA C3\'-endo, B-DNA C2\'-endo', () => {
  for (const [name, want] of [['A', "C3'-endo"], ['DA', "C2'-endo"]] as const) {
    const topo = buildTopology(idealStrand(name, 1));
    const idx = ["C1'", "C2'", "C3'", "C4'", "O4'"].map((n) => topo.atoms.findIndex((a) => a.name === n)) as [number, number, number, number, number];
    const p = sugarPucker(topo.xyz, idx)!;
    assert.equal(p.pucker, want, `${name}: phase ${p.phaseDeg}`);
    assert.ok(p.amplitudeDeg > 25 && p.amplitudeDeg < 50, `amplitude ${p.amplitudeDeg}`);
  }
});

test('analytic gradients of every term match finite differences', () => {
  const s = idealStrand('A', 3);
  const map = simulateMap(s, { resolutionA: 3, padA: 6 });
  const topo = buildTopology(s, { basePairHbonds: false });
  const x = Float64Array.from(topo.xyz);
  perturb(x, 0.3, 7);
  // Push two residues together so repulsion pairs are active, and bend the pucker out of range.
  const centroid = (r: number) => { const c = [0, 0, 0]; let n = 0; for (let a = 0; a < topo.count; a++) if (topo.residueOf[a] === r) { for (let u = 0; u < 3; u++) c[u] += x[3 * a + u]; n++; } return c.map((v) => v / n); };
  const c1 = centroid(1), c2 = centroid(2);
  for (let a = 0; a < topo.count; a++) if (topo.residueOf[a] === 2) for (let u = 0; u < 3; u++) x[3 * a + u] -= 0.45 * (c2[u] - c1[u]);
  const target = prepareMapTarget(map, x, { resolutionA: 3, smoothFactor: 0.5, padA: 8 });
  const e = new RefineEnergy(topo, target, { map: 5, nonbonded: 1 });
  e.updatePairs(x);
  // Tether every C4' to the unperturbed strand with a free radius most perturbed C4' atoms exceed.
  e.setTether(topo.atoms.flatMap((a, i) => (a.name === "C4'" ? [i] : [])), topo.xyz, 0.3, 0.2);
  e.evaluate(x, new Float64Array(x.length));
  for (const k of ['map', 'bonds', 'angles', 'planes', 'chirals', 'repulsion', 'tether'] as const) assert.ok(Math.abs(e.terms[k]) > 1e-3, `term ${k} active: ${e.terms[k]}`);
  checkGradient((xx, g) => e.evaluate(xx, g), x, 1e-5, 'all-atom target');
  // The flat-bottom pucker term alone, with delta pushed outside its range.
  const topo1 = buildTopology(idealStrand('A', 1));
  const x1 = Float64Array.from(topo1.xyz);
  const o3 = topo1.atoms.findIndex((a) => a.name === "O3'");
  const e1 = new RefineEnergy(topo1, null, { map: 0, nonbonded: 0 });
  for (const d of [[1.5, 0, 0], [0, 1.5, 0], [0, 0, 1.5], [-1.5, 0, 0], [0, -1.5, 0], [0, 0, -1.5]]) {
    for (let u = 0; u < 3; u++) x1[3 * o3 + u] = topo1.xyz[3 * o3 + u] + d[u];
    e1.evaluate(x1, new Float64Array(x1.length));
    if (e1.terms.pucker > 0.01) break;
  }
  assert.ok(e1.terms.pucker > 0.01, `pucker term active: ${e1.terms.pucker}`);
  checkGradient((xx, g) => e1.evaluate(xx, g), x1, 1e-5, 'pucker');
  // The pseudorotation phase / amplitude term: C2' and C3' pushed so the ring is between the families.
  const x2 = Float64Array.from(topo1.xyz);
  const iC2 = topo1.atoms.findIndex((a) => a.name === "C2'"), iC3 = topo1.atoms.findIndex((a) => a.name === "C3'");
  x2[3 * iC2] += 0.35; x2[3 * iC2 + 1] -= 0.25; x2[3 * iC3 + 2] += 0.3;
  e1.evaluate(x2, new Float64Array(x2.length));
  const ring = ["C1'", "C2'", "C3'", "C4'", "O4'"].map((n) => topo1.atoms.findIndex((a) => a.name === n)) as [number, number, number, number, number];
  assert.equal(topo1.puckers.length, 1);
  assert.ok(e1.terms.pucker > 0.01, `phase term active: ${e1.terms.pucker} (phase ${sugarPucker(x2, ring)?.phaseDeg})`);
  checkGradient((xx, g) => e1.evaluate(xx, g), x2, 1e-5, 'pseudorotation');
});

test('rigid-body gradient (rotation vector + translation per residue) matches finite differences', () => {
  const s = idealStrand('G', 3);
  const map = simulateMap(s, { resolutionA: 3.5, padA: 6 });
  const topo = buildTopology(s);
  const target = prepareMapTarget(map, topo.xyz, { resolutionA: 3.5, smoothFactor: 0.5, padA: 8 });
  const e = new RefineEnergy(topo, target, { map: 20, nonbonded: 1 });
  e.updatePairs(topo.xyz);
  const bodies = rigidBodies(topo, topo.xyz);
  const q = new Float64Array(6 * bodies.residues.length);
  const rng = new Rng(3);
  for (let i = 0; i < q.length; i++) q[i] = (i % 6 < 3 ? 0.3 : 0.8) * rng.normal();
  const xr = new Float64Array(topo.xyz.length), gr = new Float64Array(topo.xyz.length);
  checkGradient((qq, gq) => { rigidCoordinates(topo, bodies, qq, xr); const v = e.evaluate(xr, gr); rigidGradient(topo, bodies, qq, gr, gq); return v; }, q, 1e-6, 'rigid body');
});

test('base-pair hydrogen-bond restraints: two per A-U pair of an ideal A-RNA duplex, at rest there', (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const duplex = readStructure(sharedPath(dir, 'geometry', 'derived_A-RNA_fiber20_12bp_from_3dna_fiber.pdb'));
  assert.equal(buildTopology(duplex).bonds.filter((b) => b.kind === 'hbond').length, 0, 'off by default');
  const topo = buildTopology(duplex, { basePairHbonds: true });
  const hb = topo.bonds.filter((b) => b.kind === 'hbond');
  assert.equal(hb.length, 24);
  const pairs = hb.map((b) => [topo.atoms[b.i].name, topo.atoms[b.j].name].join('-')).sort();
  assert.deepEqual([...new Set(pairs)], ['N1-N3', 'N6-O4']);
  // Geometry statistics leave H-bonds out; a refinement keeps the pairs.
  const g = geometryStats(topo);
  assert.equal(g.bonds, topo.bonds.length - 24);
});

test('base atoms at a reduced map weight: their map gradient scales by the factor, the backbone\'s does not', () => {
  const s = idealStrand('G', 2);
  const map = simulateMap(s, { resolutionA: 3.7, padA: 6 });
  const topo = buildTopology(s, { basePairHbonds: false });
  const x = Float64Array.from(topo.xyz);
  perturb(x, 0.4, 3);
  const target = prepareMapTarget(map, x, { resolutionA: 3.7, smoothFactor: 0.5, padA: 8 });
  // The map term's gradient alone: the difference of two energies that differ only in the map weight.
  const mapGradient = (factor: number) => {
    const on = new RefineEnergy(topo, target, { map: 1, nonbonded: 1 }), off = new RefineEnergy(topo, target, { map: 0, nonbonded: 1 });
    if (factor !== 1) on.setBaseMapWeight(factor);
    on.updatePairs(x); off.updatePairs(x);
    const g1 = new Float64Array(x.length), g0 = new Float64Array(x.length);
    on.evaluate(x, g1); off.evaluate(x, g0);
    return g1.map((v, i) => v - g0[i]);
  };
  const full = mapGradient(1), half = mapGradient(0.5);
  let baseAtoms = 0;
  topo.atoms.forEach((a, i) => {
    const k = BACKBONE_ATOMS.has(a.name) ? 1 : 0.5;
    if (k === 0.5) baseAtoms++;
    for (let u = 0; u < 3; u++) assert.ok(Math.abs(half[3 * i + u] - k * full[3 * i + u]) < 1e-9 * Math.max(1, Math.abs(full[3 * i + u])), `${a.name}: ${half[3 * i + u]} vs ${k} x ${full[3 * i + u]}`);
  });
  assert.equal(baseAtoms, 2 * 11, 'G: 11 base atoms per nucleotide');
});
