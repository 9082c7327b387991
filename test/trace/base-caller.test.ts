import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import {
  backboneFrame, baseCallerFeatures, callBases, featureCount, parseBaseCaller, pathPhosphates, predictBaseType, readBaseCaller,
  templateFrameFeatures, templateReading, DEFAULT_BASE_CALLER_GRID, DEFAULT_TEMPLATE_GRID, type BaseCaller,
} from '../../src/trace/base-caller.js';
import { BACKBONE_POINT_ANCHORS, nucleotideBaseCentroid, templateBaseFrame } from '../../src/build/template-base.js';
import { Volume, type Vec3 } from '../../src/grid/volume.js';
import { ModelError } from '../../src/util/errors.js';
import { Rng } from '../../src/util/random.js';
import { baseTypeIndex } from '../../src/simulate/index.js';
import { coarseFromStructure } from '../../src/build/coarse.js';
import type { BackbonePath, BaseEvidence } from '../../src/trace/types.js';
import { sharedDataOrSkip } from '../helpers/shared-data.js';
import { simulatedTrna } from '../helpers/simulated-trna.js';

const SHIPPED = fileURLToPath(new URL('../../models/base-caller-v1.json', import.meta.url));
const SHIPPED_V3 = fileURLToPath(new URL('../../models/base-caller-v3.json', import.meta.url));
const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

test('backbone frame: orthonormal, e1 along the backbone, e2 towards the centre of curvature; null when straight', () => {
  const f = backboneFrame([-3, 1, 0], [0, 0, 0], [3, 1, 0.5]);
  assert.ok(f);
  const [e1, e2, e3] = f;
  for (const e of f) assert.ok(Math.abs(dot(e, e) - 1) < 1e-9);
  assert.ok(Math.abs(dot(e1, e2)) < 1e-9 && Math.abs(dot(e1, e3)) < 1e-9 && Math.abs(dot(e2, e3)) < 1e-9);
  assert.ok(e1[0] > 0.9, 'tangent from a to b');
  assert.ok(e2[1] > 0.9, 'curvature centre is on +y');
  assert.equal(backboneFrame([-3, 0, 0], [0, 0, 0], [3, 0, 0]), null);
  assert.equal(backboneFrame([0, 0, 0], [1, 1, 1], [0.2, 0, 0]), null);
});

function blobMap(): Volume {
  const v = Volume.create({ shape: [30, 30, 30], voxelSizeA: [1, 1, 1], originA: [-15, -15, -15] });
  for (let z = 0; z < 30; z++) for (let y = 0; y < 30; y++) for (let x = 0; x < 30; x++) {
    const [X, Y, Z] = [x - 15, y - 15, z - 15];
    v.data[(z * 30 + y) * 30 + x] = Math.exp(-((X - 1) ** 2 + (Y - 4) ** 2 + Z ** 2) / 4) + 0.5 * Math.exp(-((X + 2) ** 2 + Y ** 2 + (Z - 1) ** 2) / 3);
  }
  return v;
}

test('features: one per grid point, standardised, unchanged by a linear rescaling of the map', () => {
  const v = blobMap();
  const a: Vec3 = [-4, 1, 0], s: Vec3 = [0, 0, 0], b: Vec3 = [4, 1.5, 0.5];
  const f = baseCallerFeatures(v, a, s, b, DEFAULT_BASE_CALLER_GRID);
  assert.ok(f);
  assert.equal(f.length, featureCount(DEFAULT_BASE_CALLER_GRID));
  assert.equal(featureCount(DEFAULT_BASE_CALLER_GRID), 9 * 9 * 9);
  const mean = f.reduce((x, y) => x + y, 0) / f.length;
  const sd = Math.sqrt(f.reduce((x, y) => x + (y - mean) ** 2, 0) / f.length);
  assert.ok(Math.abs(mean) < 1e-5 && Math.abs(sd - 1) < 1e-3, `mean ${mean} sd ${sd}`);
  const scaled = Volume.create(v, v.data.map((d) => 3 * d + 0.7));
  const g = baseCallerFeatures(scaled, a, s, b, DEFAULT_BASE_CALLER_GRID)!;
  let maxDiff = 0;
  for (let i = 0; i < f.length; i++) maxDiff = Math.max(maxDiff, Math.abs(f[i] - g[i]));
  assert.ok(maxDiff < 1e-4, `max diff ${maxDiff}`);
  assert.equal(baseCallerFeatures(Volume.create(v), a, s, b, DEFAULT_BASE_CALLER_GRID), null, 'a flat map has no features');
});

