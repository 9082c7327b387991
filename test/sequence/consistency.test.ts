/**
 * Pieces of the sequence stage added for noisy base calls: the end-node penalty of alignSpan,
 * base-pair consistency between placements (pair-consistency.ts) and pair bonuses in the
 * integer program (ilp.ts), and the direction prior ramp (windows.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignSpan } from '../../src/sequence/align.js';
import { chanceComplementarity, complementarity, pairConsistency } from '../../src/sequence/pair-consistency.js';
import { greedySelection, isFeasible, MAX_EXACT_BONUS_TERMS, selectionObjective, solveConflicts } from '../../src/sequence/ilp.js';
import { nodeCliques, residueCliques } from '../../src/sequence/cliques.js';
import { directionPenaltyPerNode } from '../../src/sequence/windows.js';
import type { AssignedFragment, EncodedRecord } from '../../src/sequence/types.js';

const CODE: Record<string, number> = { A: 0, U: 1, T: 1, C: 2, G: 3 };
const codesOf = (s: string) => Uint8Array.from(s, (c) => CODE[c]);

/** Straight chain of nodes 6 A apart with one-hot evidence for `calls`. */
function span(calls: string) {
  const L = calls.length;
  const probabilities = new Float32Array(4 * L);
  const positionsA = new Float32Array(3 * L);
  for (let k = 0; k < L; k++) {
    probabilities[4 * k + CODE[calls[k]]] = 1;
    positionsA.set([6 * k, 0, 0], 3 * k);
  }
  return { probabilities, positionsA, length: L };
}

test('alignSpan: endNodeSkipPenalty charges nodes left unassigned at either end', () => {
  // 6 nodes over a 6-nt record; the first node's call is wrong, so without a penalty the best
  // alignment drops it (free); with a penalty it is kept at residue 0 (no match, no cost).
  const s = span('UCAUGC');
  const codes = codesOf('GCAUGC');
  const free = alignSpan(s, codes, { topK: 1, residueSkipPenalty: 25 })[0];
  assert.equal(free.mapping[0], -1);
  assert.equal(free.score, 500);
  const charged = alignSpan(s, codes, { topK: 1, residueSkipPenalty: 25, endNodeSkipPenalty: 40 })[0];
  assert.deepEqual([...charged.mapping], [0, 1, 2, 3, 4, 5]);
  assert.equal(charged.score, 500);
  // local mode: trailing unassigned nodes pay too (two trailing nodes beyond the record's end)
  const over = alignSpan(span('GCAUGCAA'), codes, { topK: 1, residueSkipPenalty: 25, local: true, endNodeSkipPenalty: 40 })[0];
  assert.equal(over.score, 600 - 2 * 40);
  assert.deepEqual([...over.mapping], [0, 1, 2, 3, 4, 5, -1, -1]);
});

test('complementarity and its chance rate', () => {
  assert.equal(complementarity(0, 1, 0.5), 1); // A:U
  assert.equal(complementarity(3, 2, 0.5), 1); // G:C
  assert.equal(complementarity(3, 1, 0.5), 0.5); // G:U wobble
  assert.equal(complementarity(0, 0, 0.5), 0);
  const uniform: EncodedRecord = { recordIndex: 0, chainId: 'A', moleculeType: 'rna', sequence: 'ACGU', codes: codesOf('ACGU') };
  // 4 WC + 2 wobble of 16 equally likely pairs
  assert.ok(Math.abs(chanceComplementarity([uniform], 0.5) - (4 + 1) / 16) < 1e-12);
});

function fragment(pathIndex: number, nodeStart: number, residues: number[], recordIndex = 0, orientation: 1 | -1 = 1): AssignedFragment {
  const mapping = Int32Array.from(residues);
  const used = residues.filter((r) => r >= 0);
  return { pathIndex, nodeStart, nodeCount: residues.length, recordIndex, orientation, mapping, score: 100 * used.length, interval: [Math.min(...used), Math.max(...used)] };
}

test('pairConsistency: complementary placements of paired nodes get a bonus, others a malus', () => {
  // hairpin-like record: GGGAAACCC; stem G0-C8, G1-C7, G2-C6
  const rec: EncodedRecord = { recordIndex: 0, chainId: 'A', moleculeType: 'rna', sequence: 'GGGAAACCC', codes: codesOf('GGGAAACCC') };
  // path 0 nodes 0..2 and path 1 nodes 0..2 pair antiparallel: (0:k) with (1:2-k)
  const pairs = [0, 1, 2].map((k) => ({ a: { pathIndex: 0, node: k }, b: { pathIndex: 1, node: 2 - k }, cost: 0 }));
  const frags = [
    fragment(0, 0, [0, 1, 2]), // right: G G G
    fragment(1, 0, [6, 7, 8]), // right: C C C -> three G:C pairs
    fragment(1, 0, [3, 4, 5]), // wrong: A A A -> no pair complementary
  ];
  const chance = chanceComplementarity([rec], 0.3);
  const pc = pairConsistency(frags, pairs, [rec], 100, 0.3);
  assert.deepEqual([...pc.own], [0, 0, 0]);
  const b01 = pc.between.find((b) => b.i === 0 && b.j === 1)!;
  const b02 = pc.between.find((b) => b.i === 0 && b.j === 2)!;
  assert.ok(Math.abs(b01.bonus - 100 * 3 * (1 - chance)) < 1e-9);
  assert.ok(Math.abs(b02.bonus - 100 * 3 * (0 - chance)) < 1e-9);
  // pairs inside one fragment change its own weight; orientation -1 reads the reversed record
  const one = [fragment(0, 0, [0, 1, 2, -1, 6, 7, 8])];
  const inner = [0, 1, 2].map((k) => ({ a: { pathIndex: 0, node: k }, b: { pathIndex: 0, node: 6 - k }, cost: 0 }));
  assert.ok(Math.abs(pairConsistency(one, inner, [rec], 100, 0.3).own[0] - 300 * (1 - chance)) < 1e-9);
  const rev = [fragment(0, 0, [0, 1, 2, -1, 6, 7, 8], 0, -1)]; // residues 8,7,6 / 2,1,0: still C:G
  assert.ok(Math.abs(pairConsistency(rev, inner, [rec], 100, 0.3).own[0] - 300 * (1 - chance)) < 1e-9);
});

