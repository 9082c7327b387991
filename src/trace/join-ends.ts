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
import type { BackbonePath, TracedNode } from './types.js';

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
  /**
   * Also join two 3' ends (or two 5' ends) that share their phosphate: one of the two pieces runs the wrong way
   * (the re-threading cuts paths where its direction votes change sign); the joined path runs the way most of its
   * nucleotides' confidence-weighted directions say, and the other pieces are turned round. Off: such ends are
   * sequence neighbours (24 independent-generator maps: 98 of 105 checkable pairs), but joined so they lowered
   * bench/real-density sequence / register recall 0.473 / 0.251 -> 0.456 / 0.200 (a turned piece keeps sugar points
   * placed for the other reading, and one orientation for the whole chain is wrong more often than the pieces' own,
   * which sequence assignment tries both ways). @default false
   */
  turnAtSharedPhosphate: boolean;
}

export const defaultJoinEndsParams: Readonly<JoinEndsParams> = Object.freeze({ enabled: true, sharedPhosphateA: 4, sharedMaxA: 10, closeEndA: 0, duplicateA: 2, turnAtSharedPhosphate: false });

export interface JoinEndsResult {
  paths: BackbonePath[];
  /**
   * Joins made (input path indices; `ends`: which end of a meets which end of b), sugar distance, A, and whether the
   * two ends share their phosphate. "3'-3'" and "5'-5'" joins turn one of the two pieces round.
   */
  joins: { a: number; b: number; ends: "3'-5'" | "3'-3'" | "5'-5'"; distanceA: number; sharedPhosphate: boolean }[];
  /** Nodes dropped as a nucleotide traced twice at a join. */
  droppedDuplicates: number;
  /** Pieces read against their traced direction in the joined paths. */
  turnedPieces: number;
}

const dist = (a: Vec3, b: Vec3) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/**
 * A node read the other way: 5'/3' phosphates and the two base readings swap. The sugar point stays where the
 * re-threading put it for the traced direction (it sits ~0.8 A nearer the phosphate that was 3'; not re-placed).
 */
function turned(nd: TracedNode): TracedNode {
  const out: TracedNode = { ...nd, phosphate5A: nd.phosphate3A, phosphate3A: nd.phosphate5A, phosphate5Index: nd.phosphate3Index, phosphate3Index: nd.phosphate5Index };
  if (nd.baseEvidenceReverse) { out.baseEvidence = nd.baseEvidenceReverse; out.baseEvidenceReverse = nd.baseEvidence; }
  return out;
}

