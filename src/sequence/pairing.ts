/**
 * Base pairs between traced nucleotides, found from geometry alone, and their use as sequence
 * evidence (not in the original). Two nodes whose bases face each other across a duplex are
 * most likely a Watson-Crick (or G-U wobble) pair, so the base call of one node is evidence for
 * the complementary base at the other: with noisy calls this doubles the independent evidence per
 * paired nucleotide, which is what short paths lack.
 *
 * Pair geometry, measured on oracle traces of 20 structures of shared/data (RNA and DNA, 456
 * canonical pairs, sugar node ~ C4'): sugar-sugar distance of paired nodes 13.1 A median
 * (10.2-13.9 A, 2nd-98th percentile), base anchors 6.0 A apart (4.6-10.7), and each base anchor
 * points at the partner's sugar (cosine of the sugar->base vector with the sugar->partner-sugar
 * vector 0.82 median, >= 0.57 for 98 %). Candidates inside the default bounds are matched greedily
 * by a cost (deviation from the typical pair) so each node has at most one partner; on those 20
 * structures 85 % of the detected pairs are complementary in the true sequence and 75 % of the
 * canonical pairs are found (the rest: non-canonical pairs, G-quadruplex and Z-DNA geometry).
 *
 * Base anchors (`templateAnchors`; off here, on in the sequence stage's defaults, SequenceParams
 * pairTemplateAnchors): where a node has both phosphates and no detected base node (the network
 * pipeline attaches none: --base-anchors template), its base is put
 * where the nucleotide templates superposed on (P5', sugar point, P3') put it
 * (build/template-base.ts), not at the nearest detected base node. On the 30 independent-generator
 * maps of bench/real-density the base-node anchors gave no pair at all (no two anchors both facing
 * the partner sugar within bounds); template anchors give 230 stem pairs on 5,215 nodes, 123 of the
 * 176 on reference nucleotides complementary in the true sequence (0.70; chance 0.375). Without
 * the stem filter: 1,268 pairs, 0.55.
 */
import { NeighbourGrid } from '../grid/neighbour-grid.js';
import type { BackbonePath, BaseEvidence } from '../trace/types.js';
import type { AlignPath } from './types.js';
import { pathPhosphates } from '../trace/base-caller.js';
import { BACKBONE_POINT_ANCHORS, nucleotideBaseCentroid } from '../build/template-base.js';

export interface BasePairParams {
  /** Smallest sugar-sugar distance of a pair, A. @default 11 */
  minSugarDistanceA: number;
  /** Largest sugar-sugar distance of a pair, A. @default 15.5 */
  maxSugarDistanceA: number;
  /** Largest distance between the two base anchors, A. @default 8 */
  maxBaseDistanceA: number;
  /** Smallest cosine between a node's sugar->base vector and its sugar->partner-sugar vector. @default 0.4 */
  minFacingCosine: number;
  /** Nodes of one path closer than this many positions are never paired (neighbours, not partners). @default 3 */
  minPathSeparation: number;
  /**
   * Where a node has no detected base node (baseA null) but phosphates on both sides, its base anchor is
   * the template base placed on them (pairs found so are marked `templated`). @default false here; the
   * sequence stage turns it on (SequenceParams.pairTemplateAnchors).
   */
  templateAnchors: boolean;
  /**
   * Keep only pairs stacked on another detected pair running antiparallel (a helix stem: (a, b)
   * with (a +- 1, b -+ 1), one skipped node allowed on either side). Isolated pairs are mostly
   * non-canonical (tertiary contacts, G-quadruplex tetrads). @default true
   */
  stemsOnly: boolean;
}

export const defaultBasePairParams: BasePairParams = {
  minSugarDistanceA: 11,
  maxSugarDistanceA: 15.5,
  maxBaseDistanceA: 8,
  minFacingCosine: 0.4,
  minPathSeparation: 3,
  stemsOnly: true,
  templateAnchors: false,
};

/** Typical sugar-sugar and base-base distances of a detected pair (cost zero point), A. */
const TYPICAL_SUGAR_DISTANCE_A = 13.5;
const TYPICAL_BASE_DISTANCE_A = 5.8;
/**
 * Sugar distances within this of the typical one cost nothing: A- and B-form pairs differ by
 * ~1.5 A there (C4'-C4' ~13 vs ~14.5 A), and in B-DNA the cross-strand diagonal neighbour is
 * closer than the partner, so the base-base distance must decide.
 */