/** A one-layer caller whose class k logit is `gain` x feature k (the first four grid points). */
function tinyCaller(gain: number): BaseCaller {
  const n = featureCount(DEFAULT_BASE_CALLER_GRID);
  const w = new Float32Array(4 * n);
  for (let k = 0; k < 4; k++) w[k * n + k] = gain;
  return { name: 'tiny', frame: 'curvature', testTimeSamples: 1, testTimeJitterA: 0, grid: { ...DEFAULT_BASE_CALLER_GRID }, neighbourMinA: 4, layers: [{ inSize: n, outSize: 4, weights: w, bias: new Float32Array(4) }], extra: {} };
}

test('prediction: softmax of the last layer, sums to one', () => {
  const c = tinyCaller(1);
  const f = new Float32Array(featureCount(c.grid));
  f.set([0, 1, 2, 3]);
  const p = predictBaseType(c, f);
  const e = [0, 1, 2, 3].map(Math.exp), z = e.reduce((x, y) => x + y);
  p.forEach((v, i) => assert.ok(Math.abs(v - e[i] / z) < 1e-6));
});

test('card parsing: wrong kind, wrong layer sizes and missing files are ModelErrors naming the field', () => {
  const n = featureCount(DEFAULT_BASE_CALLER_GRID);
  const b64 = (k: number) => Buffer.from(new Float32Array(k).buffer).toString('base64');
  const good = { kind: 'base-caller', name: 't', grid: DEFAULT_BASE_CALLER_GRID, neighbourMinA: 4, layers: [{ inSize: n, outSize: 4, weights: b64(4 * n), bias: b64(4) }] };
  assert.equal(parseBaseCaller(JSON.stringify(good), 'x.json').layers[0].weights.length, 4 * n);
  assert.throws(() => parseBaseCaller(JSON.stringify({ ...good, kind: 'detector' }), 'x.json'), (e: Error) => e instanceof ModelError && /x\.json: field "kind"/.test(e.message));
  assert.throws(() => parseBaseCaller(JSON.stringify({ ...good, layers: [{ ...good.layers[0], weights: b64(n) }] }), 'x.json'), /field "layers\[0\]"/);
  assert.throws(() => parseBaseCaller(JSON.stringify({ ...good, layers: [{ inSize: n, outSize: 3, weights: b64(3 * n), bias: b64(3) }] }), 'x.json'), /4 outputs/);
  assert.throws(() => readBaseCaller('/nonexistent/caller.json'), (e: Error) => e instanceof ModelError && /caller\.json: base caller not found/.test(e.message));
});