test('solveConflicts: a pair bonus can make two fragments win over a single better one', async () => {
  // 0 and 1 conflict with 2; alone 0 + 1 = 300 < 2 = 350, with a bonus of 100 for 0 and 1 together 400 > 350
  const base = { weights: [150, 150, 350], conflicts: [[0, 2], [1, 2]] as [number, number][] };
  const plain = await solveConflicts(base, 5);
  assert.deepEqual(plain.selected, [false, false, true]);
  const withBonus = await solveConflicts({ ...base, pairBonuses: [{ i: 0, j: 1, bonus: 100 }] }, 5);
  assert.equal(withBonus.solver, 'highs');
  assert.deepEqual(withBonus.selected, [true, true, false]);
  // a malus keeps two otherwise compatible fragments apart
  const malus = await solveConflicts({ weights: [100, 80, 10], conflicts: [[0, 2]], pairBonuses: [{ i: 0, j: 1, bonus: -120 }] }, 5);
  assert.deepEqual(malus.selected, [true, false, false]);
  // negative weights are not selected for free
  const neg = await solveConflicts({ weights: [-50, 100], conflicts: [[0, 1]] }, 5);
  assert.deepEqual(neg.selected, [false, true]);
});

test('directionPenaltyPerNode ramps with the trace\'s direction confidence', () => {
  const params = { directionPriorPerNode: 30, directionConfidenceRamp: [0.2, 0.4] as [number, number] };
  assert.equal(directionPenaltyPerNode({ directionConfidence: 0.9 }, 1, params), 0);
  assert.equal(directionPenaltyPerNode({ directionConfidence: 0.9 }, -1, params), 30);
  assert.equal(directionPenaltyPerNode({ directionConfidence: 0.1 }, -1, params), 0);
  assert.ok(Math.abs(directionPenaltyPerNode({ directionConfidence: 0.3 }, -1, params) - 15) < 1e-9);
});

test('solveConflicts: cliques allow at most one member; time-limit safety compares with greedy', async () => {
  const sol = await solveConflicts({ weights: [100, 120, 90, 50], conflicts: [], cliques: [[0, 1, 2]] }, 5);
  assert.deepEqual(sol.selected, [false, true, false, true]);
  assert.ok(isFeasible({ weights: [1, 1, 1], conflicts: [[0, 1]], cliques: [[1, 2]] }, [true, false, true]));
  assert.ok(!isFeasible({ weights: [1, 1, 1], conflicts: [[0, 1]], cliques: [[1, 2]] }, [false, true, true]));
  assert.equal(selectionObjective({ weights: [1, 2, 3], conflicts: [], pairBonuses: [{ i: 0, j: 2, bonus: 10 }] }, [true, false, true]), 14);
  assert.deepEqual(greedySelection({ weights: [100, 120, 90, 50], conflicts: [[1, 3]], cliques: [[0, 1, 2]] }), [false, true, false, false]);
});

test('solveConflicts: beyond MAX_EXACT_BONUS_TERMS pair bonuses are applied by rounds', async () => {
  // chain of fragments 2k (right) and 2k+1 (wrong) per "path" k; right ones a bit weaker alone
  // but consistent with each other through bonuses; many tiny bonus terms push it past the cap.
  const K = 70;
  const weights: number[] = [];
  const cliques: number[][] = [];
  for (let k = 0; k < K; k++) { weights.push(k === 0 ? 200 : 100, 110); cliques.push([2 * k, 2 * k + 1]); }
  const pairBonuses: { i: number; j: number; bonus: number }[] = [];
  for (let a = 0; a < K; a++) for (let b = a + 1; b < K; b++) {
    pairBonuses.push({ i: 2 * a, j: 2 * b, bonus: 30 });
    pairBonuses.push({ i: 2 * a + 1, j: 2 * b + 1, bonus: 0.001 });
  }
  assert.ok(pairBonuses.length > MAX_EXACT_BONUS_TERMS);
  const sol = await solveConflicts({ weights, conflicts: [], cliques, pairBonuses }, 5);
  assert.match(sol.status, /by rounds/);
  // round 0 picks the wrong ones (110 > 100) except path 0; round 1 sees the bonus with path 0's right one
  assert.ok(sol.selected.filter((v, i) => v && i % 2 === 0).length === K, 'all right fragments selected');
});

test('nodeCliques and residueCliques: maximal sets of fragments sharing a node / >= 3 residues', () => {
  const frags = [
    fragment(0, 0, [0, 1, 2, 3, 4]),
    fragment(0, 3, [10, 11, 12]),
    fragment(0, 5, [20, 21]),
    fragment(1, 0, [2, 3, 4, 5]),
  ];
  assert.deepEqual(nodeCliques(frags), [[0, 1], [1, 2]]); // nodes 0-4, 3-5, 5-6 on path 0
  // record residues: 0..4, 10..12, 20..21, 2..5 -> 0 and 3 share 2,3,4
  assert.deepEqual(residueCliques(frags, [30], 3), [[0, 3]]);
  assert.deepEqual(residueCliques(frags, [30], 4), []);
});
