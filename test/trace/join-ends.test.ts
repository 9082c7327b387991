import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Vec3 } from '../../src/grid/volume.js';
import type { BackbonePath, BaseEvidence, TracedNode } from '../../src/trace/types.js';
import { joinPathEnds } from '../../src/trace/join-ends.js';

/** A straight piece along x: sugars at x0, x0 + 6, ..., phosphates half-way (offset in y), one node per nucleotide. */
function piece(x0: number, count: number, conf: number, opts: { y?: number; p5?: Vec3 | null; p3?: Vec3 | null } = {}): BackbonePath {
  const y = opts.y ?? 0;
  const nodes: TracedNode[] = [];
  for (let k = 0; k < count; k++) {
    const x = x0 + 6 * k;
    nodes.push({
      sugarIndex: Math.round(x * 10 + y), sugarA: [x, y, 0], phosphate5A: [x - 3, y + 1, 0], phosphate3A: [x + 3, y + 1, 0],
      baseA: null, baseEvidence: [0.25, 0.25, 0.25, 0.25],
    });
  }
  if (opts.p5 !== undefined) nodes[0].phosphate5A = opts.p5;
  if (opts.p3 !== undefined) nodes[count - 1].phosphate3A = opts.p3;
  return { nodes, direction: 1, directionConfidence: conf, cost: count };
}

test('joinPathEnds: a 3\' end and a 5\' end sharing their phosphate are joined in order, confidence node-weighted', () => {
  // A: sugars 0..18 (3' phosphate at 21); B starts at 25 (5' phosphate at 22): 7 A apart, phosphates 1 A apart
  const a = piece(0, 4, 0.8), b = piece(25, 2, 0.2);
  const r = joinPathEnds([b, a]);
  assert.equal(r.paths.length, 1);
  assert.deepEqual(r.paths[0].nodes.map((n) => n.sugarA[0]), [0, 6, 12, 18, 25, 31]);
  assert.deepEqual(r.joins, [{ a: 1, b: 0, ends: "3'-5'", distanceA: 7, sharedPhosphate: true }]);
  assert.ok(Math.abs(r.paths[0].directionConfidence - (0.8 * 4 + 0.2 * 2) / 6) < 1e-12);
  assert.equal(r.paths[0].cost, 6);
});

test('joinPathEnds: ends 7 A apart without a shared phosphate stay apart; within closeEndA they join', () => {
  const a = piece(0, 3, 0.5), b = piece(19, 3, 0.5, { p5: [14, 5, 0] });
  assert.equal(joinPathEnds([a, b]).paths.length, 2);
  assert.equal(joinPathEnds([a, b], { closeEndA: 7.5 }).paths.length, 1);
  assert.equal(joinPathEnds([a, b], { enabled: false }).paths.length, 2);
});

test('joinPathEnds (turnAtSharedPhosphate): two 3\' ends sharing their phosphate are joined with the less certain piece turned round', () => {
  const a = piece(0, 4, 0.9);
  // b runs towards a (its 3' end at x = 24): decided the wrong way, with low confidence; its 3' phosphate is a's
  const b0 = piece(24, 3, 0.2);
  const b: BackbonePath = { ...b0, nodes: b0.nodes.slice().reverse().map((n) => ({ ...n, phosphate5A: n.phosphate3A, phosphate3A: n.phosphate5A, baseEvidenceReverse: [1, 0, 0, 0] as BaseEvidence })) };
  b.nodes[b.nodes.length - 1].phosphate3A = [21, 1, 0];
  const r = joinPathEnds([a, b], { turnAtSharedPhosphate: true });
  assert.equal(r.paths.length, 1);
  assert.deepEqual(r.joins.map((j) => [j.a, j.b, j.ends]), [[0, 1, "3'-3'"]]);
  assert.equal(r.turnedPieces, 1);
  const nodes = r.paths[0].nodes;
  assert.deepEqual(nodes.map((n) => n.sugarA[0]), [0, 6, 12, 18, 24, 30, 36]);
  // b's nodes read 5' -> 3' along a: phosphates swapped back, the reverse reading now the forward one
  assert.deepEqual(nodes[4].phosphate5A, [21, 1, 0]);
  assert.deepEqual(nodes[5].phosphate5A, [27, 1, 0]);
  assert.deepEqual(nodes[5].baseEvidence, [1, 0, 0, 0]);
  assert.ok(Math.abs(r.paths[0].directionConfidence - (0.9 * 4 - 0.2 * 3) / 7) < 1e-12);
  // by default (off), or without the shared phosphate, the two stay apart
  assert.equal(joinPathEnds([a, b]).paths.length, 2);
  const far = { ...b, nodes: b.nodes.map((n, k) => (k === b.nodes.length - 1 ? { ...n, phosphate3A: [21, 7, 0] as Vec3 } : n)) };
  assert.equal(joinPathEnds([a, far], { turnAtSharedPhosphate: true }).paths.length, 2);
});

test('joinPathEnds: a nucleotide traced at both ends is kept once, with the later piece\'s 3\' phosphate', () => {
  const a = piece(0, 3, 0.5), b = piece(12.5, 3, 0.5);
  const r = joinPathEnds([a, b]);
  assert.equal(r.paths.length, 1);
  assert.equal(r.droppedDuplicates, 1);
  assert.deepEqual(r.paths[0].nodes.map((n) => n.sugarA[0]), [0, 6, 12, 18.5, 24.5]);
  assert.deepEqual(r.paths[0].nodes[2].phosphate3A, [15.5, 1, 0]);
});

test('joinPathEnds: the nearer of two candidate 5\' ends wins, each end joins once, and no cycle is closed', () => {
  // both 5' ends share a's 3' phosphate; near is 5.1 A from a's 3' end, far 7.6 A
  const a = piece(0, 3, 0.5), near = piece(17, 2, 0.5, { y: 1 }), far = piece(18.5, 2, 0.5, { y: -4, p5: [15, 1, 0] });
  const r = joinPathEnds([a, near, far], { closeEndA: 6 });
  assert.deepEqual(r.joins.map((j) => [j.a, j.b]), [[0, 1]]);
  assert.equal(r.paths.length, 2);
  // a ring of two pieces: a's 3' end meets b's 5' end and b's 3' end meets a's 5' end
  const ring1 = piece(0, 2, 0.5), ring2 = piece(10, 2, 0.5, { y: 1 });
  ring2.nodes[1].sugarA = [4, 2, 0];
  const rr = joinPathEnds([ring1, ring2], { closeEndA: 6 });
  assert.equal(rr.joins.length, 1);
  assert.equal(rr.paths.length, 1);
  assert.equal(rr.paths[0].nodes.length, 4);
});
