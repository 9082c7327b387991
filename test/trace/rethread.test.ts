import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { NodeSet } from '../../src/cluster/node-set.js';
import { Volume, type Vec3 } from '../../src/grid/volume.js';
import { readStructure } from '../../src/io/structure-file.js';
import { simulateMap } from '../../src/simulate/simulate-map.js';
import { oracleProbabilities } from '../../src/simulate/oracle.js';
import { Structure } from '../../src/structure/model.js';
import { directionSegments, placeSugar, rethreadPaths, defaultRethreadParams } from '../../src/trace/rethread.js';
import type { BackbonePath, TracedNode } from '../../src/trace/types.js';
import { Rng } from '../../src/util/random.js';
import { sharedDataOrSkip } from '../helpers/shared-data.js';

const dist = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/** 1EHZ (tRNA-Phe, 76 nt) at 3.7 A: simulated map, oracle sugar channel, P atoms and sugar-atom centroids per nucleotide. */
function tRna(dir: string) {
  const s = readStructure(join(dir, 'structures', 'rna3db_1ehz.cif'));
  const nts = Structure.nucleotides(s).map(({ residue }) => residue);
  const centroid = (r: (typeof nts)[number]): Vec3 => {
    const at = r.atoms.filter((a) => a.name.includes("'"));
    return [0, 1, 2].map((k) => at.reduce((acc, a) => acc + [a.x, a.y, a.z][k], 0) / at.length) as Vec3;
  };
  const sugar = nts.map(centroid);
  const phosphorus = nts.map((r) => Structure.findAtom(r, 'P')).map((a) => (a ? ([a.x, a.y, a.z] as Vec3) : null));
  const map = simulateMap(s, { resolutionA: 3.7 });
  const prob = oracleProbabilities(s, map);
  return { sugar, phosphorus, map, sugarProbability: Volume.create(prob, prob.channels.sugar), baseProbability: Volume.create(prob, prob.channels.base) };
}

function nodeSet(points: Vec3[], density: number[]): NodeSet {
  const ns = NodeSet.create(points.length);
  points.forEach((p, i) => { ns.x[i] = p[0]; ns.y[i] = p[1]; ns.z[i] = p[2]; ns.density[i] = density[i]; });
  return ns;
}

/** A traced path half a nucleotide out of phase (midpoints of consecutive sugars, 0.5 A noise) over residues [from, to). */
function outOfPhasePath(sugar: Vec3[], from: number, to: number, rng: Rng, reverse = false): BackbonePath {
  const nodes: TracedNode[] = [];
  for (let k = from; k + 1 < to; k++) {
    const m = [0, 1, 2].map((q) => (sugar[k][q] + sugar[k + 1][q]) / 2 + 0.5 * rng.normal()) as Vec3;
    nodes.push({ sugarIndex: k, sugarA: m, phosphate5A: null, phosphate3A: null, baseA: null, baseEvidence: [0.25, 0.25, 0.25, 0.25] });
  }
  return { nodes: reverse ? nodes.reverse() : nodes, direction: 1, directionConfidence: 0.1, cost: 0 };
}

/** Residue index of the nearest true sugar centroid and its distance. */
function nearestResidue(sugar: Vec3[], p: ArrayLike<number>): { k: number; d: number } {
  let k = -1, d = Infinity;
  sugar.forEach((s, i) => { const e = dist(s, p); if (e < d) { d = e; k = i; } });
  return { k, d };
}

test('placeSugar: the sugar point between two phosphates lies at the standard distances from both', () => {
  const frame = { shape: [20, 20, 20] as [number, number, number], voxelSizeA: [1, 1, 1] as Vec3, originA: [-10, -10, -10] as Vec3 };
  const sugarProb = Volume.create(frame);
  const q = placeSugar([-3, 0, 0], [3, 0, 0], sugarProb, defaultRethreadParams);
  assert.ok(Math.abs(dist(q, [-3, 0, 0]) - defaultRethreadParams.sugarToP5A) < 1e-6);
  assert.ok(Math.abs(dist(q, [3, 0, 0]) - defaultRethreadParams.sugarToP3A) < 1e-6);
});

