import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NeighbourGrid, pointSetFromArray } from '../../src/grid/neighbour-grid.js';
import { Rng } from '../../src/util/random.js';

test('NeighbourGrid finds exactly the brute-force neighbours and nearest points', () => {
  const rng = new Rng(7);
  const pts: [number, number, number][] = [];
  for (let i = 0; i < 2000; i++) pts.push([rng.uniform(-30, 30), rng.uniform(0, 50), rng.uniform(5, 25)]);
  const ps = pointSetFromArray(pts);
  const grid = new NeighbourGrid(ps, 4);
  for (let q = 0; q < 50; q++) {
    const c: [number, number, number] = [rng.uniform(-35, 35), rng.uniform(-5, 55), rng.uniform(0, 30)];
    const r = rng.uniform(1, 9);
    const brute = pts
      .map((p, i) => [i, (p[0] - c[0]) ** 2 + (p[1] - c[1]) ** 2 + (p[2] - c[2]) ** 2] as const)
      .filter(([, d2]) => d2 <= r * r)
      .sort((a, b) => a[1] - b[1] || a[0] - b[0])
      .map(([i]) => i);
    assert.deepEqual(grid.within(c[0], c[1], c[2], r), brute);
    const nb = grid.nearest(c[0], c[1], c[2], 100);
    const bruteBest = pts.map((p, i) => [i, Math.hypot(p[0] - c[0], p[1] - c[1], p[2] - c[2])] as const).sort((a, b) => a[1] - b[1])[0];
    assert.equal(nb.index, bruteBest[0]);
    assert.ok(Math.abs(nb.distanceA - bruteBest[1]) < 1e-9);
  }
});

test('NeighbourGrid handles empty sets and a radius with no hits', () => {
  const g = new NeighbourGrid(pointSetFromArray([]), 2);
  assert.equal(g.nearest(0, 0, 0, 10).index, -1);
  const g2 = new NeighbourGrid(pointSetFromArray([[0, 0, 0]]), 2);
  assert.equal(g2.nearest(50, 0, 0, 10).index, -1);
  assert.equal(g2.nearest(5, 0, 0, 10).index, 0);
});
