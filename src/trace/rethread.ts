/**
 * Phosphate re-threading of traced paths (issue 13; not in CryoREAD, which builds a nucleotide at each
 * routed sugar node).
 *
 * Why: on maps unlike the training maps the sugar channel covers the whole sugar-phosphate tube, so mean
 * shift leaves sugar nodes that sit a median ~2.5 A from the true C4' (independent-generator maps, 3.7 A:
 * 29 % of path nodes within 2 A), half a nucleotide out of phase along the backbone. The phosphate nodes
 * are sharp on the same maps (median 1.0 A from the nearest P, 76 % of P atoms within 1.5 A), and the
 * backbone geometry between two consecutive phosphates is tight (3,000-pair statistics of RNA
 * structures: C4'(i)-P(i) 3.86 +- 0.13 A, C4'(i)-P(i+1) 3.79 +- 0.17 A, P-P 5.9 +- 0.45 A). So the
 * phosphates set the phase and the C4' is placed from them.
 *
 * How, per path (nodes 5' -> 3'):
 * 1. phosphate nodes within `tubeA` of the path's polyline (extended by `endExtensionA` beyond each end
 *    along the end tangent, where the terminal phosphates lie) are projected onto it and sorted by arc
 *    length;
 * 2. one phosphate per nucleotide is chosen among them by the same spacing dynamic programme that thins
 *    sugar routes (spacing.ts) with P-P spacing, rewarding the phosphate node density; a long link is
 *    one missing phosphate (a virtual one is put half-way);
 * 3. between consecutive chosen phosphates P_k, P_k+1 the C4' lies on a circle (the two distances
 *    above fix its axis position and radius); the point of the circle with the highest sugar
 *    probability is taken; terminal nucleotides beyond the first / last phosphate keep their traced
 *    sugar node when it lies at least `terminalMinA` past that phosphate;
 * 4. each new node takes the base evidence, base anchor and sugar index of the nearest traced node.
 * A path whose phosphates explain fewer than `minExplained` of its nodes keeps its traced nodes. The
 * direction (and its confidence) of the path is kept: placement is symmetric in the two phosphates.
 */
import type { NodeSet } from '../cluster/node-set.js';
import { NeighbourGrid } from '../grid/neighbour-grid.js';
import { Volume, type Vec3 } from '../grid/volume.js';
import { cross, dot, sub, unit } from '../math/rotation.js';
import { selectNucleotideNodes } from './spacing.js';
import type { BackbonePath, TracedNode } from './types.js';

export interface RethreadParams {
  /** Re-thread paths on phosphate nodes. @default true */
  enabled: boolean;
  /** Phosphate nodes farther than this from the path polyline are ignored, A. @default 3.5 */
  tubeA: number;
  /** The polyline is extended this far beyond each end sugar (terminal phosphates), A. @default 4 */
  endExtensionA: number;
  /** Expected P-P distance between consecutive nucleotides, A. @default 5.9 */
  phosphateSpacingA: number;
  /** C4'(i)-P(i) distance, A. @default 3.86 */
  c4ToP5A: number;
  /** C4'(i)-P(i+1) distance, A. @default 3.79 */
  c4ToP3A: number;
  /** A traced end sugar at least this far (along the path) beyond the first / last phosphate is kept as a terminal nucleotide, A. @default 2.5 */
  terminalMinA: number;
  /** Keep the traced nodes when the re-threaded path has fewer than this fraction of them. @default 0.6 */
  minExplained: number;
  /** Points sampled on the C4' circle. @default 24 */
  circleSamples: number;
}

export const defaultRethreadParams: Readonly<RethreadParams> = Object.freeze({
  enabled: true, tubeA: 3.5, endExtensionA: 4, phosphateSpacingA: 5.9, c4ToP5A: 3.86, c4ToP3A: 3.79, terminalMinA: 2.5, minExplained: 0.6, circleSamples: 24,
});

export interface RethreadInput {
  phosphates: NodeSet;
  /** Edited sugar probability (the C4' circle point with the highest value is taken). */
  sugarProbability: Volume;
}