test('rethread: a path half a nucleotide out of phase comes back onto the sugars, in 5\'->3\' order, also when traced backwards', (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const { sugar, phosphorus, map, sugarProbability } = tRna(dir);
  const rng = new Rng(3);
  // phosphate nodes: every P (0.3 A noise), plus decoys on sugars of other residues (weaker), as detection leaves them
  const pts: Vec3[] = [], dens: number[] = [];
  phosphorus.forEach((p) => { if (p) { pts.push([p[0] + 0.3 * rng.normal(), p[1] + 0.3 * rng.normal(), p[2] + 0.3 * rng.normal()]); dens.push(0.9); } });
  for (let k = 40; k < 60; k += 4) { pts.push(sugar[k]); dens.push(0.5); }
  const phosphates = nodeSet(pts, dens);
  const from = 1, to = 16; // acceptor stem 5' strand (residues 2-16), continuous backbone
  for (const reverse of [false, true]) {
    const path = outOfPhasePath(sugar, from, to, new Rng(5), reverse);
    const before = path.nodes.map((n) => nearestResidue(sugar, n.sugarA).d);
    const r = rethreadPaths([path], { phosphates, sugarProbability, density: map });
    assert.equal(r.rethreaded, 1);
    assert.equal(r.reversed, reverse ? 1 : 0, 'the direction vote turns a backwards path round');
    const nodes = r.paths.flatMap((p) => p.nodes);
    const placed = nodes.map((n) => nearestResidue(sugar, n.sugarA));
    const close = placed.filter((x) => x.d <= 1.2).length;
    assert.ok(Math.min(...before) > 1.5, 'the traced nodes start out of phase');
    assert.ok(close >= 0.9 * nodes.length, `${close} of ${nodes.length} re-threaded nodes within 1.2 A of a sugar centroid`);
    assert.ok(nodes.length >= to - from - 3 && nodes.length <= to - from + 1, `${nodes.length} nucleotides for residues ${from}-${to - 1}`);
    // one node per residue, in increasing residue order (5'->3'), each with its two phosphates
    for (let i = 1; i < placed.length; i++) assert.ok(placed[i].k > placed[i - 1].k, `residue order ${placed.map((x) => x.k)}`);
    for (const n of nodes.slice(1, -1)) {
      assert.ok(n.phosphate5A && n.phosphate3A);
      const k = nearestResidue(sugar, n.sugarA).k;
      assert.ok(dist(n.phosphate5A, phosphorus[k]!) < 2, `5' phosphate of residue ${k} is its own P (${dist(n.phosphate5A, phosphorus[k]!).toFixed(1)} A; reverse ${reverse}; residues ${placed.map((x) => `${x.k}:${x.d.toFixed(1)}`)})`);
    }
  }
});

test('rethread: where phosphate nodes are missing the traced nodes are kept; without phosphates the path is unchanged; deterministic', (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const { sugar, phosphorus, map, sugarProbability } = tRna(dir);
  const path = outOfPhasePath(sugar, 1, 30, new Rng(7));
  // P nodes of residues 2-12 only: the rest of the path (13-29) has no phosphates
  const pts: Vec3[] = [], dens: number[] = [];
  for (let k = 2; k <= 12; k++) { pts.push(phosphorus[k]!); dens.push(0.9); }
  const r = rethreadPaths([path], { phosphates: nodeSet(pts, dens), sugarProbability, density: map });
  assert.equal(r.rethreaded, 1);
  const nodes = r.paths.flatMap((p) => p.nodes);
  const onSugar = nodes.filter((n) => nearestResidue(sugar, n.sugarA).d <= 1.2);
  const kept = nodes.filter((n) => path.nodes.some((m) => m.sugarA === n.sugarA));
  assert.ok(onSugar.length >= 8, `${onSugar.length} nodes re-placed onto sugars where the phosphates are (residues 2-12)`);
  for (const n of onSugar) assert.ok(nearestResidue(sugar, n.sugarA).k <= 12);
  // the stretch without phosphates keeps every traced node (residues 13-29: path nodes 12..28)
  for (const m of path.nodes.slice(13)) assert.ok(kept.includes(m) || kept.some((n) => n.sugarA === m.sugarA), 'traced node kept where no phosphate is');
  const again = rethreadPaths([path], { phosphates: nodeSet(pts, dens), sugarProbability, density: map });
  assert.deepEqual(again.paths, r.paths);
  const none = rethreadPaths([path], { phosphates: nodeSet([], []), sugarProbability, density: map });
  assert.equal(none.kept, 1);
  assert.deepEqual(none.paths[0], path);
  assert.equal(rethreadPaths([path], { phosphates: nodeSet(pts, dens), sugarProbability }, { enabled: false }).paths[0], path);
});