/** Joins paths (5' -> 3' each) end to end where they share a phosphate or nearly touch (see the module comment). */
export function joinPathEnds(paths: readonly BackbonePath[], params: Partial<JoinEndsParams> = {}): JoinEndsResult {
  const p: JoinEndsParams = { ...defaultJoinEndsParams, ...params };
  const n = paths.length;
  if (!p.enabled || n < 2) return { paths: paths.slice(), joins: [], droppedDuplicates: 0, turnedPieces: 0 };
  // end e: 2k = the 5' end (first node) of path k, 2k + 1 = its 3' end (last node)
  const endNode = (e: number): TracedNode => { const q = paths[e >> 1].nodes; return e & 1 ? q[q.length - 1] : q[0]; };
  const endPhosphate = (e: number): Vec3 | null => (e & 1 ? endNode(e).phosphate3A : endNode(e).phosphate5A);
  const reach = Math.max(p.sharedMaxA, p.closeEndA, p.duplicateA);
  const grid = new NeighbourGrid(pointSetFromArray(Array.from({ length: 2 * n }, (_, e) => endNode(e).sugarA)), reach);
  const cands: { e: number; f: number; d: number; shared: boolean }[] = [];
  for (let e = 0; e < 2 * n; e++) {
    const s = endNode(e).sugarA;
    grid.forEachWithin(s[0], s[1], s[2], reach, (f, d2) => {
      if (f <= e || f >> 1 === e >> 1) return;
      const d = Math.sqrt(d2);
      const pe = endPhosphate(e), pf = endPhosphate(f);
      const shared = !!(pe && pf && dist(pe, pf) <= p.sharedPhosphateA);
      const continues = (e & 1) !== (f & 1);
      const ok = continues ? (shared && d <= p.sharedMaxA) || d < p.duplicateA || d < p.closeEndA : p.turnAtSharedPhosphate && shared && d <= p.sharedMaxA;
      if (ok) cands.push({ e, f, d, shared });
    });
  }
  cands.sort((x, y) => x.d - y.d || x.e - y.e || x.f - y.f);
  const partner = new Int32Array(2 * n).fill(-1);
  const root = Int32Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => { while (root[i] !== i) { root[i] = root[root[i]]; i = root[i]; } return i; };
  const joins: JoinEndsResult['joins'] = [];
  for (const c of cands) {
    if (partner[c.e] >= 0 || partner[c.f] >= 0) continue;
    const ra = find(c.e >> 1), rb = find(c.f >> 1);
    if (ra === rb) continue; // would close a ring
    partner[c.e] = c.f;
    partner[c.f] = c.e;
    root[ra] = rb;
    const ends = (c.e & 1) !== (c.f & 1) ? "3'-5'" : c.e & 1 ? "3'-3'" : "5'-5'";
    // for a 3'-5' join, a is the piece whose 3' end continues into b's 5' end
    const [a, b] = ends === "3'-5'" && !(c.e & 1) ? [c.f >> 1, c.e >> 1] : [c.e >> 1, c.f >> 1];
    joins.push({ a, b, ends, distanceA: c.d, sharedPhosphate: c.shared });
  }
  const out: BackbonePath[] = [];
  let droppedDuplicates = 0, turnedPieces = 0;
  const seen = new Uint8Array(n);
  for (let start = 0; start < 2 * n; start++) {
    if (seen[start >> 1] || partner[start] >= 0) continue;
    // walk the chain from its free end `start`; a piece entered at its 3' end runs reversed
    let chain: { path: number; reversed: boolean }[] = [];
    for (let e = start; ;) {
      seen[e >> 1] = 1;
      chain.push({ path: e >> 1, reversed: (e & 1) === 1 });
      const exit = e ^ 1;
      if (partner[exit] < 0) break;
      e = partner[exit];
    }
    if (chain.length === 1) {
      out.push(paths[chain[0].path]);
      continue;
    }
    // the chain runs the way most of its nucleotides' decided directions say (confidence x nodes)
    let vote = 0, weight = 0, cost = 0;
    for (const c of chain) {
      const q = paths[c.path];
      vote += (c.reversed ? -1 : 1) * q.directionConfidence * q.nodes.length;
      weight += q.nodes.length;
      cost += q.cost;
    }
    if (vote < 0) chain = chain.reverse().map((c) => ({ path: c.path, reversed: !c.reversed }));
    const nodes: TracedNode[] = [];
    for (const c of chain) {
      const q = paths[c.path].nodes;
      const piece = c.reversed ? q.slice().reverse().map(turned) : q;
      if (c.reversed) turnedPieces++;
      const last = nodes[nodes.length - 1];
      const dup = last !== undefined && dist(last.sugarA, piece[0].sugarA) < p.duplicateA;
      if (dup) {
        droppedDuplicates++;
        // keep the earlier node, with the 3' phosphate the later piece continues from
        nodes[nodes.length - 1] = { ...last, phosphate3A: piece[0].phosphate3A, phosphate3Index: piece[0].phosphate3Index };
      }
      for (let i = dup ? 1 : 0; i < piece.length; i++) nodes.push(piece[i]);
    }
    const first = paths[chain[0].path];
    out.push({ nodes, direction: (chain[0].reversed ? -first.direction : first.direction) as 1 | -1, directionConfidence: Math.abs(vote) / weight, cost });
  }
  return { paths: out, joins, droppedDuplicates, turnedPieces };
}

/** One line on what joinPathEnds did (trace warnings and pipeline notes), or null when nothing was joined. */
export function describeJoins(r: JoinEndsResult, before: number, params: Readonly<JoinEndsParams>): string | null {
  if (!r.joins.length) return null;
  const shared = r.joins.filter((j) => j.sharedPhosphate).length;
  const turned = r.joins.filter((j) => j.ends !== "3'-5'").length;
  return `${r.joins.length} path ends joined (${shared} sharing a phosphate, ${r.joins.length - shared} within ${Math.max(params.duplicateA, params.closeEndA)} A; ${turned} where two 3' or two 5' ends meet, ${r.turnedPieces} piece(s) turned round), ${r.droppedDuplicates} nucleotide(s) traced twice dropped: ${before} -> ${r.paths.length} paths`;
}