export interface RethreadResult {
  paths: BackbonePath[];
  /** Paths re-threaded / kept as traced. */
  rethreaded: number;
  kept: number;
}

const dist = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/** Arc length and distance of the projection of q on a polyline (points in order; cumulative lengths cum). */
function project(poly: readonly Vec3[], cum: readonly number[], q: ArrayLike<number>): { t: number; d: number } {
  let best = { t: 0, d: Infinity };
  for (let k = 0; k + 1 < poly.length; k++) {
    const a = poly[k], ab = sub(poly[k + 1], a), len2 = dot(ab, ab);
    const f = len2 > 0 ? Math.min(1, Math.max(0, dot(sub(q, a), ab) / len2)) : 0;
    const p: Vec3 = [a[0] + f * ab[0], a[1] + f * ab[1], a[2] + f * ab[2]];
    const d = dist(p, q);
    if (d < best.d) best = { t: cum[k] + f * Math.sqrt(len2), d };
  }
  return best;
}

/** The C4' between two consecutive phosphates: the circle point with the highest sugar probability. */
export function placeC4(p5: ArrayLike<number>, p3: ArrayLike<number>, sugar: Volume, p: Pick<RethreadParams, 'c4ToP5A' | 'c4ToP3A' | 'circleSamples'>): Vec3 {
  const d = Math.max(1e-3, dist(p5, p3));
  const u = unit(sub(p3, p5));
  const x = Math.min(d, Math.max(0, (p.c4ToP5A ** 2 - p.c4ToP3A ** 2 + d * d) / (2 * d)));
  const r = Math.sqrt(Math.max(0.25, p.c4ToP5A ** 2 - x * x));
  const helper: Vec3 = Math.abs(u[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
  const v = unit(cross(u, helper)), w = cross(u, v);
  const c: Vec3 = [p5[0] + x * u[0], p5[1] + x * u[1], p5[2] + x * u[2]];
  let best: Vec3 = c, bestV = -Infinity;
  for (let s = 0; s < p.circleSamples; s++) {
    const a = (2 * Math.PI * s) / p.circleSamples, ca = Math.cos(a) * r, sa = Math.sin(a) * r;
    const q: Vec3 = [c[0] + ca * v[0] + sa * w[0], c[1] + ca * v[1] + sa * w[1], c[2] + ca * v[2] + sa * w[2]];
    const val = Volume.valueAtAngstrom(sugar, q[0], q[1], q[2], 0);
    if (val > bestV) { bestV = val; best = q; }
  }
  return best;
}

function rethreadPath(path: BackbonePath, input: RethreadInput, grid: NeighbourGrid, p: RethreadParams): BackbonePath[] | null {
  const nodes = path.nodes;
  if (nodes.length < 2) return null;
  const S = nodes.map((n) => [n.sugarA[0], n.sugarA[1], n.sugarA[2]] as Vec3);
  const head = unit(sub(S[0], S[1])), tail = unit(sub(S[S.length - 1], S[S.length - 2]));
  const poly: Vec3[] = [
    [S[0][0] + p.endExtensionA * head[0], S[0][1] + p.endExtensionA * head[1], S[0][2] + p.endExtensionA * head[2]],
    ...S,
    [S[S.length - 1][0] + p.endExtensionA * tail[0], S[S.length - 1][1] + p.endExtensionA * tail[1], S[S.length - 1][2] + p.endExtensionA * tail[2]],
  ];
  const cum = [0];
  for (let k = 1; k < poly.length; k++) cum.push(cum[k - 1] + dist(poly[k - 1], poly[k]));
  // candidate phosphates in the tube, by arc length
  const ph = input.phosphates;
  const seen = new Set<number>();
  const cand: { i: number; t: number }[] = [];
  for (let k = 0; k + 1 < poly.length; k++) {
    const m = [(poly[k][0] + poly[k + 1][0]) / 2, (poly[k][1] + poly[k + 1][1]) / 2, (poly[k][2] + poly[k + 1][2]) / 2];
    grid.forEachWithin(m[0], m[1], m[2], dist(poly[k], poly[k + 1]) / 2 + p.tubeA, (i) => {
      if (seen.has(i)) return;
      seen.add(i);
      const pr = project(poly, cum, [ph.x[i], ph.y[i], ph.z[i]]);
      if (pr.d <= p.tubeA) cand.push({ i, t: pr.t });
    });
  }
  cand.sort((a, b) => a.t - b.t || a.i - b.i);
  if (cand.length < 2) return null;
  const P = cand.map((c) => [ph.x[c.i], ph.y[c.i], ph.z[c.i]] as const);
  const runs = selectNucleotideNodes({ points: P, density: cand.map((c) => ph.density[c.i]) }, { spacingA: p.phosphateSpacingA, spacingSdA: 0.7, spacingSdLongA: 1.0, bridgeWeight: 0, window: 16 });
  const tS = S.map((s) => project(poly, cum, s).t);
  const nearestNode = (q: Vec3): TracedNode => {
    let b = 0, bd = Infinity;
    for (let k = 0; k < S.length; k++) { const d = dist(S[k], q); if (d < bd) { bd = d; b = k; } }
    return nodes[b];
  };
  const out: BackbonePath[] = [];
  let explained = 0;
  for (const run of runs) {
    if (run.length < 2) continue;
    // phosphates of the run, with a virtual one half-way across each link that spans a missing phosphate
    const chain: { x: Vec3; index: number }[] = [];
    for (let r = 0; r < run.length; r++) {
      const cur = { x: [...P[run[r]]] as Vec3, index: cand[run[r]].i };
      if (r > 0) {
        const prev = chain[chain.length - 1];
        if (dist(prev.x, cur.x) > 1.45 * p.phosphateSpacingA) chain.push({ x: [(prev.x[0] + cur.x[0]) / 2, (prev.x[1] + cur.x[1]) / 2, (prev.x[2] + cur.x[2]) / 2], index: -1 });
      }
      chain.push(cur);
    }
    const made: TracedNode[] = [];
    const node = (c4: Vec3, p5: { x: Vec3; index: number } | null, p3: { x: Vec3; index: number } | null, from: TracedNode): TracedNode => ({
      ...from, sugarA: c4, phosphate5A: p5 ? [...p5.x] : null, phosphate3A: p3 ? [...p3.x] : null,
      phosphate5Index: p5 ? p5.index : -1, phosphate3Index: p3 ? p3.index : -1,
    });
    const tFirst = cand[run[0]].t, tLast = cand[run[run.length - 1]].t;
    // 5' terminal nucleotide: a traced sugar before the first phosphate (only for the path's first run)
    if (out.length === 0 && tS[0] < tFirst - p.terminalMinA) made.push(node(S[0], null, chain[0], nodes[0]));
    for (let k = 0; k + 1 < chain.length; k++) {
      const c4 = placeC4(chain[k].x, chain[k + 1].x, input.sugarProbability, p);
      made.push(node(c4, chain[k], chain[k + 1], nearestNode(c4)));
    }
    const lastRun = run === runs[runs.length - 1];
    if (lastRun && tS[S.length - 1] > tLast + p.terminalMinA) made.push(node(S[S.length - 1], chain[chain.length - 1], null, nodes[nodes.length - 1]));
    explained += made.length;
    out.push({ ...path, nodes: made });
  }
  if (explained < p.minExplained * nodes.length) return null;
  return out;
}

/** Re-thread every path (see the module comment); paths the phosphates do not explain are kept. */
export function rethreadPaths(paths: readonly BackbonePath[], input: RethreadInput, params: Partial<RethreadParams> = {}, minPathNodes = 3): RethreadResult {
  const p: RethreadParams = { ...defaultRethreadParams, ...params };
  if (!p.enabled) return { paths: [...paths], rethreaded: 0, kept: paths.length };
  const grid = new NeighbourGrid(input.phosphates, 6);
  const out: BackbonePath[] = [];
  let rethreaded = 0, kept = 0;
  for (const path of paths) {
    const r = rethreadPath(path, input, grid, p);
    if (!r) { out.push(path); kept++; continue; }
    rethreaded++;
    for (const q of r) if (q.nodes.length >= minPathNodes) out.push(q);
  }
  return { paths: out, rethreaded, kept };
}
