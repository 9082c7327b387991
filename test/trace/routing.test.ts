import { test } from 'node:test';
import assert from 'node:assert/strict';
import { solveRouting, type RoutingProblem } from '../../src/trace/routing.js';
import { pointSetFromArray } from '../../src/grid/neighbour-grid.js';
import { Rng } from '../../src/util/random.js';

/** Two wavy chains 30 A apart (6 A steps), node ids shuffled. */
function twoChains(n: number, seed: number): { problem: RoutingProblem; chainOf: number[]; orderOf: number[] } {
  const rng = new Rng(seed);
  const pts: [number, number, number][] = [], chainOf: number[] = [], orderOf: number[] = [];
  for (let c = 0; c < 2; c++) for (let k = 0; k < n; k++) {
    pts.push([k * 5.5 + rng.uniform(-0.3, 0.3), c * 30 + 2 * Math.sin(k), rng.uniform(-0.5, 0.5)]);
    chainOf.push(c); orderOf.push(k);
  }
  const perm = pts.map((_, i) => i);
  for (let i = perm.length - 1; i > 0; i--) { const j = rng.int(i + 1); [perm[i], perm[j]] = [perm[j], perm[i]]; }
  const problem: RoutingProblem = {
    points: pointSetFromArray(perm.map((i) => pts[i])),
    edgeA: new Int32Array(0), edgeB: new Int32Array(0), edgeCost: new Float32Array(0),
    maxLinkA: 10, vehicles: 5, routeOpenLinkA: 7.5, timeBudgetMs: 60_000, maxRounds: 20, seed: 1,
  };
  return { problem, chainOf: perm.map((i) => chainOf[i]), orderOf: perm.map((i) => orderOf[i]) };
}

test('routing recovers two chains from shuffled nodes without graph edges, deterministically', async () => {
  const { problem, chainOf, orderOf } = twoChains(25, 3);
  const sol = await solveRouting(problem);
  assert.equal(sol.dropped.length, 0);
  assert.equal(sol.routes.length, 2, `routes: ${sol.routes.map((r) => r.length)}`);
  for (const r of sol.routes) {
    assert.equal(r.length, 25);
    const c = chainOf[r[0]];
    const ord = r.map((i) => orderOf[i]);
    const inc = ord[1] > ord[0] ? 1 : -1;
    for (let k = 1; k < r.length; k++) {
      assert.equal(chainOf[r[k]], c);
      assert.equal(ord[k] - ord[k - 1], inc, `route order ${ord.join(',')}`);
    }
  }
  const again = await solveRouting(problem);
  assert.deepEqual(again.routes, sol.routes, 'same seed, same routes');
});

test('graph edges beat shorter relaxed links; an isolated node gets a route of its own', async () => {
  // A square 0-1-2-3 where the graph says 0-2 and 1-3 (diagonals, 7.07 A) instead of the 5 A sides.
  const pts: [number, number, number][] = [[0, 0, 0], [5, 0, 0], [5, 5, 0], [0, 5, 0], [100, 0, 0]];
  const problem: RoutingProblem = {
    points: pointSetFromArray(pts),
    edgeA: Int32Array.from([0, 1, 2]), edgeB: Int32Array.from([2, 3, 1]), edgeCost: Float32Array.from([8, 8, 8]),
    maxLinkA: 10, vehicles: 5, routeOpenLinkA: 7.5, timeBudgetMs: 10_000, maxRounds: 5, seed: 1,
  };
  const sol = await solveRouting(problem);
  assert.equal(sol.routes.length, 2, 'the far node forms its own (single-node) route');
  const main = sol.routes.find((r) => r.length === 4)!;
  const key = main.join('-');
  assert.ok(key === '0-2-1-3' || key === '3-1-2-0', `route ${key}`);
  assert.ok(sol.isGraphLink(0, 2) && !sol.isGraphLink(0, 1));
});