test('callBases: every node of a path of >= 3 points gets the caller evidence (ends from an extrapolated neighbour), shorter paths keep theirs, input untouched', () => {
  const v = blobMap();
  const old: BaseEvidence = [0.1, 0.2, 0.3, 0.4];
  const node = (s: Vec3, i: number) => ({ sugarIndex: i, sugarA: s, phosphate5A: null, phosphate3A: null, baseA: null, baseEvidence: [...old] as BaseEvidence });
  const pts: Vec3[] = [[-8, 2, 0], [-4, 0.5, 0], [0, 0, 0], [4, 0.5, 0.3], [8, 2, 0.6]];
  const path: BackbonePath = { nodes: pts.map(node), direction: 1, directionConfidence: 1, cost: 0 };
  // Two points, and a duplicate 1 A from the first: only two points >= 4 A apart, no frame.
  const short: BackbonePath = { nodes: [node([-8, 2, 0], 0), node([-7.2, 2.4, 0.3], 1), node([-4, 0.5, 0], 2)], direction: 1, directionConfidence: 1, cost: 0 };
  const r = callBases([path, short], v, tinyCaller(1));
  assert.equal(r.called, 5);
  assert.equal(r.kept, 3);
  for (const n of r.paths[0].nodes) {
    assert.notDeepEqual(n.baseEvidence, old);
    assert.ok(Math.abs(n.baseEvidence.reduce((x, y) => x + y) - 1) < 1e-6);
  }
  // An interior node's evidence is the prediction on the frame of its two path neighbours.
  const interior = baseCallerFeatures(v, pts[0], pts[1], pts[2], DEFAULT_BASE_CALLER_GRID)!;
  assert.deepEqual(r.paths[0].nodes[1].baseEvidence, predictBaseType(tinyCaller(1), interior));
  for (const n of r.paths[1].nodes) assert.deepEqual(n.baseEvidence, old);
  assert.deepEqual(path.nodes[0].baseEvidence, old, 'input path not modified');
});

test('shipped base caller on a held-out structure (1EHZ tRNA, 3.5 A simulated map, true sugar points): better than chance by a margin', async (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const caller = readBaseCaller(SHIPPED);
  const { structure: s, prepared } = await simulatedTrna(dir, 3.5, 77);
  // True sugar points: centroids of the primed atoms (what the pipeline's sugar nodes stand for).
  const coarse = coarseFromStructure(s, { sugarAnchor: 'sugar-atoms' }).flatMap((c) => c.residues);
  const truth = coarse.map((r) => baseTypeIndex(r.letter));
  const nodes = coarse.map((r, i) => ({ sugarIndex: i, sugarA: r.sugarA, phosphate5A: null, phosphate3A: null, baseA: null, baseEvidence: [0.25, 0.25, 0.25, 0.25] as BaseEvidence }));
  const r = callBases([{ nodes, direction: 1, directionConfidence: 1, cost: 0 }], prepared.normalised, caller);
  let ok = 0, n = 0;
  r.paths[0].nodes.forEach((node, i) => {
    if (i === 0 || i === nodes.length - 1 || truth[i] < 0) return;
    n++;
    const e = node.baseEvidence;
    if (e.indexOf(Math.max(...e)) === truth[i]) ok++;
  });
  const acc = ok / n;
  t.diagnostic(`base-type accuracy ${acc.toFixed(3)} over ${n} nucleotides (chance 0.25; detection network at the true C1': ~0.30)`);
  assert.ok(acc >= 0.4, `accuracy ${acc.toFixed(3)}`);
});

