/**
 * Phosphate re-threading of traced paths (issue 13; not in CryoREAD, which builds a nucleotide at each
 * routed sugar node).
 *
 * Why: on maps unlike the training maps the sugar channel covers the whole sugar-phosphate tube, so mean
 * shift leaves sugar nodes that sit a median ~2.5 A from the true C4' (independent-generator maps, 3.7 A:
 * 29 % of path nodes within 2 A), half a nucleotide out of phase along the backbone. The phosphate nodes
 * are sharp on the same maps (median 1.0 A from the nearest P, 76 % of P atoms within 1.5 A), and the
 * backbone geometry between two consecutive phosphates is tight (329 linked pairs of 1EHZ, 4QLN, 3CGS,
 * 6TNA, RNA-Puzzles 1: P-P 5.86 +- 0.45 A; the centroid of the sugar atoms, the point the builder anchors
 * a nucleotide's sugar to, lies 4.23 +- 0.19 A from P(i) and 3.46 +- 0.14 A from P(i+1); C4' 3.86 +- 0.13
 * and 3.79 +- 0.17 A). So the phosphates set the phase and the sugar point is placed from them.
 *
 * How, per path (nodes 5' -> 3'):
 * 1. phosphate nodes within `tubeA` of the path's polyline (extended by `endExtensionA` beyond each end
 *    along the end tangent, where the terminal phosphates lie) are projected onto it and sorted by arc
 *    length;
 * 2. one phosphate per nucleotide is chosen among them by the same spacing dynamic programme that thins
 *    sugar routes (spacing.ts) with P-P spacing, rewarding the map density at the node (phosphorus is
 *    the heaviest backbone atom: on independent-generator maps nodes within 1.5 A of a P have a mean
 *    normalised density of 0.72, the others 0.53; the phosphate probability hardly separates them,
 *    0.93 vs 0.86); a long link is one missing phosphate (a virtual one is put half-way);
 * 3. between consecutive chosen phosphates P_k, P_k+1 the sugar point lies on a circle (the two
 *    distances above fix its axis position and radius); the sugar-probability-weighted circular mean of
 *    the circle samples is taken (`circleSharpness`, bestOnCircle); terminal nucleotides beyond the first / last phosphate keep their traced
 *    sugar node when it lies `terminalMinA` to 1.5 nucleotides past that phosphate; stretches of the
 *    path no phosphate run covers keep their traced nodes (`keepUncovered`);
 * 4. each new node takes the base evidence, base anchor and sugar index of the nearest traced node;
 * 5. the direction is decided again (the sugar sits nearer its 3' phosphate, and a nucleotide is chiral,
 *    so its base lies on a different side of the backbone when the same phosphates are read the other
 *    way round): per link, the sugar is placed for both readings, the template base centroid of each
 *    (build/template-base.ts), and the map density plus the base probability at the forward one minus
 *    those at the reverse one is the vote. The trace's own vote reads the sugar nodes, which are too far
 *    off on such maps (see `redecideDirection`).
 * A path whose phosphates explain fewer than `minExplained` of its nodes keeps its traced nodes.
 */
import type { NodeSet } from '../cluster/node-set.js';
import { NeighbourGrid } from '../grid/neighbour-grid.js';
import { Volume, type Vec3 } from '../grid/volume.js';
import { cross, dot, sub, unit } from '../math/rotation.js';
import { BACKBONE_POINT_ANCHORS, nucleotideBaseCentroid } from '../build/template-base.js';
import { selectNucleotideNodes } from './spacing.js';
import type { BackbonePath, TracedNode } from './types.js';