const SUGAR_DISTANCE_SLACK_A = 1.5;

export interface NodeRef {
  pathIndex: number;
  node: number;
}

export interface NodePair {
  a: NodeRef;
  b: NodeRef;
  /** Deviation from the typical pair geometry (lower is more pair-like). */
  cost: number;
  /** Whether a base of the pair was placed by the templates (templateAnchors) rather than a detected base node. */
  templated?: boolean;
}

function sub(a: readonly number[], b: readonly number[]): [number, number, number] {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}

function cosine(u: readonly number[], v: readonly number[]): number {
  const nu = Math.hypot(u[0], u[1], u[2]), nv = Math.hypot(v[0], v[1], v[2]);
  return nu > 0 && nv > 0 ? (u[0] * v[0] + u[1] * v[1] + u[2] * v[2]) / (nu * nv) : -1;
}

/**
 * Pairs of path nodes whose geometry is that of a base pair; each node in at most one pair
 * (greedy by cost, ties by node order). Nodes without a base anchor are never paired.
 * O(N) with a neighbour grid over the sugar positions.
 */
export function detectBasePairs(paths: readonly BackbonePath[], params: Partial<BasePairParams> = {}): NodePair[] {
  const p: BasePairParams = { ...defaultBasePairParams, ...params };
  const refs: NodeRef[] = [];
  paths.forEach((path, pathIndex) => path.nodes.forEach((_, node) => refs.push({ pathIndex, node })));
  const n = refs.length;
  const x = new Float64Array(n), y = new Float64Array(n), z = new Float64Array(n);
  refs.forEach((r, i) => {
    const s = paths[r.pathIndex].nodes[r.node].sugarA;
    x[i] = s[0]; y[i] = s[1]; z[i] = s[2];
  });
  const anchors: (readonly number[] | null)[] = [];
  const templated = new Uint8Array(n);
  paths.forEach((path) => {
    const q = p.templateAnchors ? pathPhosphates(path.nodes) : [];
    path.nodes.forEach((nd, k) => {
      // a detected base node where the trace attached one (oracle maps, --base-anchors detected), else the template base
      const template = !nd.baseA && q[k] && q[k + 1];
      if (template) templated[anchors.length] = 1;
      anchors.push(template ? nucleotideBaseCentroid(q[k]!, nd.sugarA, q[k + 1]!, BACKBONE_POINT_ANCHORS) : nd.baseA);
    });
  });
  const grid = new NeighbourGrid({ count: n, x, y, z }, p.maxSugarDistanceA);
  const found: { i: number; j: number; cost: number }[] = [];
  for (let i = 0; i < n; i++) {
    const u = paths[refs[i].pathIndex].nodes[refs[i].node], ua = anchors[i];
    if (!ua) continue;
    grid.forEachWithin(x[i], y[i], z[i], p.maxSugarDistanceA, (j, d2) => {
      if (j <= i) return;
      const d = Math.sqrt(d2);
      if (d < p.minSugarDistanceA) return;
      if (refs[i].pathIndex === refs[j].pathIndex && Math.abs(refs[i].node - refs[j].node) < p.minPathSeparation) return;
      const v = paths[refs[j].pathIndex].nodes[refs[j].node], va = anchors[j];
      if (!va) return;
      const dBase = Math.hypot(ua[0] - va[0], ua[1] - va[1], ua[2] - va[2]);
      if (dBase > p.maxBaseDistanceA) return;
      const uv = sub(v.sugarA, u.sugarA);
      const cu = cosine(sub(ua, u.sugarA), uv);
      const cv = -cosine(sub(va, v.sugarA), uv);
      if (cu < p.minFacingCosine || cv < p.minFacingCosine) return;
      const cost = Math.max(0, Math.abs(d - TYPICAL_SUGAR_DISTANCE_A) - SUGAR_DISTANCE_SLACK_A) + Math.abs(dBase - TYPICAL_BASE_DISTANCE_A) + 2 * (2 - cu - cv);
      found.push({ i, j, cost });
    });
  }
  found.sort((a, b) => a.cost - b.cost || a.i - b.i || a.j - b.j);
  const used = new Uint8Array(n);
  const out: NodePair[] = [];
  for (const f of found) {
    if (used[f.i] || used[f.j]) continue;
    used[f.i] = used[f.j] = 1;
    out.push({ a: refs[f.i], b: refs[f.j], cost: f.cost, templated: Boolean(templated[f.i] || templated[f.j]) });
  }
  if (!p.stemsOnly) return out;
  const key = (pathIndex: number, node: number) => `${pathIndex}:${node}`;
  const partner = new Map<string, string>();
  for (const x of out) {
    partner.set(key(x.a.pathIndex, x.a.node), key(x.b.pathIndex, x.b.node));
    partner.set(key(x.b.pathIndex, x.b.node), key(x.a.pathIndex, x.a.node));
  }
  return out.filter((q) => STEM_STEPS.some(([da, db]) => partner.get(key(q.a.pathIndex, q.a.node + da)) === key(q.b.pathIndex, q.b.node + db)));
}