test('shipped template-frame caller (base-caller-v3) on a held-out structure (1EHZ tRNA, 3.5 A simulated map, true backbone points): both readings', async (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const caller = readBaseCaller(SHIPPED_V3);
  assert.equal(caller.frame, 'template');
  const { structure: s, prepared } = await simulatedTrna(dir, 3.5, 77);
  // True backbone points as re-threading places them: primed-atom centroid, phosphate-group centroids.
  const coarse = coarseFromStructure(s, { sugarAnchor: 'sugar-atoms', phosphateAnchor: 'phosphate-group' }).flatMap((c) => c.residues);
  const truth = coarse.map((r) => baseTypeIndex(r.letter));
  const nodes = coarse.map((r, i) => ({ sugarIndex: i, sugarA: r.sugarA, phosphate5A: r.phosphateA, phosphate3A: coarse[i + 1]?.phosphateA ?? null, baseA: null, baseEvidence: [0.25, 0.25, 0.25, 0.25] as BaseEvidence }));
  const forward = callBases([{ nodes, direction: 1, directionConfidence: 1, cost: 0 }], prepared.normalised, caller);
  // The same strand traced the other way: its reverse reading is the forward one of the path above.
  const backward = callBases([{ nodes: nodes.slice().reverse().map((n) => ({ ...n, phosphate5A: n.phosphate3A, phosphate3A: n.phosphate5A })), direction: 1, directionConfidence: 1, cost: 0 }], prepared.normalised, caller);
  const arg = (e: readonly number[]) => e.indexOf(Math.max(...e));
  let ok = 0, okBack = 0, okWrongWay = 0, n = 0;
  forward.paths[0].nodes.forEach((node, i) => {
    if (!node.baseEvidenceReverse || truth[i] < 0) return;
    const back = backward.paths[0].nodes[nodes.length - 1 - i];
    n++;
    if (arg(node.baseEvidence) === truth[i]) ok++;
    if (arg(back.baseEvidenceReverse!) === truth[i]) okBack++;
    if (arg(node.baseEvidenceReverse) === truth[i]) okWrongWay++;
  });
  t.diagnostic(`base-type accuracy ${(ok / n).toFixed(3)} read 5'->3', ${(okBack / n).toFixed(3)} as the reverse reading of the reversed path, ${(okWrongWay / n).toFixed(3)} read the wrong way, over ${n} nucleotides`);
  assert.ok(n >= 70);
  assert.ok(ok / n >= 0.5, `accuracy ${(ok / n).toFixed(3)}`);
  assert.ok(okBack / n >= 0.5, `reverse reading of the reversed path ${(okBack / n).toFixed(3)}`);
  assert.ok(okWrongWay / n < ok / n - 0.1, 'read the wrong way round the base is not where the frame looks');
});

test('base caller location: a bare name is <models>/<name>.json, a path is kept, a custom models folder falls back to the package one', async () => {
  const { baseCallerPath } = await import('../../src/pipeline/base-caller-path.js');
  assert.equal(baseCallerPath('base-caller-v1', null), SHIPPED);
  assert.equal(baseCallerPath('/x/y/c.json', null), '/x/y/c.json');
  assert.equal(baseCallerPath('base-caller-v1', '/tmp/no-such-models-dir-xyz'), SHIPPED);
});

test('template frame: grid centred on the template base centroid, e1 along P5->P3, e2 from the sugar to the base; read backwards the base lies elsewhere', () => {
  const p5: Vec3 = [-2.5, -4.5, 1], s: Vec3 = [0, 0, 0], p3: Vec3 = [3.5, -3, -1.5];
  const f = templateBaseFrame(p5, s, p3);
  assert.ok(f);
  const [e1, e2, e3] = f.axes;
  for (const e of f.axes) assert.ok(Math.abs(dot(e, e) - 1) < 1e-9);
  assert.ok(Math.abs(dot(e1, e2)) < 1e-9 && Math.abs(dot(e1, e3)) < 1e-9 && Math.abs(dot(e2, e3)) < 1e-9);
  assert.deepEqual(f.originA, nucleotideBaseCentroid(p5, s, p3, BACKBONE_POINT_ANCHORS));
  const len = Math.hypot(p3[0] - p5[0], p3[1] - p5[1], p3[2] - p5[2]);
  assert.ok(Math.abs(dot(e1, [(p3[0] - p5[0]) / len, (p3[1] - p5[1]) / len, (p3[2] - p5[2]) / len]) - 1) < 1e-9);
  assert.ok(dot(e2, [f.originA[0] - s[0], f.originA[1] - s[1], f.originA[2] - s[2]]) > 3, 'base centroid several A from the sugar along e2');
  const back = templateBaseFrame(p3, s, p5)!;
  const moved = Math.hypot(back.originA[0] - f.originA[0], back.originA[1] - f.originA[1], back.originA[2] - f.originA[2]);
  assert.ok(moved > 4, `read backwards the base centroid moves ${moved.toFixed(2)} A`);
  assert.equal(templateBaseFrame([0, 0, 0], s, [0.5, 0, 0]), null, 'phosphates on top of each other');
  const v = blobMap();
  const g = templateFrameFeatures(v, p5, s, p3, DEFAULT_TEMPLATE_GRID);
  assert.ok(g);
  assert.equal(g.length, featureCount(DEFAULT_TEMPLATE_GRID));
  const mean = g.reduce((x, y) => x + y, 0) / g.length;
  assert.ok(Math.abs(mean) < 1e-5);
  assert.equal(templateFrameFeatures(Volume.create(v), p5, s, p3, DEFAULT_TEMPLATE_GRID), null, 'a flat map has no features');
});

