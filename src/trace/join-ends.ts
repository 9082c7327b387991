/**
 * Joins traced paths end to end where one chain plainly continues into the next (not in the original,
 * whose routes are final).
 *
 * Why: routing breaks chains often (independent-generator maps, 24 RNA/DNA-only at 3.7 and 4.5 A: 441
 * paths, mean 7.3 nodes, and 452 places where two consecutive reference nucleotides sit on different
 * paths), and sequence assignment must place each short piece on its own, with base calls right about
 * half the time: a 7-node piece has many chance placements as good as its true one. Longer pieces place.
 * Joining nearby ends (session 10: any two ends within 7.5 A, pieces turned round to fit) was right only
 * ~50 % of the time and lowered register recall. Two kinds of joins are almost never wrong (same 24 maps,
 * candidates taken shortest first, each end once; "right" = the reference continues from the first piece's
 * last nucleotide into the second's first, or the two ends are the same nucleotide): a 3' end and a 5' end
 * that share their phosphate (the two phosphate points within `sharedPhosphateA` = 4 A, sugar points within
 * `sharedMaxA` = 10 A), or whose sugar points lie within `duplicateA` = 2 A (one nucleotide traced twice):
 * 66 joins, 62 right, 1 wrong, 3 not checkable. Any 3' and 5' ends within 7.5 A: 101 of 123 right, and on
 * bench/real-density joining ends within 5 A without a shared phosphate (`closeEndA` 5) lowered register
 * recall against shared phosphates alone (0.123 vs 0.137), so `closeEndA` is off by default.
 * Only a 3' end meets a 5' end (the paths' decided directions must agree; 86 % right on these maps).
 * A 5' end closer than `duplicateA` to the 3' end it joins is the same nucleotide: that node is dropped.
 * Measured (bench/real-density, 31 maps): sequence recall 0.441 -> 0.463, register recall 0.107 -> 0.142,
 * coverage 0.820 -> 0.816, precision 0.822 -> 0.824.
 * The joined path's direction confidence is the node-weighted mean of its pieces'.
 * traceBackbones joins as its last step; runPipeline traces without joining and joins the pieces its nucleic-acid
 * classifier kept (a protein-like piece sharing a phosphate with a nucleic-acid one is otherwise judged with it).
 */
import { NeighbourGrid, pointSetFromArray } from '../grid/neighbour-grid.js';
import type { Vec3 } from '../grid/volume.js';
import type { BackbonePath } from './types.js';

export interface JoinEndsParams {
  /** Join at all (off: paths are returned as traced). @default true */
  enabled: boolean;
  /** Two ends share a phosphate when their 3' / 5' phosphate points lie within this, A. @default 4 */
  sharedPhosphateA: number;
  /** ... and such ends are joined when their sugar points lie within this, A (consecutive C4' ~6 A). @default 10 */
  sharedMaxA: number;
  /** Ends whose sugar points lie within this are joined without a shared phosphate, A; 0 = never. @default 0 */
  closeEndA: number;
  /** Ends closer than this are one nucleotide traced twice: joined, the second node dropped, A. @default 2 */
  duplicateA: number;
}

export const defaultJoinEndsParams: Readonly<JoinEndsParams> = Object.freeze({ enabled: true, sharedPhosphateA: 4, sharedMaxA: 10, closeEndA: 0, duplicateA: 2 });

export interface JoinEndsResult {
  paths: BackbonePath[];
  /** Joins made: the path whose 3' end continues into the other's 5' end (input indices), sugar distance, A. */
  joins: { from: number; to: number; distanceA: number; sharedPhosphate: boolean }[];
  /** Nodes dropped as a nucleotide traced twice at a join. */
  droppedDuplicates: number;
}