/** Neighbour steps (along a, along b) of an antiparallel stacked pair; one skipped node allowed. */
const STEM_STEPS: readonly [number, number][] = [[1, -1], [-1, 1], [1, -2], [-1, 2], [2, -1], [-2, 1]];
/**
 * Evidence for the base of a node given its partner's normalised probabilities [A, UT, C, G]:
 * Watson-Crick complement (A<-U, U<-A, C<-G, G<-C) plus `wobble` x the G-U wobble partner
 * (U<-G, G<-U). Not normalised.
 */
export function complementEvidence(p: ArrayLike<number>, wobble: number): [number, number, number, number] {
  return [p[1], p[0] + wobble * p[3], p[3], p[2] + wobble * p[1]];
}

function normalisedEvidence(e: BaseEvidence): number[] {
  const s = e[0] + e[1] + e[2] + e[3];
  return s > 0 ? [e[0] / s, e[1] / s, e[2] / s, e[3] / s] : [0.25, 0.25, 0.25, 0.25];
}

/**
 * Copies of the paths whose paired nodes carry combined match evidence (`matchEvidence`):
 * normalised own evidence plus `weight` x the complement of the partner's normalised evidence.
 * With `normalise` the sum is brought back to 1 (a paired node scores at most 100, like any
 * node); without, a paired node counts its two observations (up to 100 x (1 + weight)).
 * Unpaired nodes keep their normalised evidence; the input is not modified. Paths whose nodes have a
 * reverse reading (baseEvidenceReverse) also get `matchEvidenceReverse`, built the same way from it (the
 * partner's evidence as its own path reads it).
 */
export function withPairEvidence(paths: readonly BackbonePath[], pairs: readonly NodePair[], weight: number | ((pair: NodePair) => number), wobble: number, normalise = true): AlignPath[] {
  const out: AlignPath[] = paths.map((p) => {
    const ev = new Float32Array(4 * p.nodes.length);
    p.nodes.forEach((node, k) => ev.set(normalisedEvidence(node.baseEvidence), 4 * k));
    if (!p.nodes.some((n) => n.baseEvidenceReverse)) return { ...p, matchEvidence: ev };
    const rev = new Float32Array(4 * p.nodes.length);
    p.nodes.forEach((node, k) => rev.set(normalisedEvidence(node.baseEvidenceReverse ?? node.baseEvidence), 4 * k));
    return { ...p, matchEvidence: ev, matchEvidenceReverse: rev };
  });
  const weightOf = typeof weight === 'number' ? () => weight : weight;
  for (const pair of pairs) {
    const w = weightOf(pair);
    if (!(w > 0)) continue;
    for (const [self, other] of [[pair.a, pair.b], [pair.b, pair.a]] as const) {
      const node = paths[self.pathIndex].nodes[self.node], target = out[self.pathIndex];
      const comp = complementEvidence(normalisedEvidence(paths[other.pathIndex].nodes[other.node].baseEvidence), wobble);
      for (const [own, into] of [[node.baseEvidence, target.matchEvidence!], [node.baseEvidenceReverse ?? node.baseEvidence, target.matchEvidenceReverse]] as const) {
        if (!into) continue;
        const e = normalisedEvidence(own).map((v, b) => v + w * comp[b]);
        const s = normalise ? e[0] + e[1] + e[2] + e[3] : 1;
        into.set([e[0] / s, e[1] / s, e[2] / s, e[3] / s], 4 * self.node);
      }
    }
  }
  return out;
}