test('pathPhosphates: a node\'s own phosphate, else the neighbour\'s shared one; missing end points extrapolated; null with too few', () => {
  const P: Vec3[] = [[0, 0, 0], [6, 0, 0], [12, 1, 0], [18, 3, 0], [24, 6, 0]];
  const node = (k: number, p5: Vec3 | null, p3: Vec3 | null) => ({ sugarIndex: k, sugarA: [3 + 6 * k, 2, 0] as Vec3, phosphate5A: p5, phosphate3A: p3, baseA: null, baseEvidence: [0.25, 0.25, 0.25, 0.25] as BaseEvidence });
  const nodes = [node(0, null, P[1]), node(1, P[1], null), node(2, null, P[3]), node(3, P[3], null)];
  const q = pathPhosphates(nodes);
  assert.equal(q.length, 5);
  assert.deepEqual(q[1], P[1]);
  assert.equal(q[2], null, 'neither node 1 (3\' side) nor node 2 (5\' side) knows it');
  assert.deepEqual(q[3], P[3]);
  assert.equal(q[0], null, 'extrapolation needs the next three points');
  const full = [node(0, null, P[1]), node(1, P[1], P[2]), node(2, P[2], P[3]), node(3, P[3], null)];
  const r = pathPhosphates(full);
  // Quadratic extrapolation: exact on points that lie on a parabola (these do: x linear, y quadratic).
  for (const k of [0, 4]) for (let a = 0; a < 3; a++) assert.ok(Math.abs(r[k]![a] - P[k][a]) < 1e-9, `point ${k}`);
  assert.equal(pathPhosphates(full.slice(0, 2))[0], null);
});

test('callBases with a template-frame caller: each node read between its phosphates, nodes without one (short paths) keep their evidence', () => {
  const v = blobMap();
  const n = featureCount(DEFAULT_TEMPLATE_GRID);
  const w = new Float32Array(4 * n);
  for (let k = 0; k < 4; k++) w[k * n + 7 * k] = 1;
  const caller: BaseCaller = { name: 'tiny-template', frame: 'template', testTimeSamples: 1, testTimeJitterA: 0, grid: { ...DEFAULT_TEMPLATE_GRID }, neighbourMinA: 4, layers: [{ inSize: n, outSize: 4, weights: w, bias: new Float32Array(4) }], extra: {} };
  const old: BaseEvidence = [0.1, 0.2, 0.3, 0.4];
  const P: Vec3[] = [[-6, -3, 0], [-1, -4, 1], [4, -3, -1]];
  const node = (s: Vec3, p5: Vec3 | null, p3: Vec3 | null) => ({ sugarIndex: 0, sugarA: s, phosphate5A: p5, phosphate3A: p3, baseA: null, baseEvidence: [...old] as BaseEvidence });
  const path: BackbonePath = { nodes: [node([-4, 0, 0], P[0], P[1]), node([1, 0.5, 0], P[1], P[2]), node([6, 0, 0], P[2], null)], direction: 1, directionConfidence: 1, cost: 0 };
  const short: BackbonePath = { nodes: [node([-4, 0, 0], P[0], P[1]), node([1, 0.5, 0], P[1], null)], direction: 1, directionConfidence: 1, cost: 0 };
  const r = callBases([path, short], v, caller, undefined, { frameSearch: null });
  assert.equal(r.called, 4, 'the 3-point path\'s last 3\' phosphate is extrapolated');
  assert.equal(r.kept, 1);
  assert.deepEqual(r.paths[0].nodes[1].baseEvidence, predictBaseType(caller, templateFrameFeatures(v, P[1], [1, 0.5, 0], P[2], caller.grid)!));
  assert.deepEqual(r.paths[1].nodes[1].baseEvidence, old, 'no 3\' phosphate and too few points to extrapolate one');
  const bad = { kind: 'base-caller', frame: 'sideways', grid: DEFAULT_TEMPLATE_GRID, neighbourMinA: 4, layers: [] };
  assert.throws(() => parseBaseCaller(JSON.stringify(bad), 'c.json'), (e: Error) => e instanceof ModelError && /c\.json: field "frame"/.test(e.message));
});