test('directionSegments: a run is cut where the votes change sign for good, not at a noisy link', () => {
  // 8 links one way, 7 the other (a junction), one noisy link inside the first stretch
  const votes = [0.4, 0.3, -0.2, 0.5, 0.4, 0.3, 0.35, 0.4, -0.3, -0.5, -0.4, -0.3, -0.45, -0.35, -0.4];
  const segs = directionSegments(votes, 2, 3);
  assert.deepEqual(segs.map(({ from, to, sign }) => ({ from, to, sign })), [{ from: 0, to: 8, sign: 1 }, { from: 8, to: 15, sign: -1 }]);
  assert.ok(Math.abs(segs[0].vote - 2.45) < 1e-9 && Math.abs(segs[1].vote + 2.7) < 1e-9, 'each piece carries its summed vote');
  // a high switch penalty keeps one piece, with the sign of the summed votes
  assert.deepEqual(directionSegments(votes, 100, 3).map(({ from, to, sign }) => ({ from, to, sign })), [{ from: 0, to: 15, sign: -1 }]); // 2.45 one way, 2.7 the other
  // a short opposite stretch (2 links) is merged into its neighbours even at a low penalty
  const short = [0.3, 0.4, 0.3, 0.3, -0.9, -0.9, 0.3, 0.4, 0.3];
  assert.deepEqual(directionSegments(short, 0.1, 3).map(({ from, to, sign }) => ({ from, to, sign })), [{ from: 0, to: 9, sign: 1 }]);
  assert.deepEqual(directionSegments([], 2, 3), []);
  // pieces cover every link exactly once, in order
  const long = Array.from({ length: 40 }, (_, k) => Math.sin(k / 4) + 0.1 * Math.cos(7 * k));
  const s = directionSegments(long, 0.5, 3);
  assert.equal(s[0].from, 0);
  assert.equal(s[s.length - 1].to, 40);
  for (let i = 1; i < s.length; i++) { assert.equal(s[i].from, s[i - 1].to); assert.ok(s[i].to - s[i].from >= 3); }
});

test('rethread: on a flat map the base probability alone turns a backwards path round (template base read both ways)', (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const { sugar, phosphorus, sugarProbability, baseProbability } = tRna(dir);
  const flat = Volume.create(sugarProbability);
  flat.data.fill(0.5);
  const pts: Vec3[] = [], dens: number[] = [];
  phosphorus.forEach((p) => { if (p) { pts.push(p); dens.push(0.9); } });
  const phosphates = nodeSet(pts, dens);
  const backwards = outOfPhasePath(sugar, 1, 16, new Rng(5), true);
  const withBase = rethreadPaths([backwards], { phosphates, sugarProbability, density: flat, baseProbability });
  assert.equal(withBase.reversed, 1, 'the base probability at the two readings\' template bases decides');
  const order = withBase.paths.flatMap((p) => p.nodes).map((n) => nearestResidue(sugar, n.sugarA).k);
  for (let i = 1; i < order.length; i++) assert.ok(order[i] >= order[i - 1], `5'->3' residue order ${order}`);
  assert.ok(order[order.length - 1] - order[0] >= 10, `5'->3' residue order ${order}`);
  // without it every link's vote is zero on a flat map: the traced (backwards) order is kept
  const without = rethreadPaths([backwards], { phosphates, sugarProbability, density: flat });
  assert.equal(without.reversed, 0);
});
