/**
 * traceBackbones: sugar graph (section 10) -> routing (section 11) -> phosphate attachment (12) ->
 * base evidence (13) -> direction, giving BackbonePath[] ordered 5' -> 3'.
 */
import { inspect } from 'node:util';
import type { ClusterResult } from '../cluster/cluster-nodes.js';
import { NeighbourGrid } from '../grid/neighbour-grid.js';
import type { ProbabilityMaps } from '../grid/probability-maps.js';
import type { StageContext } from '../util/progress.js';
import { report, throwIfAborted } from '../util/progress.js';
import { baseEvidence, makeBasePool } from './base-evidence.js';
import { decideDirection, directionBreak, directionVotes } from './direction.js';
import { argminDistanceSum, type Xyz } from './nearest-sum.js';
import { defaultTraceParams, type TraceParams, type TraceParamsInput } from './params.js';
import { attachPhosphates } from './phosphates.js';
import { solveRouting } from './routing.js';
import { defaultSpacingParams, selectNucleotideNodes } from './spacing.js';
import { defaultRethreadParams, rethreadPaths } from './rethread.js';
import { defaultJoinEndsParams, describeJoins, joinPathEnds } from './join-ends.js';
import { Volume } from '../grid/volume.js';
import { buildSugarGraph, dist, type SugarGraph } from './sugar-graph.js';
import type { BackbonePath, TracedNode } from './types.js';

export interface TraceResult {
  paths: BackbonePath[];
  graph: { nodeCount: number; edgeCount: number; extensionEdgeCount: number };
  routing: { vehicles: number; routes: number; dropped: number; rounds: number; maxRounds: number; stoppedBy: 'rounds' | 'time'; cost: number; directionSplits: number };
  /** The sugar graph itself (for notebooks and diagnostics). */
  sugarGraph: SugarGraph;
  params: TraceParams;
  timingsMs: { graph: number; routing: number; attach: number };
  warnings: string[];
}

/**
 * @param cluster output of clusterNodes (nodes, seeds, edited probabilities).
 * @param prob the unedited probability maps (the base-region channel prunes graph edges, as in CryoREAD).
 */
