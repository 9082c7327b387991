import { test } from 'node:test';
import assert from 'node:assert/strict';
import { featureCount, DEFAULT_TEMPLATE_GRID, type DenseLayer } from '../../src/trace/base-caller.js';
import {
  filterNucleicAcidPaths, nucleicAcidScores, parseNaClassifier, predictNucleicAcid, readNaClassifier, type NaClassifier,
} from '../../src/trace/na-classifier.js';
import { Volume, type Vec3 } from '../../src/grid/volume.js';
import { ModelError } from '../../src/util/errors.js';
import type { BackbonePath, TracedNode } from '../../src/trace/types.js';
import { fileURLToPath } from 'node:url';
import { readMrc } from '../../src/io/mrc.js';
import { coarseFromStructure } from '../../src/build/coarse.js';
import { runPipeline } from '../../src/pipeline/run-pipeline.js';
import type { PipelineResult } from '../../src/pipeline/types.js';
import { Structure } from '../../src/structure/model.js';
import { sharedDataOrSkip, sharedPath } from '../helpers/shared-data.js';
import { simulatedTrna } from '../helpers/simulated-trna.js';

const b64 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

/** One layer: NA logit = gain x (mean of all features); 'not' logit = bias. */
function tinyClassifier(gain: number, bias = 0): NaClassifier {
  const n = featureCount(DEFAULT_TEMPLATE_GRID);
  const w = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) w[n + i] = gain / n;
  const layer: DenseLayer = { inSize: n, outSize: 2, weights: w, bias: Float32Array.from([bias, 0]) };
  return { name: 'tiny', grid: { ...DEFAULT_TEMPLATE_GRID }, layers: [layer], extra: {} };
}

function card(c: NaClassifier, patch: Record<string, unknown> = {}): string {
  return JSON.stringify({
    kind: 'na-classifier', name: c.name, frame: 'template', grid: c.grid,
    layers: c.layers.map((L) => ({ inSize: L.inSize, outSize: L.outSize, weights: b64(L.weights), bias: b64(L.bias) })), ...patch,
  });
}

test('NA classifier card: round trip; wrong kind, frame, output count and missing files are ModelErrors naming the field', () => {
  const c = tinyClassifier(2, 0.3);
  const back = parseNaClassifier(card(c, { metrics: { accuracy: 0.9 } }), 'tiny.json');
  assert.equal(back.name, 'tiny');
  assert.deepEqual([...back.layers[0].bias], [...c.layers[0].bias].map((x) => Math.fround(x)));
  assert.deepEqual(back.extra, { metrics: { accuracy: 0.9 } });
  const f = new Float32Array(featureCount(c.grid)).fill(1);
  assert.ok(Math.abs(predictNucleicAcid(back, f) - 1 / (1 + Math.exp(0.3 - 2))) < 1e-6);
  assert.throws(() => parseNaClassifier(card(c, { kind: 'base-caller' }), 'x.json'), (e: unknown) => e instanceof ModelError && /x\.json: field "kind"/.test(e.message));
  assert.throws(() => parseNaClassifier(card(c, { frame: 'curvature' }), 'x.json'), /field "frame"/);
  const four = { ...c.layers[0], outSize: 4, weights: new Float32Array(4 * c.layers[0].inSize), bias: new Float32Array(4) };
  assert.throws(() => parseNaClassifier(card({ ...c, layers: [four] }), 'x.json'), /last layer with 2 outputs/);
  assert.throws(() => parseNaClassifier('{', 'x.json'), /not valid JSON/);
  assert.throws(() => readNaClassifier('/nonexistent/na.json'), (e: unknown) => e instanceof ModelError && /naClassifier: null/.test(e.message));
});

function node(s: Vec3, p5: Vec3 | null, p3: Vec3 | null): TracedNode {
  return { sugarIndex: 0, sugarA: s, phosphate5A: p5, phosphate3A: p3, baseA: null, baseEvidence: [0.25, 0.25, 0.25, 0.25] };
}

/** A straight-ish chain of n nodes along x (sugars at y = 1, phosphates between them at y = 0). */
function chain(n: number, x0: number): BackbonePath {
  const nodes: TracedNode[] = [];
  for (let i = 0; i < n; i++) nodes.push(node([x0 + 6 * i + 3, 1.5, 0], [x0 + 6 * i, 0, 0], [x0 + 6 * i + 6, 0, 0]));
  return { nodes, direction: 1, directionConfidence: 1, cost: 0 };
}