test('test-time averaging (template frame): one sample is the plain prediction; more samples are deterministic, normalised, and differ from it', () => {
  const v = blobMap();
  const n = featureCount(DEFAULT_TEMPLATE_GRID);
  const w = new Float32Array(4 * n);
  for (let k = 0; k < 4; k++) for (let i = 0; i < n; i += 5 + k) w[k * n + i] = 0.3;
  const base: BaseCaller = { name: 't', frame: 'template', testTimeSamples: 1, testTimeJitterA: 0, grid: { ...DEFAULT_TEMPLATE_GRID }, neighbourMinA: 4, layers: [{ inSize: n, outSize: 4, weights: w, bias: new Float32Array(4) }], extra: {} };
  const p5: Vec3 = [-2.5, -4.5, 1], s: Vec3 = [0, 0, 0], p3: Vec3 = [3.5, -3, -1.5];
  const one = templateReading(base, v, p5, s, p3, new Rng(1))!;
  assert.deepEqual(one, predictBaseType(base, templateFrameFeatures(v, p5, s, p3, base.grid)!));
  const many = { ...base, testTimeSamples: 8, testTimeJitterA: 0.7 };
  const a = templateReading(many, v, p5, s, p3, new Rng(1))!, b = templateReading(many, v, p5, s, p3, new Rng(1))!;
  assert.deepEqual(a, b);
  assert.ok(Math.abs(a.reduce((x, y) => x + y) - 1) < 1e-9);
  assert.ok(a.some((x, i) => Math.abs(x - one[i]) > 1e-4), 'jittered readings change the evidence');
  // Readings combine as a geometric mean: eight identical readings (no jitter) give the single reading
  // back, where their product would have sharpened it eight-fold (issue 13: overconfident calls).
  const same = templateReading({ ...base, testTimeSamples: 8, testTimeJitterA: 0 }, v, p5, s, p3, new Rng(1))!;
  same.forEach((x, i) => assert.ok(Math.abs(x - one[i]) < 1e-5, `identical readings: ${same} vs ${one}`));
  // ... and stay within the range of the individual readings' probabilities
  const rng = new Rng(1), jit = (q: Vec3): Vec3 => [q[0] + 0.7 * rng.normal(), q[1] + 0.7 * rng.normal(), q[2] + 0.7 * rng.normal()];
  const single = [one];
  for (let t = 1; t < 8; t++) single.push(predictBaseType(base, templateFrameFeatures(v, jit(p5), jit(s), jit(p3), base.grid)!));
  const top = one.indexOf(Math.max(...one));
  assert.ok(a[top] <= Math.max(...single.map((r) => r[top])) + 1e-6, 'the combined call is no more confident than the most confident reading');
  const card = JSON.parse(JSON.stringify({ kind: 'base-caller', frame: 'template', grid: DEFAULT_TEMPLATE_GRID, neighbourMinA: 4, testTimeSamples: 0, layers: [] }));
  assert.throws(() => parseBaseCaller(JSON.stringify(card), 'c.json'), (e: Error) => e instanceof ModelError && /field "testTimeSamples"/.test(e.message));
});