const dist = (a: Vec3, b: Vec3) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/** Joins paths (5' -> 3' each) 3' end to 5' end where they share a phosphate or nearly touch (see the module comment). */
export function joinPathEnds(paths: readonly BackbonePath[], params: Partial<JoinEndsParams> = {}): JoinEndsResult {
  const p: JoinEndsParams = { ...defaultJoinEndsParams, ...params };
  const n = paths.length;
  if (!p.enabled || n < 2) return { paths: paths.slice(), joins: [], droppedDuplicates: 0 };
  const reach = Math.max(p.sharedMaxA, p.closeEndA, p.duplicateA);
  const heads = pointSetFromArray(paths.map((q) => q.nodes[0].sugarA));
  const grid = new NeighbourGrid(heads, reach);
  const cands: { from: number; to: number; d: number; shared: boolean }[] = [];
  paths.forEach((a, i) => {
    const tail = a.nodes[a.nodes.length - 1];
    grid.forEachWithin(tail.sugarA[0], tail.sugarA[1], tail.sugarA[2], reach, (j, d2) => {
      if (j === i) return;
      const head = paths[j].nodes[0];
      const d = Math.sqrt(d2);
      const shared = !!(tail.phosphate3A && head.phosphate5A && dist(tail.phosphate3A, head.phosphate5A) <= p.sharedPhosphateA);
      if ((shared && d <= p.sharedMaxA) || d < p.duplicateA || d < p.closeEndA) cands.push({ from: i, to: j, d, shared });
    });
  });
  cands.sort((a, b) => a.d - b.d || a.from - b.from || a.to - b.to);
  const next = new Int32Array(n).fill(-1), prev = new Int32Array(n).fill(-1);
  const joins: JoinEndsResult['joins'] = [];
  for (const c of cands) {
    if (next[c.from] >= 0 || prev[c.to] >= 0) continue;
    // no cycle: walking on from c.to must not reach c.from
    let k = c.to;
    while (next[k] >= 0 && k !== c.from) k = next[k];
    if (k === c.from) continue;
    next[c.from] = c.to;
    prev[c.to] = c.from;
    joins.push({ from: c.from, to: c.to, distanceA: c.d, sharedPhosphate: c.shared });
  }
  const out: BackbonePath[] = [];
  let droppedDuplicates = 0;
  for (let start = 0; start < n; start++) {
    if (prev[start] >= 0) continue;
    if (next[start] < 0) {
      out.push(paths[start]);
      continue;
    }
    const nodes = paths[start].nodes.slice();
    let vote = paths[start].directionConfidence * paths[start].nodes.length, weight = paths[start].nodes.length, cost = paths[start].cost;
    for (let k = next[start]; k >= 0; k = next[k]) {
      const q = paths[k];
      const dup = dist(nodes[nodes.length - 1].sugarA, q.nodes[0].sugarA) < p.duplicateA;
      if (dup) {
        droppedDuplicates++;
        // keep the earlier node, with the 3' phosphate the later piece continues from
        nodes[nodes.length - 1] = { ...nodes[nodes.length - 1], phosphate3A: q.nodes[0].phosphate3A, phosphate3Index: q.nodes[0].phosphate3Index };
      }
      nodes.push(...(dup ? q.nodes.slice(1) : q.nodes));
      vote += q.directionConfidence * q.nodes.length;
      weight += q.nodes.length;
      cost += q.cost;
    }
    out.push({ nodes, direction: paths[start].direction, directionConfidence: vote / weight, cost });
  }
  return { paths: out, joins, droppedDuplicates };
}

/** One line on what joinPathEnds did (trace warnings and pipeline notes), or null when nothing was joined. */
export function describeJoins(r: JoinEndsResult, before: number, params: Readonly<JoinEndsParams>): string | null {
  if (!r.joins.length) return null;
  const shared = r.joins.filter((j) => j.sharedPhosphate).length;
  return `${r.joins.length} path ends joined (${shared} sharing a phosphate, ${r.joins.length - shared} within ${Math.max(params.duplicateA, params.closeEndA)} A), ${r.droppedDuplicates} nucleotide(s) traced twice dropped: ${before} -> ${r.paths.length} paths`;
}
