import { test } from 'node:test';
import { inspect } from 'node:util';
import assert from 'node:assert/strict';
import { clusterNodes, type ClusterResult } from '../../src/cluster/index.js';
import type { ProbabilityMaps } from '../../src/grid/probability-maps.js';
import { readStructure } from '../../src/io/structure-file.js';
import { gridForStructure, oracleProbabilities, type OracleParams } from '../../src/simulate/index.js';
import { assignNoSequence, traceBackbones, type TraceParams } from '../../src/trace/index.js';
import { sharedDataOrSkip, sharedPath } from '../helpers/shared-data.js';
import { letterAccuracy, trueResidues, traceMetrics, type TraceMetrics } from './trace-metrics.js';

/** Small routing budget so tests are fast and deterministic (rounds finish well within the time limit). */
const FAST: Partial<TraceParams> = { timeBudgetMs: 30_000, timePerNodeMs: 0, maxRounds: 20 };

async function runCase(dir: string, file: string, oracle: Partial<OracleParams> = {}): Promise<{ m: TraceMetrics; cl: ClusterResult; pm: ProbabilityMaps; visible: number; letters: number }> {
  const st = readStructure(sharedPath(dir, 'structures', file));
  const pm = oracleProbabilities(st, gridForStructure(st, { voxelSizeA: 1, padA: 6 }), oracle);
  const cl = await clusterNodes(pm, null);
  const tr = await traceBackbones(cl, pm, FAST);
  const truth = trueResidues(st);
  // Nucleotides the (possibly degraded) maps still show: sugar probability > 0.5 at the C4'.
  let visible = 0;
  const sugar = pm.channels.sugar;
  for (const t of truth) {
    const ix = Math.round(t.x - pm.originA[0]), iy = Math.round(t.y - pm.originA[1]), iz = Math.round(t.z - pm.originA[2]);
    if (sugar[(iz * pm.shape[1] + iy) * pm.shape[2] + ix] > 0.5) visible++;
  }
  const dna = st.chains.some((c) => c.residues.some((r) => r.kind === 'dna'));
  const letters = letterAccuracy(assignNoSequence(tr.paths, { moleculeType: dna ? 'dna' : 'rna' }), st);
  return { m: traceMetrics(tr.paths, truth), cl, pm, visible: visible / truth.length, letters };
}

const fmt = (m: TraceMetrics) => JSON.stringify(m, (_, v) => (typeof v === 'number' ? +v.toFixed(3) : v));

// Measured (oracle, blur 1 A; bench/trace.ts, covalent adjacency): coverage 1 on all four, jumps 0-1.3 %,
// direction 1.0, 5' P right 1.0, letters 0.976-1. Thresholds are the issue's targets.
for (const [label, file] of [
  ['RNA 6V5B (CryoREAD example)', 'cryoread_6v5b_drna.pdb'],
  ['DNA duplex 1BNA', 'biotite_1bna.cif'],
  ['protein-RNA complex 1A9N', 'rnapolis_1a9n.cif'],
  ['RNA 5M0H', 'rna3db_5m0h.cif'],
] as const) {
  test(`trace on oracle maps of ${label}: coverage >= 0.97, jumps <= 5 %, direction >= 0.9, letters >= 0.95`, async (t) => {
    const dir = sharedDataOrSkip(t);
    if (!dir) return;
    const { m, letters } = await runCase(dir, file);
    assert.ok(m.coverage >= 0.97, `coverage ${fmt(m)}`);
    assert.ok(letters >= 0.95, `no-sequence letters right: ${letters}`);
    assert.ok(m.jumpFraction <= 0.05, `jumps ${fmt(m)}`);
    assert.ok(m.directionCorrect >= 0.9, `direction ${fmt(m)}`);
    assert.ok(m.phosphate5Correct >= 0.8, `5' phosphates ${fmt(m)}`);
    assert.ok(m.steps >= 0.85 * m.nodeCount - 2 * m.pathCount, `paths are long: ${fmt(m)}`);
  });
}

test('trace on a degraded oracle (10 % dropout, 5 % false positives) of 6V5B finds >= 90 % of the visible nucleotides', async (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const { m, visible } = await runCase(dir, 'cryoread_6v5b_drna.pdb', { dropout: 0.1, falsePositiveRate: 0.05, seed: 5 });
  assert.ok(visible > 0.85 && visible < 0.95, `visible fraction ${visible}`);
  assert.ok(m.coverage >= 0.9 * visible, `coverage ${fmt(m)} of visible ${visible}`);
  assert.ok(m.jumpFraction <= 0.08, `jumps ${fmt(m)}`);
  assert.ok(m.directionCorrect >= 0.9, `direction ${fmt(m)}`);
});

test('tracing is deterministic for a seed and leaves the inputs alone', async (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const st = readStructure(sharedPath(dir, 'structures', 'biotite_1bna.cif'));
  const pm = oracleProbabilities(st, gridForStructure(st, { voxelSizeA: 1, padA: 6 }));
  const cl = await clusterNodes(pm, null);
  const base = pm.channels.base.slice();
  const a = await traceBackbones(cl, pm, FAST);
  const b = await traceBackbones(cl, pm, FAST);
  assert.deepEqual(b.paths, a.paths);
  assert.deepEqual(pm.channels.base, base);
  assert.equal(a.paths.length, 2, 'two strands');
  assert.match(inspect(a), /^TraceResult 2 paths, 24 of 24 sugar nodes/);
  assert.match(inspect(cl), /^ClusterResult phosphate 22, sugar 24/);
  assert.equal(a.graph.nodeCount, 24);
  for (const p of a.paths) {
    assert.equal(p.nodes.length, 12);
    assert.ok(p.directionConfidence > 0.3, `confidence ${p.directionConfidence}`);
    for (const n of p.nodes) assert.ok(n.baseA && n.baseEvidence.some((v) => v > 0), 'every DNA sugar has a base anchor and evidence');
  }
  // No-sequence assignment: one chain per strand, every node a residue, letters from the base channels.
  const chains = assignNoSequence(a.paths, { moleculeType: 'dna' });
  assert.deepEqual(chains.map((c) => [c.chainId, c.residues.length]), [['A', 12], ['B', 12]]);
  const truth = st.chains.flatMap((c) => c.residues.filter((r) => r.kind === 'dna').map((r) => ({ r, a: r.atoms.find((x) => x.name === "C4'")! })));
  let right = 0, total = 0;
  for (const c of chains) for (const res of c.residues) {
    const near = truth.reduce((b, t) => (Math.hypot(t.a.x - res.sugarA[0], t.a.y - res.sugarA[1], t.a.z - res.sugarA[2]) < Math.hypot(b.a.x - res.sugarA[0], b.a.y - res.sugarA[1], b.a.z - res.sugarA[2]) ? t : b));
    total++;
    if (near.r.base === res.letter) right++;
    assert.ok(res.confidence >= 0 && res.confidence <= 1);
  }
  assert.ok(right / total >= 0.9, `letters right ${right}/${total}`);
});

test('empty maps give no paths and no error', async () => {
  const { ProbabilityMaps } = await import('../../src/grid/probability-maps.js');
  const pm = ProbabilityMaps.create({ shape: [10, 10, 10], voxelSizeA: [1, 1, 1], originA: [0, 0, 0] });
  const cl = await clusterNodes(pm, null);
  const tr = await traceBackbones(cl, pm, FAST);
  assert.equal(tr.paths.length, 0);
  assert.equal(tr.graph.nodeCount, 0);
  assert.deepEqual(assignNoSequence(tr.paths), []);
});