export async function traceBackbones(
  cluster: ClusterResult,
  prob: ProbabilityMaps,
  params: TraceParamsInput = {},
  ctx?: StageContext,
  /** The normalised map (scores phosphate nodes for re-threading); optional. */
  density: Volume | null = null,
): Promise<TraceResult> {
  const p: TraceParams = { ...defaultTraceParams, ...params, spacing: { ...defaultSpacingParams, ...(params.spacing ?? {}) }, rethread: { ...defaultRethreadParams, ...(params.rethread ?? {}) }, joinEnds: { ...defaultJoinEndsParams, ...(params.joinEnds ?? {}) } };
  const warnings: string[] = [];
  const sugar = cluster.nodes.sugar;
  const t0 = performance.now();
  const graph = buildSugarGraph({
    sugar, seeds: cluster.seeds.sugar, frame: cluster.editedProbabilities,
    sugarProb: cluster.editedProbabilities.channels.sugar, baseProb: prob.channels.base,
  }, p);
  report(ctx, 'trace/graph', 1, 1, `${sugar.count} nodes, ${graph.a.length} edges`);
  throwIfAborted(ctx, 'trace/graph');
  const t1 = performance.now();
  const n = sugar.count;
  const phos = cluster.nodes.phosphate;
  const phosGrid = new NeighbourGrid(phos, p.phosphateCutoffA);
  /** Phosphate-bridge excess of a sugar link beyond bridgeFreeA, A (see TraceParams.bridgeWeight). */
  const bridgeExcess = (i: number, j: number): number => {
    const a: Xyz = [sugar.x[i], sugar.y[i], sugar.z[i]], b: Xyz = [sugar.x[j], sugar.y[j], sugar.z[j]];
    const best = argminDistanceSum(phosGrid, a, b, p.maxEdgeA);
    const e = best.index < 0 ? p.maxEdgeA : best.sumA - dist(sugar, i, j);
    return Math.max(0, e - p.bridgeFreeA);
  };
  const bridgePenalty = (i: number, j: number): number => p.bridgeWeight * bridgeExcess(i, j);
  const vehicles = p.vehicles > 0 ? p.vehicles : Math.max(5, Math.ceil(n / 20));
  const sol = await solveRouting({
    points: sugar, edgeA: graph.a, edgeB: graph.b, edgeCost: graph.cost, maxLinkA: p.maxEdgeA, vehicles,
    routeOpenLinkA: p.routeOpenLinkA, timeBudgetMs: p.timeBudgetMs > 0 || p.timePerNodeMs > 0 ? p.timeBudgetMs + p.timePerNodeMs * n : 0, maxRounds: p.maxRounds, seed: p.seed,
    linkPenaltyA: p.bridgeWeight > 0 ? bridgePenalty : undefined,
  }, ctx);
  if (sol.stoppedBy === 'time') warnings.push(`trace/routing: the time budget stopped the route search after ${sol.rounds} of ${p.maxRounds} rounds; another machine or load may give another trace (leave the budget off for a deterministic one)`);
  if (sol.routes.length > vehicles) warnings.push(`trace/routing: the backbone trace came out in ${sol.routes.length} separate pieces, about ${vehicles} were expected for this many nucleotides: the density does not connect them (gaps, weak or broken backbone); each piece becomes its own chain`);
  // Cut at long non-graph links (CryoREAD keeps them), drop short routes.
  const pieces: number[][] = [];
  for (const r of sol.routes) {
    let cur: number[] = [r[0]];
    for (let k = 1; k < r.length; k++) {
      if (!sol.isGraphLink(r[k - 1], r[k]) && dist(sugar, r[k - 1], r[k]) > p.splitJumpA) { pieces.push(cur); cur = []; }
      cur.push(r[k]);
    }
    pieces.push(cur);
  }
  let routes = pieces.filter((r) => r.length >= p.minPathNodes);
  let routeNodes = 0, thinnedNodes = 0;
  if (p.spacing.enabled) {
    // one node per nucleotide: thin each route to nucleotide spacing (spacing.ts); gaps split it
    const thinned: number[][] = [];
    for (const r of routes) {
      const runs = selectNucleotideNodes({
        points: r.map((i) => [sugar.x[i], sugar.y[i], sugar.z[i]] as const),
        density: r.map((i) => sugar.density[i]),
        bridgeExcessA: (a, b) => bridgeExcess(r[a], r[b]),
      }, p.spacing);
      routeNodes += r.length;
      for (const run of runs) if (run.length >= p.minPathNodes) { thinned.push(run.map((k) => r[k])); thinnedNodes += run.length; }
    }
    routes = thinned;
    if (routeNodes > 0) warnings.push(`trace/spacing: ${routeNodes} routed sugar nodes thinned to ${thinnedNodes} (one per nucleotide, ~${p.spacing.spacingA} A apart)`);
  }
  const t2 = performance.now();
  report(ctx, 'trace/routing', 1, 1, `${routes.length} paths`);

  const pool = makeBasePool(cluster);
  const paths: BackbonePath[] = [];
  const queue = routes.slice();
  let directionSplits = 0;
  while (queue.length) {
    const route = queue.shift()!;
    const ph = attachPhosphates(route, sugar, phos, phosGrid, p);
    const P = (i: number): Xyz | null => (i >= 0 ? [phos.x[i], phos.y[i], phos.z[i]] : null);
    const S: Xyz[] = route.map((i) => [sugar.x[i], sugar.y[i], sugar.z[i]]);
    const prevP = Array.from(ph.prev, P), nextP = Array.from(ph.next, P);
    const ev = S.map((s, k) => baseEvidence(pool, s, prevP[k], nextP[k], p));
    const dirInput = { sugar: S, prevP, nextP, base: ev.map((e) => e.anchor) };
    // A route that joins two strands end to end changes direction at the joint: cut it there.
    const links = route.slice(1).map((j, k) => dist(sugar, route[k], j));
    const cut = directionBreak(directionVotes(dirInput).score, links, p.minPathNodes, p.directionSplitVote);
    if (cut >= 0) {
      directionSplits++;
      queue.unshift(route.slice(0, cut + 1), route.slice(cut + 1));
      continue;
    }
    const dir = decideDirection(dirInput);
    let nodes: TracedNode[] = route.map((si, k) => ({
      sugarIndex: si,
      sugarA: [S[k][0], S[k][1], S[k][2]],
      phosphate5A: prevP[k] ? [...prevP[k]!] : null,
      phosphate3A: nextP[k] ? [...nextP[k]!] : null,
      baseA: ev[k].anchor ? [...ev[k].anchor!] : null,
      baseEvidence: ev[k].evidence,
      sugarDensity: sugar.density[si],
      phosphate5Index: ph.prev[k],
      phosphate3Index: ph.next[k],
    }));
    if (dir.direction < 0) {
      nodes = nodes.reverse().map((nd) => ({
        ...nd, phosphate5A: nd.phosphate3A, phosphate3A: nd.phosphate5A,
        phosphate5Index: nd.phosphate3Index, phosphate3Index: nd.phosphate5Index,
      }));
    }
    let cost = 0;
    for (let k = 1; k < route.length; k++) cost += sol.linkCost(route[k - 1], route[k]) / 100;
    paths.push({ nodes, direction: dir.direction, directionConfidence: dir.confidence, cost });
  }
  if (p.rethread.enabled && density) {
    // needs the map: it scores phosphate nodes and decides direction (oracle runs have exact nodes anyway)
    const pm = cluster.editedProbabilities;
    const rt = rethreadPaths(paths, { phosphates: phos, sugarProbability: Volume.create(pm, pm.channels.sugar), density, baseProbability: Volume.create(prob, prob.channels.base) }, p.rethread, p.minPathNodes);
    paths.splice(0, paths.length, ...rt.paths);
    if (rt.rethreaded) warnings.push(`trace/rethread: ${rt.rethreaded} of ${rt.rethreaded + rt.kept} paths re-placed on their phosphates (one nucleotide between each two), ${rt.reversed} piece(s) turned round by the direction vote (template base read both ways)`);
  }
  // Joining pieces end to end (join-ends.ts). The pipeline turns this off and joins after the nucleic-acid
  // classifier has judged the pieces, so a protein-like piece is not averaged into a nucleic-acid one.
  const joined = joinPathEnds(paths, p.joinEnds);
  const joinNote = describeJoins(joined, paths.length, p.joinEnds);
  if (joinNote) {
    warnings.push(`trace/join: ${joinNote}`);
    paths.splice(0, paths.length, ...joined.paths);
  }
  const t3 = performance.now();
  report(ctx, 'trace', 1, 1, `${paths.length} paths, ${paths.reduce((s, q) => s + q.nodes.length, 0)} nodes`);
  let ext = 0;
  for (const k of graph.kind) if (k) ext++;
  const result: TraceResult = {
    paths,
    graph: { nodeCount: n, edgeCount: graph.a.length, extensionEdgeCount: ext },
    routing: { vehicles, routes: sol.routes.length, dropped: sol.dropped.length, rounds: sol.rounds, maxRounds: p.maxRounds, stoppedBy: sol.stoppedBy, cost: sol.cost, directionSplits },
    sugarGraph: graph,
    params: p,
    timingsMs: { graph: t1 - t0, routing: t2 - t1, attach: t3 - t2 },
    warnings,
  };
  // Short summary for notebooks (tslab prints a cell's value with console.log).
  Object.defineProperty(result, inspect.custom, {
    enumerable: false,
    value: () => `TraceResult ${paths.length} paths, ${paths.reduce((s, q) => s + q.nodes.length, 0)} of ${n} sugar nodes; graph ${graph.a.length} edges (${ext} extension); ${((t3 - t0) / 1000).toFixed(1)} s`,
  });
  return result;
}