test('nucleicAcidScores: both readings averaged per node; filter drops low-scoring paths, keeps short ones', () => {
  const v = Volume.create({ shape: [40, 40, 80], voxelSizeA: [1, 1, 1], originA: [-10, -20, -20] });
  for (let z = 0; z < 40; z++) for (let y = 0; y < 40; y++) for (let x = 0; x < 80; x++) v.data[(z * 40 + y) * 80 + x] = Math.sin(x / 3) + Math.cos(y / 4) + 0.3 * z / 40;
  const paths = [chain(4, 0), chain(1, 30)];
  // mean of the standardised features is ~0 in each reading: a gain on it alone gives ~0.5; the bias decides
  const yes = nucleicAcidScores(paths, v, tinyClassifier(0, -2));
  const no = nucleicAcidScores(paths, v, tinyClassifier(0, 2));
  assert.equal(yes.length, 2);
  for (const s of yes[0]) assert.ok(Math.abs(s - 1 / (1 + Math.exp(-2))) < 1e-6, `score ${s}`);
  for (const s of no[0]) assert.ok(Math.abs(s - 1 / (1 + Math.exp(2))) < 1e-6);
  const keep = filterNucleicAcidPaths(paths, yes, { minPathScore: 0.5 });
  assert.equal(keep.paths.length, 2);
  assert.equal(keep.droppedPaths, 0);
  const drop = filterNucleicAcidPaths(paths, no, { minPathScore: 0.5, minScoredNodes: 2 });
  assert.equal(drop.droppedPaths, 1, 'the 4-node path goes');
  assert.equal(drop.droppedNodes, 4);
  assert.equal(drop.paths.length, 1);
  assert.equal(drop.paths[0], paths[1], 'the 1-node path has too few scored nodes to judge and is kept as it was');
  assert.ok(Math.abs(drop.pathScores[0] - 1 / (1 + Math.exp(2))) < 1e-6);
  // trimming: low-scoring ends of a kept path are cut, a path scoring low everywhere goes
  const ends = [Float32Array.from([0.1, 0.05, 0.9, 0.95, 0.2]), Float32Array.from([0.9])];
  const trimmed = filterNucleicAcidPaths([chain(5, 0), chain(1, 30)], ends, { minPathScore: 0.3, trimEndScore: 0.3, when: 'always' });
  assert.equal(trimmed.paths.length, 2);
  assert.equal(trimmed.paths[0].nodes.length, 2);
  assert.deepEqual(trimmed.paths[0].nodes[0].sugarA, chain(5, 0).nodes[2].sugarA);
  assert.equal(trimmed.trimmedNodes, 3);
  assert.equal(filterNucleicAcidPaths([chain(5, 0)], ends, { minPathScore: 0.3, when: 'always' }).trimmedNodes, 0, 'no trimming by default');
  // the phosphate between nodes 0 and 1 unknown: neither is scored (each lacks one side), node 2 is
  const gap: BackbonePath = { ...chain(3, 0), nodes: chain(3, 0).nodes.map((n, i) => (i === 1 ? { ...n, phosphate5A: null } : i === 0 ? { ...n, phosphate3A: null } : n)) };
  const s = nucleicAcidScores([gap], v, tinyClassifier(0, 2))[0];
  assert.ok(Number.isNaN(s[0]) && Number.isNaN(s[1]));
  assert.ok(Number.isFinite(s[2]));
});

const SHIPPED = fileURLToPath(new URL('../../models/na-classifier-v1.json', import.meta.url));

