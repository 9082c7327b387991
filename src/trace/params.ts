import { defaultRethreadParams, type RethreadParams } from './rethread.js';
import { defaultSpacingParams, type SpacingParams } from './spacing.js';
import { defaultJoinEndsParams, type JoinEndsParams } from './join-ends.js';

/**
 * Parameters of backbone tracing (reference sections 10-13), with CryoREAD's values as defaults.
 * Lengths in Angstroms.
 */
export interface TraceParams {
  /** Sugar-graph edges must be shorter than this (also the extension and relaxation radius). @default 10 (CryoREAD R, A) */
  maxEdgeA: number;
  /** An edge is pruned when the (unedited) base-region probability reaches this at any of its 6 samples. @default 0.5 (CryoREAD) */
  basePruneProbability: number;
  /** Extension edges need the edited sugar probability above this at all 6 samples. @default 0.1 (CryoREAD) */
  extensionSugarProbability: number;
  /** Length multiplier of extension edges. @default 3 (CryoREAD) */
  extensionPenalty: number;
  /** Mean-shift bandwidth for the edge-cost kernel density, as in clustering. @default 3 (CryoREAD g, A) */
  bandwidthA: number;
  /** Number of vehicles; 0 = CryoREAD's max(5, ceil(N / 20)). @default 0 */
  vehicles: number;
  /**
   * Cost of opening a route, in the integer routing units (edge cost x 100), as a distance: a route is
   * worth opening instead of a non-graph link longer than this. CryoREAD has no such cost, so its
   * solver always uses every vehicle and cuts single chains into >= 5 pieces. @default 7.5 (A)
   */
  routeOpenLinkA: number;
  /**
   * Phosphate-bridge term (not in CryoREAD, which routes on sugars only): consecutive sugars have a
   * phosphate node between them, so a link a-b whose best phosphate has excess
   * e = min_p d(a,p) + d(p,b) - d(a,b) above `bridgeFreeA` costs `bridgeWeight` x (e - bridgeFreeA)
   * extra, in A of link length. On oracle maps e is 2.6-3.9 A for consecutive sugars. 0 disables. @default 3
   */
  bridgeWeight: number;
  /** @default 4 (A) */
  bridgeFreeA: number;
  /** After routing, cut routes at links that are not graph edges and longer than this (CryoREAD: never cuts). @default 8 (A) */
  splitJumpA: number;
  /**
   * A path is cut where its direction votes change sign (two strands joined end to end by routing)
   * when the weaker side sums to at least this many votes (see trace/direction.ts). Not in CryoREAD. @default 1.5
   */
  directionSplitVote: number;
  /** Routes with fewer nodes are discarded. @default 3 (CryoREAD keeps routes with more than 2 nodes) */
  minPathNodes: number;
  /**
   * Optional wall-clock cap of routing = timeBudgetMs + timePerNodeMs x nodes, ms; 0 and 0 = none: the
   * search stops after maxRounds, so the same inputs give the same trace on any machine (CryoREAD
   * stops on time only: max(3600 s, 2.5 s x N)). @default 0
   */
  timeBudgetMs: number;
  /** @default 0 (ms per sugar node) */
  timePerNodeMs: number;
  /** Perturbation rounds of the iterated local search (the default stop; deterministic). @default 200 */
  maxRounds: number;
  /** Seed of the routing perturbations. @default 1 */
  seed: number;
  /** Phosphate-to-sugar cut-off for attachment. @default 7 (CryoREAD, A) */
  phosphateCutoffA: number;
  /** A consecutive sugar pair accepts a bridging phosphate when d(s_k,p) + d(s_k+1,p) is at most this. @default 14 (CryoREAD, A) */
  phosphatePairSumA: number;
  /** Base evidence from a base node farther than this from the sugar is halved. @default 10 (CryoREAD, A) */
  baseEvidenceFarA: number;
  /** Base evidence for a phosphate pair is halved when d(p_a, b) + d(p_b, b) exceeds this. @default 20 (CryoREAD, A) */
  basePairFarA: number;
  /**
   * Weight of the base-type vector found between a sugar's two phosphates (the base node minimising
   * d(P5', b) + d(P3', b)). CryoREAD adds it twice (forward and reverse phosphate tables). On oracle maps
   * that base is often the neighbour's: letters right drop from 0.99-1.0 (sugar term only) to
   * 0.78-0.86 (4W90, 5M0H), so the default leaves it out. @default 0 (CryoREAD: 2)
   */
  phosphatePairEvidenceWeight: number;
  /** The base anchor of a sugar is its nearest base node within this distance (CryoREAD: no cut-off). @default 8 (A) */
  baseAnchorMaxA: number;
  /**
   * One node per nucleotide along each route (spacing.ts; not in CryoREAD): route nodes are thinned to
   * nucleotide spacing before phosphates and bases are attached. Partial values are merged with the defaults.
   */
  spacing: SpacingParams;
  /**
   * Phosphate re-threading (rethread.ts; not in CryoREAD), when traceBackbones gets the map: after routing and direction, each path's
   * nucleotides are re-placed between consecutive phosphate nodes along it. Partial values are merged
   * with the defaults.
   */
  rethread: RethreadParams;
  /**
   * Joining paths end to end after re-threading (join-ends.ts; not in CryoREAD): a 3' end and a 5' end that
   * share a phosphate or nearly touch. Partial values are merged with the defaults.
   */
  joinEnds: JoinEndsParams;
}

/** What callers pass: any subset, `spacing` merged field by field with its defaults. */
export type TraceParamsInput = Partial<Omit<TraceParams, 'spacing' | 'rethread' | 'joinEnds'>> & { spacing?: Partial<SpacingParams>; rethread?: Partial<RethreadParams>; joinEnds?: Partial<JoinEndsParams> };

export const defaultTraceParams: Readonly<TraceParams> = Object.freeze({
  maxEdgeA: 10,
  basePruneProbability: 0.5,
  extensionSugarProbability: 0.1,
  extensionPenalty: 3,
  bandwidthA: 3,
  vehicles: 0,
  routeOpenLinkA: 7.5,
  bridgeWeight: 3,
  bridgeFreeA: 4,
  splitJumpA: 8,
  directionSplitVote: 1.5,
  minPathNodes: 3,
  timeBudgetMs: 0,
  timePerNodeMs: 0,
  maxRounds: 200,
  seed: 1,
  phosphateCutoffA: 7,
  phosphatePairSumA: 14,
  baseEvidenceFarA: 10,
  basePairFarA: 20,
  phosphatePairEvidenceWeight: 0,
  baseAnchorMaxA: 8,
  spacing: defaultSpacingParams,
  rethread: defaultRethreadParams,
  joinEnds: defaultJoinEndsParams,
});
