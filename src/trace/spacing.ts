/**
 * One node per nucleotide along a traced route (issue 13; not in CryoREAD, which builds a nucleotide
 * at every routed sugar node).
 *
 * Why: the sugar class covers every sugar atom, and on maps unlike the training maps it covers more, so
 * mean shift leaves 2-5 sugar nodes per nucleotide; routing threads all of them, and the model gets
 * nucleotides 3-4 A apart where consecutive C4' atoms are 5.5-6.5 A apart (measured on 3,000 pairs,
 * shared/data/geometry/nucleotide_distance_stats.json: 5.9 +- 0.4 A in helices). Every extra node is an
 * extra nucleotide, and the sequence stage's geometric terms assume real spacing.
 *
 * How: along the route (in routing order) choose the subsequence of nodes that maximises
 *   sum over kept nodes of `nodeReward` (+ `densityReward` x node density)
 *   - sum over consecutive kept nodes of ((d - spacingA) / sd)^2, capped at `maxLinkCost` (sd = spacingSdA
 *     below spacingA, spacingSdLongA above: a short link is a duplicate, a long one a stretched real link;
 *     a link of about twice the spacing may instead count as one missing nucleotide, `skipCost`),
 *   - `bridgeWeight` x the phosphate-bridge excess of each kept link (consecutive nucleotides have a
 *     phosphate between them; trace-backbones' bridgePenalty, in A),
 * with kept links no longer than `maxLinkA`; a break (a longer gap) costs `breakCost` and ends one run of
 * nucleotides (the route comes back as several pieces). Exact by dynamic programming over a window of
 * predecessors: O(n x window) for n route nodes.
 */

export interface SpacingParams {
  /** Turn the selection on. @default true */
  enabled: boolean;
  /** Expected distance between consecutive nucleotides' sugar points, A. @default 6.0 */
  spacingA: number;
  /** Tolerance of shorter links, A (short links are what duplicate nodes make). @default 0.9 */
  spacingSdA: number;
  /** Tolerance of longer links, A (stretched real links next to a missing node, loops). @default 1.5 */
  spacingSdLongA: number;
  /** Reward per kept node (in units of the squared-deviation cost). @default 3 */
  nodeReward: number;
  /** Extra reward x the node's normalised density (0..1). @default 1 */
  densityReward: number;
  /**
   * Cost of a link that spans one missing nucleotide (a node the detection lost): such links are scored
   * as this plus ((d - 2 x spacingA + 0.5) / 2)^2 when cheaper than the plain spacing term. @default 2
   */
  skipCost: number;
  /** Cap of the spacing cost of one link. @default 12 */
  maxLinkCost: number;
  /** Longest link between kept nodes, A; longer gaps split the route. @default 13 */
  maxLinkA: number;
  /** Weight of the phosphate-bridge excess (A) of a kept link. @default 0.5 */
  bridgeWeight: number;
  /** Cost of a break between two kept runs (a link longer than maxLinkA, or none). @default 8 */
  breakCost: number;
  /** Predecessors searched: the previous `window` route nodes. @default 12 */
  window: number;
}

export const defaultSpacingParams: Readonly<SpacingParams> = Object.freeze({
  enabled: true, spacingA: 6.0, spacingSdA: 0.9, spacingSdLongA: 1.5, nodeReward: 3, densityReward: 1, skipCost: 2, maxLinkCost: 12, maxLinkA: 13, bridgeWeight: 0.5, breakCost: 8, window: 12,
});

export interface SpacingInput {
  /** Route node positions in routing order. */
  points: readonly (readonly [number, number, number])[];
  /** Normalised density per node (0..1), optional. */
  density?: readonly number[];
  /** Phosphate-bridge excess (A) of a link between route positions a < b, optional. */
  bridgeExcessA?: (a: number, b: number) => number;
}

/**
 * Kept route positions, as runs of consecutive nucleotides (each run a list of indices into `points`,
 * increasing). Deterministic: ties keep the earlier predecessor.
 */
export function selectNucleotideNodes(input: SpacingInput, params: Partial<SpacingParams> = {}): number[][] {
  const p: SpacingParams = { ...defaultSpacingParams, ...params };
  const pts = input.points;
  const n = pts.length;
  if (!p.enabled || n <= 1) return n ? [pts.map((_, i) => i)] : [];
  const reward = (i: number) => p.nodeReward + p.densityReward * Math.min(1, Math.max(0, input.density?.[i] ?? 0));
  // best[i]: best score of a selection whose last kept node is i; prev[i]: the kept node before i (-1: none);
  // split[i]: the link prev[i] -> i is a break (the run ends at prev[i]). Float64: one entry per route node.
  const best = new Float64Array(n), prev = new Int32Array(n).fill(-1), split = new Uint8Array(n); // DP scores, one per route node (hundreds, not voxels)
  let bestSoFar = -Infinity, bestSoFarArg = -1; // max of best[j] over j < i
  for (let i = 0; i < n; i++) {
    const r = reward(i);
    let s = r, arg = -1, brk = 0;
    if (bestSoFarArg >= 0 && bestSoFar + r - p.breakCost > s) { s = bestSoFar + r - p.breakCost; arg = bestSoFarArg; brk = 1; }
    for (let j = i - 1; j >= 0 && i - j <= p.window; j--) {
      const d = Math.hypot(pts[i][0] - pts[j][0], pts[i][1] - pts[j][1], pts[i][2] - pts[j][2]);
      if (d > p.maxLinkA) continue;
      const dev = (d - p.spacingA) / (d < p.spacingA ? p.spacingSdA : p.spacingSdLongA);
      const skip = (d - 2 * p.spacingA + 0.5) / 2;
      let c = Math.min(p.maxLinkCost, dev * dev, p.skipCost + skip * skip);
      if (input.bridgeExcessA && p.bridgeWeight > 0) c += p.bridgeWeight * input.bridgeExcessA(j, i);
      const v = best[j] + r - c;
      if (v > s) { s = v; arg = j; brk = 0; }
    }
    best[i] = s; prev[i] = arg; split[i] = brk;
    if (s > bestSoFar) { bestSoFar = s; bestSoFarArg = i; }
  }
  const runs: number[][] = [];
  let cur: number[] = [];
  for (let k = bestSoFarArg; k >= 0; k = prev[k]) {
    cur.push(k);
    if (split[k] || prev[k] < 0) { runs.push(cur.reverse()); cur = []; }
  }
  return runs.reverse();
}