export interface RethreadParams {
  /** Re-thread paths on phosphate nodes. @default true */
  enabled: boolean;
  /** Phosphate nodes farther than this from the path polyline are ignored, A (the polyline runs through traced sugar nodes ~2.5 A off; 3.5 lost nucleotides on rp07 and 4P5J). @default 4.5 */
  tubeA: number;
  /** The polyline is extended this far beyond each end sugar (terminal phosphates), A. @default 4 */
  endExtensionA: number;
  /** Expected P-P distance between consecutive nucleotides, A. @default 5.9 */
  phosphateSpacingA: number;
  /** Distance of the sugar point (sugar-atom centroid) from its 5' phosphate, A. @default 4.23 */
  sugarToP5A: number;
  /** Distance of the sugar point from its 3' phosphate, A. @default 3.46 */
  sugarToP3A: number;
  /** Reward of a chosen phosphate per unit of normalised map density at it (or of node density without a map). @default 2 */
  densityReward: number;
  /** A traced end sugar at least this far (along the path) beyond the first / last phosphate is kept as a terminal nucleotide, A. @default 2.5 */
  terminalMinA: number;
  /** Keep the traced path as it is when its phosphate runs stand for fewer than this fraction of its nodes. @default 0.25 */
  minExplained: number;
  /** Points sampled on the sugar circle. @default 24 */
  circleSamples: number;
  /** Exponent of the normalised sugar probability weighting the circle samples (bestOnCircle); median sugar-point error on rp10 / 1EHZ at 3.7 A: 2 -> 1.80 / 2.11 A, 8 -> 1.61 / 1.87, 40 -> 1.65 / 1.72, plain maximum 1.51 / 1.80. @default 40 */
  circleSharpness: number;
  /**
   * Decide each re-threaded piece's 5'->3' direction again from the placed nucleotides (needs the map):
   * each link read both ways, the template base of each reading (build/template-base.ts) scored by the
   * map density and the base probability there. Nucleotides on paths of the right direction,
   * independent-generator maps: 3.7 A, rp04 / rp10 / 1EHZ / 4QLN / 8BTK / 4P5J / rp07 (92 paths): the
   * first version of this vote (density on the sugar circle x 3 + chirality with the trace's base node)
   * 0.71, this one 0.88; not looked at while choosing it, 3.7 A rp14 / 6V5B / 4W90 / rp05 / rp18: 0.57
   * -> 0.86, 4.5 A rp14 / 6V5B / 4W90 / 1EHZ: 0.76 -> 0.89. @default true
   */
  redecideDirection: boolean;
  /** Traced nodes in stretches no phosphate run covers are kept as pieces of their own. @default true */
  keepUncovered: boolean;
  /** Weight of the base-probability difference against the map-density difference (normalised units) in the direction vote. @default 1 */
  baseProbabilityDirectionWeight: number;
  /** Cost of a change of direction along a run (vote units; a link's vote is mostly within +-0.5), cutting the run there; 0.5 / 1 / 2 / none on the seven 3.7 A tuning maps of redecideDirection: sequence recall 0.352 / 0.359 / 0.371 / 0.350, reversed path steps 57 / 63 / 66 / 108. @default 2 */
  directionSwitchPenalty: number;
  /** Pieces of one direction shorter than this many links are merged into their neighbours. @default 3 */
  minSegmentLinks: number;
}

export const defaultRethreadParams: Readonly<RethreadParams> = Object.freeze({
  enabled: true, tubeA: 4.5, endExtensionA: 4, phosphateSpacingA: 5.9, sugarToP5A: 4.23, sugarToP3A: 3.46, densityReward: 2, terminalMinA: 2.5, minExplained: 0.25, circleSamples: 24, circleSharpness: 40, redecideDirection: true, baseProbabilityDirectionWeight: 1, directionSwitchPenalty: 2, minSegmentLinks: 3, keepUncovered: true,
});

export interface RethreadInput {
  phosphates: NodeSet;
  /** Edited sugar probability (the circle point with the highest value is taken). */
  sugarProbability: Volume;
  /** The normalised map on any grid, scoring phosphate nodes; null: the nodes' own density. */
  density?: Volume | null;
  /** The detection's base probability (any base type), read at template base centroids for the direction vote; optional. */
  baseProbability?: Volume | null;
}

