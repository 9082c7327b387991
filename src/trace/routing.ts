/**
 * Backbone paths as a vehicle-routing problem (reference section 11), solved by our own solver:
 * OR-Tools has no Node binding and npm has no maintained VRP library (only a simulated-annealing
 * TSP toy), so this is a greedy construction + local search + seeded iterated local search.
 *
 * Model (as CryoREAD): a free depot, so a route is an open path of sugar nodes; link cost =
 * int(100 x edge cost) for graph edges, relaxed links int(M + 100 d) for other pairs closer than R
 * (M = largest graph link), every node optional with drop penalty int(200 max edge cost + 200 R),
 * at most `vehicles` routes. Pairs farther than R are not linked (CryoREAD's 2M + 200 d is never
 * cheaper than dropping). Added: each route costs `routeCost` (see TraceParams.routeOpenLinkA).
 *
 * Search: (1) greedy link matching (cheapest links first, each node degree <= 2, no cycles, only
 * links cheaper than opening a route: the free-depot analogue of the savings method); (2) local
 * search to a local optimum, first improvement over a FIFO queue of nodes whose links changed
 * (initially all nodes in index order): 2-opt inside a route, 2-opt* tail
 * exchanges between routes (4 variants, which also join and split routes), relocation of 1-3 node
 * segments next to a candidate neighbour, splitting expensive links, inserting dropped nodes;
 * (3) iterated local search: seeded random kicks, local search, keep the best. Moves only consider
 * each node's candidate list (graph neighbours + 8 nearest), so a pass is O(N). Stops after
 * `maxRounds` rounds, so the result depends only on the inputs and the seed; a wall-clock budget
 * (timeBudgetMs > 0) is applied only when asked, and the solution says when it cut the search.
 * CryoREAD (OR-tools) stops on a time limit only, so a slower machine gets another trace.
 */
import { NeighbourGrid, type PointSet3 } from '../grid/neighbour-grid.js';
import { Rng } from '../util/random.js';
import type { StageContext } from '../util/progress.js';
import { yieldToEventLoop } from '../util/progress.js';

export interface RoutingProblem {
  points: PointSet3;
  /** Graph edges (a, b, cost in CryoREAD units; the solver scales by 100). */
  edgeA: Int32Array;
  edgeB: Int32Array;
  edgeCost: Float32Array;
  maxLinkA: number;
  vehicles: number;
  /** Extra cost of a route, expressed as the length (A) of a relaxed link that is worth the same. */
  routeOpenLinkA: number;
  /** Wall-clock cap of the search, ms; 0 = none (stop after maxRounds only: deterministic). */
  timeBudgetMs: number;
  maxRounds: number;
  seed: number;
  /** Optional extra cost of a link, in CryoREAD length units (x100 like relaxed links), e.g. a missing phosphate bridge. */
  linkPenaltyA?: (i: number, j: number) => number;
}

export interface RoutingSolution {
  routes: number[][];
  dropped: number[];
  /** Objective value (integer units). */
  cost: number;
  rounds: number;
  /** Why the perturbation rounds ended: all maxRounds done, or the wall-clock budget cut them. */
  stoppedBy: 'rounds' | 'time';
  /** True when a link in a route is a graph edge (for splitting / reporting). */
  isGraphLink: (i: number, j: number) => boolean;
  linkCost: (i: number, j: number) => number;
}

const NEAREST = 8;