test("filter 'auto': paths are dropped only on a map where at least proteinMapFraction of the scored nodes score low", () => {
  const paths = [chain(4, 0), chain(4, 30), chain(4, 60)];
  const mostlyNa = [Float32Array.from([0.9, 0.8, 0.95, 0.9]), Float32Array.from([0.1, 0.2, 0.1, 0.3]), Float32Array.from([0.9, 0.9, NaN, 0.7])];
  const auto = filterNucleicAcidPaths(paths, mostlyNa);
  assert.equal(auto.params.when, 'auto', 'auto by default');
  assert.ok(Math.abs(auto.lowFraction - 4 / 11) < 1e-9, 'NaN nodes are not counted');
  assert.equal(auto.applied, false);
  assert.equal(auto.paths.length, 3, 'a nucleic-acid map keeps its low-scoring path');
  assert.equal(auto.droppedPaths, 0);
  assert.ok(auto.pathScores[1] < 0.5, 'path scores are reported all the same');
  const always = filterNucleicAcidPaths(paths, mostlyNa, { when: 'always' });
  assert.equal(always.applied, true);
  assert.equal(always.droppedPaths, 1);
  const mostlyProtein = [Float32Array.from([0.9, 0.8, 0.95, 0.9]), Float32Array.from([0.1, 0.2, 0.1, 0.3]), Float32Array.from([0.1, 0.4, 0.2, 0.3])];
  const protein = filterNucleicAcidPaths(paths, mostlyProtein);
  assert.equal(protein.lowFraction, 8 / 12);
  assert.equal(protein.applied, true, '2/3 of the nodes score low: a protein-rich map');
  assert.deepEqual(protein.paths, [paths[0]]);
  assert.equal(filterNucleicAcidPaths(paths, mostlyProtein, { proteinMapFraction: 0.7 }).applied, false, 'below the fraction asked for');
  assert.equal(filterNucleicAcidPaths(paths, [new Float32Array(4).fill(NaN), new Float32Array(4).fill(NaN), new Float32Array(4).fill(NaN)]).applied, false, 'nothing scored: nothing dropped');
});

test('shipped NA classifier (na-classifier-v1) on a held-out simulated tRNA: true nucleotides score high', async (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const c = readNaClassifier(SHIPPED);
  const { structure: s, prepared } = await simulatedTrna(dir, 3.7, 78);
  // true backbone points: each nucleotide between its own and the next phosphate group
  const coarse = coarseFromStructure(s, { sugarAnchor: 'sugar-atoms', phosphateAnchor: 'phosphate-group' }).flatMap((ch) => ch.residues);
  const nodes: TracedNode[] = coarse.map((r, i) => node(r.sugarA, r.phosphateA ?? null, coarse[i + 1]?.phosphateA ?? null));
  const scores = nucleicAcidScores([{ nodes, direction: 1, directionConfidence: 1, cost: 0 }], prepared.normalised, c)[0];
  const scored = [...scores].filter(Number.isFinite);
  const mean = scored.reduce((a, b) => a + b, 0) / scored.length;
  const low = scored.filter((x) => x < 0.5).length / scored.length;
  t.diagnostic(`${scored.length} nucleotides scored: mean P(NA) ${mean.toFixed(3)}, ${(100 * low).toFixed(1)} % below 0.5`);
  assert.ok(scored.length >= 60, `${scored.length} scored`);
  assert.ok(mean >= 0.8 && low <= 0.15, `mean ${mean.toFixed(3)}, below 0.5: ${low.toFixed(3)}`);
});

test('shipped NA classifier in the pipeline on a real protein-only cryo-EM map (EMD-2566 crop, 3.2 A): most traced paths dropped', async (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const map = readMrc(sharedPath(dir, 'maps', 'daq_2566_3J6B_9.mrc')).volume;
  const params = { resolutionA: 3.2, seed: 1, baseCaller: null };
  const without = await runPipeline({ map }, { ...params, naClassifier: null });
  const withC = await runPipeline({ map }, { ...params, naClassifier: SHIPPED });
  const count = (r: PipelineResult) => (r.structure ? Structure.nucleotides(r.structure).length : 0);
  t.diagnostic(`nucleotides built on protein density: ${count(without)} without the classifier, ${count(withC)} with it`);
  assert.ok(count(without) >= 40, 'the trace does follow protein density without the classifier');
  assert.ok(count(withC) <= 0.25 * count(without), `${count(withC)} of ${count(without)} kept`);
  assert.ok(withC.notes.some((n) => /^classify: \d+ % of the scored nucleotides .*protein-rich; \d+ traced path/.test(n)), `the pipeline says why and what it dropped: ${withC.notes.filter((n) => n.startsWith('classify'))}`);
});