export interface RethreadResult {
  paths: BackbonePath[];
  /** Paths re-threaded / kept as traced. */
  rethreaded: number;
  kept: number;
  /** Re-threaded pieces whose direction was reversed by the phosphate-based vote. */
  reversed: number;
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

/** Phosphate of a re-threaded chain: position and node index (-1 for a virtual one). */
interface Link { x: Vec3; index: number }

/**
 * The sugar point on the circle of points at `toP5A` from p5 and `toP3A` from p3 (`samples` points; the
 * radius is at least 0.5 A when the two spheres do not meet): the circular mean of the sample angles
 * weighted by ((value - min) / (max - min))^sharpness, i.e. near the maximum, but the middle of a plateau
 * (oracle or saturated network probabilities) rather than its first sample; `value` is the highest sample.
 */
export function bestOnCircle(p5: ArrayLike<number>, p3: ArrayLike<number>, vol: Volume, toP5A: number, toP3A: number, samples: number, sharpness = 8): { point: Vec3; value: number } {
  const d = Math.max(1e-3, dist(p5, p3));
  const u = unit(sub(p3, p5));
  const x = Math.min(d, Math.max(0, (toP5A ** 2 - toP3A ** 2 + d * d) / (2 * d)));
  const r = Math.sqrt(Math.max(0.25, toP5A ** 2 - x * x));
  const helper: Vec3 = Math.abs(u[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
  const v = unit(cross(u, helper)), w = cross(u, v);
  const c: Vec3 = [p5[0] + x * u[0], p5[1] + x * u[1], p5[2] + x * u[2]];
  const at = (a: number): Vec3 => {
    const ca = Math.cos(a) * r, sa = Math.sin(a) * r;
    return [c[0] + ca * v[0] + sa * w[0], c[1] + ca * v[1] + sa * w[1], c[2] + ca * v[2] + sa * w[2]];
  };
  const vals: number[] = [];
  let hi = -Infinity, lo = Infinity, hiAt = 0;
  for (let s = 0; s < samples; s++) {
    const q = at((2 * Math.PI * s) / samples);
    const val = Volume.valueAtAngstrom(vol, q[0], q[1], q[2], 0);
    vals.push(val);
    if (val > hi) { hi = val; hiAt = s; }
    if (val < lo) lo = val;
  }
  let sx = 0, sy = 0;
  for (let s = 0; s < samples; s++) {
    const wgt = hi > lo ? ((vals[s] - lo) / (hi - lo)) ** sharpness : 1, a = (2 * Math.PI * s) / samples;
    sx += wgt * Math.cos(a); sy += wgt * Math.sin(a);
  }
  const angle = Math.hypot(sx, sy) > 1e-12 ? Math.atan2(sy, sx) : (2 * Math.PI * hiAt) / samples;
  return { point: at(angle), value: hi };
}

/** The sugar point between a 5' and a 3' phosphate: the circle point with the highest sugar probability. */
export function placeSugar(p5: ArrayLike<number>, p3: ArrayLike<number>, sugar: Volume, p: Pick<RethreadParams, 'sugarToP5A' | 'sugarToP3A' | 'circleSamples' | 'circleSharpness'>): Vec3 {
  return bestOnCircle(p5, p3, sugar, p.sugarToP5A, p.sugarToP3A, p.circleSamples, p.circleSharpness).point;
}

/** Rethread places the sugar-atom centroid and reads phosphate nodes (phosphate-group centroids): the template anchors that match. */
const RETHREAD_ANCHORS = BACKBONE_POINT_ANCHORS;

/**
 * Pieces of one direction along a run of links: the sign sequence maximising the summed signed votes
 * minus `switchPenalty` per change of sign (a two-state Viterbi path), then pieces shorter than
 * `minLinks` merged into the neighbour they agree with least badly, so a few noisy links never cut a
 * strand. Returns [from, to) link intervals covering 0..votes.length, each with its summed vote and the
 * sign of that sum.
 */
export function directionSegments(votes: readonly number[], switchPenalty: number, minLinks: number): { from: number; to: number; sign: 1 | -1; vote: number }[] {
  const n = votes.length;
  if (n === 0) return [];
  // Viterbi over two states (+1, -1); back[k][s] = state at k - 1
  const back = new Uint8Array(2 * n);
  let plus = votes[0], minus = -votes[0];
  for (let k = 1; k < n; k++) {
    const stayP = plus, fromM = minus - switchPenalty, stayM = minus, fromP = plus - switchPenalty;
    back[2 * k] = stayP >= fromM ? 0 : 1;
    back[2 * k + 1] = stayM >= fromP ? 1 : 0;
    plus = Math.max(stayP, fromM) + votes[k];
    minus = Math.max(stayM, fromP) - votes[k];
  }
  const state = new Uint8Array(n);
  state[n - 1] = plus >= minus ? 0 : 1;
  for (let k = n - 1; k > 0; k--) state[k - 1] = back[2 * k + state[k]];
  let segs: { from: number; to: number; sign: 1 | -1 }[] = [];
  for (let k = 0; k < n; k++) {
    const sign = state[k] === 0 ? 1 : -1;
    if (segs.length && segs[segs.length - 1].sign === sign) segs[segs.length - 1].to = k + 1;
    else segs.push({ from: k, to: k + 1, sign });
  }
  // merge short pieces (shortest first) into their neighbours
  for (;;) {
    if (segs.length < 2) break;
    let i = -1;
    for (let j = 0; j < segs.length; j++) if (segs[j].to - segs[j].from < minLinks && (i < 0 || segs[j].to - segs[j].from < segs[i].to - segs[i].from)) i = j;
    if (i < 0) break;
    const merged = { from: i > 0 ? segs[i - 1].from : segs[i].from, to: i + 1 < segs.length ? segs[i + 1].to : segs[i].to, sign: (i > 0 ? segs[i - 1] : segs[i + 1]).sign };
    segs = [...segs.slice(0, Math.max(0, i - 1)), merged, ...segs.slice(i + 2)];
  }
  // the sign of each piece is that of its summed votes
  return segs.map((g) => {
    let v = 0;
    for (let k = g.from; k < g.to; k++) v += votes[k];
    return { ...g, sign: v < 0 ? -1 : 1, vote: v };
  });
}

function rethreadPath(path: BackbonePath, input: RethreadInput, grid: NeighbourGrid, p: RethreadParams): { paths: BackbonePath[]; reversed: number } | null {
  let reversed = 0;
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
  const score = (i: number) => (input.density ? Volume.valueAtAngstrom(input.density, ph.x[i], ph.y[i], ph.z[i], 0) : ph.density[i]);
  const runs = selectNucleotideNodes({ points: P, density: cand.map((c) => score(c.i)) }, { spacingA: p.phosphateSpacingA, spacingSdA: 0.7, spacingSdLongA: 1.0, densityReward: p.densityReward, bridgeWeight: 0, window: 16 });
  const tS = S.map((_, k) => cum[k + 1]); // arc length of each traced node: poly[k + 1] is S[k]
  const nearestNode = (q: Vec3): TracedNode => {
    let b = 0, bd = Infinity;
    for (let k = 0; k < S.length; k++) { const d = dist(S[k], q); if (d < bd) { bd = d; b = k; } }
    return nodes[b];
  };
  const out: BackbonePath[] = [];
  /** Arc-length intervals the re-threaded runs stand for (half a nucleotide beyond their end phosphates). */
  const covers: [number, number][] = [];
  let explained = 0;
  for (const run of runs) {
    if (run.length < 2) continue;
    // phosphates of the run, with a virtual one half-way across each link that spans a missing phosphate
    const chain: Link[] = [];
    for (let r = 0; r < run.length; r++) {
      const cur = { x: [...P[run[r]]] as Vec3, index: cand[run[r]].i };
      if (r > 0) {
        const prev = chain[chain.length - 1];
        if (dist(prev.x, cur.x) > 1.45 * p.phosphateSpacingA) chain.push({ x: [(prev.x[0] + cur.x[0]) / 2, (prev.x[1] + cur.x[1]) / 2, (prev.x[2] + cur.x[2]) / 2], index: -1 });
      }
      chain.push(cur);
    }
    const tFirst = cand[run[0]].t, tLast = cand[run[run.length - 1]].t;
    // a terminal nucleotide: the traced end sugar, between terminalMinA and 1.5 nucleotides past the end
    // phosphate (farther: traced nodes with no phosphate run, kept below as they are)
    const past = (dt: number) => dt >= p.terminalMinA && dt <= 1.5 * p.phosphateSpacingA;
    const startTerminal = out.length === 0 && past(tFirst - tS[0]);
    const endTerminal = run === runs[runs.length - 1] && past(tS[S.length - 1] - tLast);
    covers.push([startTerminal ? tS[0] : tFirst - p.phosphateSpacingA / 2, endTerminal ? tS[S.length - 1] : tLast + p.phosphateSpacingA / 2]);
    // Direction: per link, the nucleotide is read both ways (sugar placed for P_k -> P_k+1 and for
    // P_k+1 -> P_k, template base from each; the base sits on a different side for the two readings),
    // and the map density plus the base probability at the forward base centroid minus those at the
    // reverse one is the link's vote (see RethreadParams.redecideDirection).
    // Sugar points per link for both readings, placed once (the vote reads them, the nucleotides take them).
    const sugarOf = new Map<number, Vec3>();
    const sugarFor = (k: number, reversed: boolean): Vec3 => {
      const key = 2 * k + (reversed ? 1 : 0);
      let q = sugarOf.get(key);
      if (!q) {
        q = reversed ? placeSugar(chain[k + 1].x, chain[k].x, input.sugarProbability, p) : placeSugar(chain[k].x, chain[k + 1].x, input.sugarProbability, p);
        sugarOf.set(key, q);
      }
      return q;
    };
    const linkVotes: number[] = [];
    if (input.density && p.redecideDirection) {
      for (let k = 0; k + 1 < chain.length; k++) {
        const a = chain[k].x, b = chain[k + 1].x;
        const bf = nucleotideBaseCentroid(a, sugarFor(k, false), b, RETHREAD_ANCHORS), br = nucleotideBaseCentroid(b, sugarFor(k, true), a, RETHREAD_ANCHORS);
        let v = Volume.valueAtAngstrom(input.density, bf[0], bf[1], bf[2], 0) - Volume.valueAtAngstrom(input.density, br[0], br[1], br[2], 0);
        if (input.baseProbability) v += p.baseProbabilityDirectionWeight * (Volume.valueAtAngstrom(input.baseProbability, bf[0], bf[1], bf[2], 0) - Volume.valueAtAngstrom(input.baseProbability, br[0], br[1], br[2], 0));
        linkVotes.push(v);
      }
    }
    // A run that crosses from one strand into another (a junction) reads one way on one side and the
    // other way on the other: it is cut where the votes change sign for good (directionSegments).
    // Without votes the run keeps the traced direction and confidence.
    const segments = linkVotes.length ? directionSegments(linkVotes, p.directionSwitchPenalty, p.minSegmentLinks) : [{ from: 0, to: chain.length - 1, sign: 1 as const, vote: NaN }];
    type Slot = { link: number; p5: Link | null; p3: Link | null; fixed: TracedNode | null };
    for (let si = 0; si < segments.length; si++) {
      const seg = segments[si];
      const reverse = seg.sign < 0;
      let slots: Slot[] = [];
      if (si === 0 && startTerminal) slots.push({ link: -1, p5: null, p3: chain[0], fixed: nodes[0] });
      for (let k = seg.from; k < seg.to; k++) slots.push({ link: k, p5: chain[k], p3: chain[k + 1], fixed: null });
      if (si === segments.length - 1 && endTerminal) slots.push({ link: -1, p5: chain[chain.length - 1], p3: null, fixed: nodes[nodes.length - 1] });
      if (reverse) slots = slots.reverse().map((sl) => ({ ...sl, p5: sl.p3, p3: sl.p5 }));
      const made: TracedNode[] = slots.map((sl) => {
        const c4 = sl.fixed ? sl.fixed.sugarA : sugarFor(sl.link, reverse);
        const from = sl.fixed ?? nearestNode(c4);
        return {
          ...from, sugarA: [c4[0], c4[1], c4[2]], phosphate5A: sl.p5 ? [...sl.p5.x] : null, phosphate3A: sl.p3 ? [...sl.p3.x] : null,
          phosphate5Index: sl.p5 ? sl.p5.index : -1, phosphate3Index: sl.p3 ? sl.p3.index : -1,
        };
      });
      if (reverse) reversed++;
      const direction = (reverse ? -path.direction : path.direction) as 1 | -1;
      const directionConfidence = Number.isFinite(seg.vote) ? Math.min(1, Math.abs(seg.vote) / (seg.to - seg.from)) : path.directionConfidence;
      explained += made.length;
      out.push({ ...path, nodes: made, direction, directionConfidence });
    }
  }
  if (explained < p.minExplained * nodes.length) return null;
  // Stretches of the traced path that no phosphate run covers (missing phosphate nodes) keep their
  // traced nodes, as pieces of their own, so re-threading does not lose coverage there.
  if (p.keepUncovered) {
    let piece: TracedNode[] = [];
    for (let k = 0; k < nodes.length; k++) {
      const covered = covers.some(([lo, hi]) => tS[k] >= lo && tS[k] <= hi);
      if (!covered) piece.push(nodes[k]);
      if ((covered || k === nodes.length - 1) && piece.length) { out.push({ ...path, nodes: piece }); piece = []; }
    }
  }
  return { paths: out, reversed };
}

/** Re-thread every path (see the module comment); paths the phosphates do not explain are kept. */
export function rethreadPaths(paths: readonly BackbonePath[], input: RethreadInput, params: Partial<RethreadParams> = {}, minPathNodes = 3): RethreadResult {
  const p: RethreadParams = { ...defaultRethreadParams, ...params };
  if (!p.enabled) return { paths: [...paths], rethreaded: 0, kept: paths.length, reversed: 0 };
  const grid = new NeighbourGrid(input.phosphates, 6);
  const out: BackbonePath[] = [];
  let rethreaded = 0, kept = 0, reversed = 0;
  for (const path of paths) {
    const r = rethreadPath(path, input, grid, p);
    if (!r) { out.push(path); kept++; continue; }
    rethreaded++;
    reversed += r.reversed;
    for (const q of r.paths) if (q.nodes.length >= minPathNodes) out.push(q);
  }
  return { paths: out, rethreaded, kept, reversed };
}