export async function solveRouting(pr: RoutingProblem, ctx?: StageContext): Promise<RoutingSolution> {
  const n = pr.points.count;
  const P = pr.points;
  const edge = new Map<number, number>();
  let maxEdge = 0;
  for (let e = 0; e < pr.edgeA.length; e++) {
    const i = pr.edgeA[e], j = pr.edgeB[e];
    const c = Math.floor(pr.edgeCost[e] * 100);
    const k = Math.min(i, j) * n + Math.max(i, j);
    const old = edge.get(k);
    edge.set(k, old === undefined ? c : Math.min(old, c));
    maxEdge = Math.max(maxEdge, pr.edgeCost[e]);
  }
  const M = Math.floor(maxEdge * 100);
  const R = pr.maxLinkA;
  const dropPenalty = Math.floor(200 * maxEdge + 200 * R);
  const routeCost = Math.floor(M + 100 * pr.routeOpenLinkA);
  const INF = 1e15;
  const d = (i: number, j: number) => Math.hypot(P.x[i] - P.x[j], P.y[i] - P.y[j], P.z[i] - P.z[j]);
  const penaltyCache = new Map<number, number>();
  const pen = (i: number, j: number): number => {
    if (!pr.linkPenaltyA) return 0;
    const k = Math.min(i, j) * n + Math.max(i, j);
    let v = penaltyCache.get(k);
    if (v === undefined) { v = Math.floor(100 * pr.linkPenaltyA(i, j)); penaltyCache.set(k, v); }
    return v;
  };
  const c = (i: number, j: number): number => {
    if (i < 0 || j < 0) return 0;
    const g = edge.get(Math.min(i, j) * n + Math.max(i, j));
    if (g !== undefined) return g + pen(i, j);
    const dd = d(i, j);
    return dd < R ? Math.floor(M + 100 * dd) + pen(i, j) : INF;
  };
  // Candidate lists: graph neighbours + nearest within R, symmetrised, sorted by link cost.
  const candSets: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
  for (let e = 0; e < pr.edgeA.length; e++) { candSets[pr.edgeA[e]].add(pr.edgeB[e]); candSets[pr.edgeB[e]].add(pr.edgeA[e]); }
  const grid = new NeighbourGrid(P, R);
  for (let i = 0; i < n; i++) {
    const near = grid.within(P.x[i], P.y[i], P.z[i], R);
    let k = 0;
    for (const j of near) {
      if (j === i) continue;
      if (k++ >= NEAREST) break;
      candSets[i].add(j); candSets[j].add(i);
    }
  }
  const cand: Int32Array[] = candSets.map((s, i) => Int32Array.from([...s].sort((a, b) => c(i, a) - c(i, b) || a - b)));

  // --- state ---
  let routes: number[][] = [];
  const routeOf = new Int32Array(n).fill(-1);
  const pos = new Int32Array(n).fill(-1);
  const reindex = (r: number) => { const R_ = routes[r]; for (let k = 0; k < R_.length; k++) { routeOf[R_[k]] = r; pos[R_[k]] = k; } };
  const activeRoutes = () => { let k = 0; for (const r of routes) if (r.length) k++; return k; };
  const total = () => {
    let t = 0;
    for (const r of routes) { if (!r.length) continue; t += routeCost; for (let k = 1; k < r.length; k++) t += c(r[k - 1], r[k]); }
    for (let i = 0; i < n; i++) if (routeOf[i] < 0) t += dropPenalty;
    return t;
  };

  // --- (1) greedy construction ---
  {
    const links: [number, number, number][] = [];
    for (let i = 0; i < n; i++) for (const j of cand[i]) if (j > i) links.push([c(i, j), i, j]);
    links.sort((u, v) => u[0] - v[0] || u[1] - v[1] || u[2] - v[2]);
    const deg = new Uint8Array(n), uf = new Int32Array(n).map((_, i) => i);
    const find = (x: number): number => { while (uf[x] !== x) { uf[x] = uf[uf[x]]; x = uf[x]; } return x; };
    const nb: number[][] = Array.from({ length: n }, () => []);
    for (const [cost, i, j] of links) {
      if (cost >= routeCost) break;
      if (deg[i] >= 2 || deg[j] >= 2) continue;
      const ri = find(i), rj = find(j);
      if (ri === rj) continue;
      uf[ri] = rj; deg[i]++; deg[j]++; nb[i].push(j); nb[j].push(i);
    }
    const seen = new Uint8Array(n);
    for (let s = 0; s < n; s++) {
      if (seen[s] || deg[s] > 1) continue;
      const r: number[] = [];
      let prev = -1, cur = s;
      while (cur >= 0) { r.push(cur); seen[cur] = 1; const nx = nb[cur].find((x) => x !== prev); prev = cur; cur = nx === undefined ? -1 : nx; }
      routes.push(r);
    }
    routes.forEach((_, r) => reindex(r));
  }

  // --- (2) local search ---
  const canAddRoute = () => activeRoutes() < pr.vehicles;
  /** Replace routes ra, rb (rb may be -1) by the given arrays (empty arrays allowed). */
  // Work queue of nodes to examine ("don't look bits"): a node is queued again only when one of its
  // links changes, so a kick costs O(route length), not O(N).
  const queued = new Uint8Array(n);
  let queue: number[] = [];
  const enqueue = (x: number) => { if (x >= 0 && !queued[x]) { queued[x] = 1; queue.push(x); } };
  const oldPrev = new Int32Array(n), oldNext = new Int32Array(n);
  const snapshot = (r: number[]) => { for (let k = 0; k < r.length; k++) { oldPrev[r[k]] = k > 0 ? r[k - 1] : -1; oldNext[r[k]] = k + 1 < r.length ? r[k + 1] : -1; } };
  const enqueueChanged = (r: number[]) => {
    for (let k = 0; k < r.length; k++) {
      const p_ = k > 0 ? r[k - 1] : -1, nx = k + 1 < r.length ? r[k + 1] : -1;
      if ((p_ !== oldPrev[r[k]] || nx !== oldNext[r[k]]) && !(p_ === oldNext[r[k]] && nx === oldPrev[r[k]])) enqueue(r[k]);
    }
  };
  const commit = (ra: number, rb: number, na: number[], nb_: number[] | null, extra: number[] | null = null) => {
    snapshot(routes[ra]);
    if (rb >= 0) snapshot(routes[rb]);
    routes[ra] = na; reindex(ra);
    if (rb >= 0 && nb_) { routes[rb] = nb_; reindex(rb); }
    if (extra && extra.length) { routes.push(extra); reindex(routes.length - 1); }
    enqueueChanged(na);
    if (nb_) enqueueChanged(nb_);
    if (extra) enqueueChanged(extra);
  };
  const link2 = (u: number, v: number, bothNonEmpty: boolean): [number, boolean] => {
    // Cost of joining two remnants ending/starting at u and v: either link them or keep two routes.
    if (!bothNonEmpty) return [0, true];
    const lc = c(u, v);
    if (lc > routeCost && canAddRoute()) return [routeCost, false];
    return [lc, true];
  };

  const tryNode = (a: number): boolean => {
    const ra = routeOf[a];
    if (ra < 0) return tryInsert(a);
    const A = routes[ra], i = pos[a];
    const aPrev = i > 0 ? A[i - 1] : -1, aNext = i < A.length - 1 ? A[i + 1] : -1;
    // split an expensive link
    if (aNext >= 0 && c(a, aNext) > routeCost && canAddRoute()) {
      commit(ra, -1, A.slice(0, i + 1), null, A.slice(i + 1));
      return true;
    }
    for (const b of cand[a]) {
      const rb = routeOf[b];
      if (rb < 0) continue;
      const cab = c(a, b);
      if (cab >= INF) continue;
      if (rb === ra) {
        const j = pos[b];
        if (j > i + 1) {
          const x1 = A[i + 1], xj1 = j + 1 < A.length ? A[j + 1] : -1;
          const delta = cab + c(x1, xj1) - c(a, x1) - c(b, xj1);
          if (delta < 0) { commit(ra, -1, [...A.slice(0, i + 1), ...A.slice(i + 1, j + 1).reverse(), ...A.slice(j + 1)], null); return true; }
        } else if (j < i - 1) {
          const xi1 = A[i - 1], xj1 = j > 0 ? A[j - 1] : -1;
          const delta = cab + c(xj1, xi1) - c(xj1, b) - c(xi1, a);
          if (delta < 0) { commit(ra, -1, [...A.slice(0, j), ...A.slice(j, i).reverse(), ...A.slice(i)], null); return true; }
        }
        continue;
      }
      const B = routes[rb], j = pos[b];
      const bPrev = j > 0 ? B[j - 1] : -1, bNext = j < B.length - 1 ? B[j + 1] : -1;
      // 2-opt* variants making link (a, b)
      {
        // 1: A[0..i] + B[j..] | B[0..j-1] + A[i+1..]
        const [l2, joined] = link2(bPrev, aNext, bPrev >= 0 && aNext >= 0);
        const empty = bPrev < 0 && aNext < 0 ? routeCost : 0;
        const delta = cab + l2 - c(a, aNext) - c(bPrev, b) - empty;
        if (delta < 0) {
          const n1 = [...A.slice(0, i + 1), ...B.slice(j)];
          const r1 = B.slice(0, j), r2 = A.slice(i + 1);
          if (joined) commit(ra, rb, n1, [...r1, ...r2]); else commit(ra, rb, n1, r1, r2);
          return true;
        }
      }
      {
        // 2: B[0..j] + A[i..] | A[0..i-1] + B[j+1..]
        const [l2, joined] = link2(aPrev, bNext, aPrev >= 0 && bNext >= 0);
        const empty = aPrev < 0 && bNext < 0 ? routeCost : 0;
        const delta = cab + l2 - c(aPrev, a) - c(b, bNext) - empty;
        if (delta < 0) {
          const n1 = [...B.slice(0, j + 1), ...A.slice(i)];
          const r1 = A.slice(0, i), r2 = B.slice(j + 1);
          if (joined) commit(ra, rb, n1, [...r1, ...r2]); else commit(ra, rb, n1, r1, r2);
          return true;
        }
      }
      {
        // 3: A[0..i] + rev(B[0..j]) | rev(A[i+1..]) + B[j+1..]
        const [l2, joined] = link2(aNext, bNext, aNext >= 0 && bNext >= 0);
        const empty = aNext < 0 && bNext < 0 ? routeCost : 0;
        const delta = cab + l2 - c(a, aNext) - c(b, bNext) - empty;
        if (delta < 0) {
          const n1 = [...A.slice(0, i + 1), ...B.slice(0, j + 1).reverse()];
          const r1 = A.slice(i + 1).reverse(), r2 = B.slice(j + 1);
          if (joined) commit(ra, rb, n1, [...r1, ...r2]); else commit(ra, rb, n1, r1, r2);
          return true;
        }
      }
      {
        // 4: rev(B[j..]) + A[i..] | A[0..i-1] + rev(B[0..j-1])
        const [l2, joined] = link2(aPrev, bPrev, aPrev >= 0 && bPrev >= 0);
        const empty = aPrev < 0 && bPrev < 0 ? routeCost : 0;
        const delta = cab + l2 - c(aPrev, a) - c(bPrev, b) - empty;
        if (delta < 0) {
          const n1 = [...B.slice(j).reverse(), ...A.slice(i)];
          const r1 = A.slice(0, i), r2 = B.slice(0, j).reverse();
          if (joined) commit(ra, rb, n1, [...r1, ...r2]); else commit(ra, rb, n1, r1, r2);
          return true;
        }
      }
      // relocate a segment of 1-3 nodes starting or ending at a, next to b (other route)
      for (let L = 1; L <= 3; L++) {
        for (const fwd of [true, false]) {
          const s0 = fwd ? i : i - L + 1, s1 = fwd ? i + L - 1 : i;
          if (s0 < 0 || s1 >= A.length) continue;
          const o = fwd ? A[s1] : A[s0]; // the segment end away from a
          const pv = s0 > 0 ? A[s0 - 1] : -1, nx = s1 < A.length - 1 ? A[s1 + 1] : -1;
          const whole = pv < 0 && nx < 0;
          const removal = c(pv, nx) - c(pv, A[s0]) - c(A[s1], nx) - (whole ? routeCost : 0);
          const seg = A.slice(s0, s1 + 1);
          const aFirst = fwd ? seg : seg.slice().reverse(); // starts with a
          // after b: b, a..o, bNext
          const dAfter = cab + c(o, bNext) - c(b, bNext);
          // before b: bPrev, o..a, b
          const dBefore = c(bPrev, o) + cab - c(bPrev, b);
          const rest = [...A.slice(0, s0), ...A.slice(s1 + 1)];
          if (removal + dAfter < 0) { commit(ra, rb, rest, [...B.slice(0, j + 1), ...aFirst, ...B.slice(j + 1)]); return true; }
          if (removal + dBefore < 0) { commit(ra, rb, rest, [...B.slice(0, j), ...aFirst.slice().reverse(), ...B.slice(j)]); return true; }
        }
      }
    }
    return false;
  };
  const tryInsert = (a: number): boolean => {
    let best = canAddRoute() ? routeCost : INF, how: [number, number] = [-1, 0];
    for (const b of cand[a]) {
      const rb = routeOf[b];
      if (rb < 0) continue;
      const B = routes[rb], j = pos[b];
      const bPrev = j > 0 ? B[j - 1] : -1, bNext = j < B.length - 1 ? B[j + 1] : -1;
      const after = c(b, a) + c(a, bNext) - c(b, bNext);
      const before = c(bPrev, a) + c(a, b) - c(bPrev, b);
      if (after < best) { best = after; how = [b, 1]; }
      if (before < best) { best = before; how = [b, -1]; }
    }
    if (best - dropPenalty >= 0) return false;
    if (how[0] < 0) { routes.push([a]); reindex(routes.length - 1); return true; }
    const rb = routeOf[how[0]], B = routes[rb], j = pos[how[0]];
    const at = how[1] > 0 ? j + 1 : j;
    commit(rb, -1, [...B.slice(0, at), a, ...B.slice(at)], null);
    return true;
  };
  const localSearch = async () => {
    let steps = 0;
    for (let h = 0; h < queue.length; h++) {
      const a = queue[h];
      queued[a] = 0;
      if (tryNode(a)) enqueue(a);
      if (++steps % 20000 === 0) await yieldToEventLoop(ctx, 'trace/routing');
      if (steps > 200 * (n + 10)) break; // safety net; never reached in practice
    }
    for (const a of queue) queued[a] = 0;
    queue = [];
    // compact empty routes
    routes = routes.filter((r) => r.length);
    routes.forEach((_, r) => reindex(r));
  };

  const t0 = performance.now();
  for (let a = 0; a < n; a++) enqueue(a);
  await localSearch();
  let bestCost = total();
  let best = routes.map((r) => r.slice());
  const restore = (snap: number[][]) => {
    routes = snap.map((r) => r.slice());
    routeOf.fill(-1); pos.fill(-1);
    routes.forEach((_, r) => reindex(r));
  };
  const rng = new Rng(pr.seed);
  let rounds = 0;
  let stoppedBy: RoutingSolution['stoppedBy'] = 'rounds';
  for (; rounds < pr.maxRounds && n > 3; rounds++) {
    if (pr.timeBudgetMs > 0 && performance.now() - t0 > pr.timeBudgetMs) { stoppedBy = 'time'; break; }
    // kick: 2-3 random segment reversals / route crossings around a random node
    const kicks = 2 + rng.int(2);
    for (let k = 0; k < kicks; k++) {
      const a = rng.int(n);
      const ra = routeOf[a];
      if (ra < 0 || !cand[a].length) continue;
      const b = cand[a][rng.int(cand[a].length)];
      const rb = routeOf[b];
      if (rb < 0) continue;
      const A = routes[ra], i = pos[a];
      if (rb === ra) {
        const j = pos[b];
        const lo = Math.min(i, j) + 1, hi = Math.max(i, j);
        if (hi > lo) commit(ra, -1, [...A.slice(0, lo), ...A.slice(lo, hi + 1).reverse(), ...A.slice(hi + 1)], null);
      } else {
        const B = routes[rb], j = pos[b];
        commit(ra, rb, [...A.slice(0, i + 1), ...B.slice(j)], [...B.slice(0, j), ...A.slice(i + 1)]);
      }
    }
    await localSearch();
    const t = total();
    if (t < bestCost) { bestCost = t; best = routes.map((r) => r.slice()); }
    else restore(best);
  }
  restore(best);
  const dropped: number[] = [];
  for (let i = 0; i < n; i++) if (routeOf[i] < 0) dropped.push(i);
  return {
    routes: routes.filter((r) => r.length),
    dropped,
    cost: bestCost,
    rounds,
    stoppedBy,
    isGraphLink: (i, j) => edge.has(Math.min(i, j) * n + Math.max(i, j)),
    linkCost: c,
  };
}
