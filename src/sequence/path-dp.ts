/**
 * Chain-structured dynamic program along one path: picks at most one candidate per window so that
 * every picked candidate agrees with the previously picked overlapping one (same record and
 * orientation, >= overlapIdentity of shared nodes mapped identically: the collision rules of
 * reference section 16 restricted to one path) and the total score is maximal.
 * A chain may also resume its story (same record, orientation and diagonal within 3 residues)
 * after windows whose top list missed it, for free; starting a new story costs
 * `newFragmentPenalty`, so with noisy base calls one long consistent placement beats a patchwork
 * of locally better but unrelated ones (not in the original; measured on real geometry with 50 %
 * correct base calls, where 20-node windows alone are barely informative).
 * Compatibility is checked against the predecessor in the chain only (the original checks all
 * pairs with CP-SAT); for windows of one consistent alignment this is the same thing, and the
 * re-alignment of each run (section 17) makes the final mapping consistent anyway.
 * O(T x k^2 x size/stride) for T windows of k candidates.
 */
import type { AlignmentCandidate } from './types.js';
import type { Window } from './windows.js';

export interface BannedInterval {
  recordIndex: number;
  /** Interval in record (not oriented) residue coordinates, inclusive. */
  interval: [number, number];
}

export function recordInterval(c: Pick<AlignmentCandidate, 'interval' | 'orientation'>, recordLength: number): [number, number] {
  return c.orientation === 1 ? [c.interval[0], c.interval[1]] : [recordLength - 1 - c.interval[1], recordLength - 1 - c.interval[0]];
}

export function overlapLength(a: [number, number], b: [number, number]): number {
  return Math.max(0, Math.min(a[1], b[1]) - Math.max(a[0], b[0]) + 1);
}

/** Residue offset (residue index - path node index) of a candidate's first assigned node. */
export function diagonalOffset(c: AlignmentCandidate): number {
  for (let k = 0; k < c.nodeCount; k++) if (c.mapping[k] >= 0) return c.mapping[k] - (c.nodeStart + k);
  return 0;
}

/** Offsets within this many residues count as the same placement (skips shift the diagonal). */
const STORY_SLACK = 3;

function storyKey(c: AlignmentCandidate): string {
  return `${c.recordIndex}:${c.orientation}:${diagonalOffset(c)}`;
}

/** True when two candidates of overlapping windows of one path tell the same story. */
export function compatible(a: AlignmentCandidate, b: AlignmentCandidate, minIdentity: number): boolean {
  if (a.recordIndex !== b.recordIndex || a.orientation !== b.orientation) return false;
  const lo = Math.max(a.nodeStart, b.nodeStart);
  const hi = Math.min(a.nodeStart + a.nodeCount, b.nodeStart + b.nodeCount);
  if (hi <= lo) return true;
  let same = 0;
  for (let k = lo; k < hi; k++) if (a.mapping[k - a.nodeStart] === b.mapping[k - b.nodeStart]) same++;
  // Original rule: >= 80 % identical over the shared nodes. Added: the same placement (diagonal
  // within STORY_SLACK) also agrees: with noisy base calls the best alignments of two overlapping
  // windows often put their skips in different places while telling the same story.
  return same / (hi - lo) >= minIdentity || Math.abs(diagonalOffset(a) - diagonalOffset(b)) <= STORY_SLACK;
}

/**
 * Best selection for one path. `windows`/`candidates` are that path's, sorted by window start.
 * Candidates hitting a banned interval (overlap >= banFraction of the longer) are ignored.
 */
export function selectAlongPath(
  windows: readonly Window[],
  candidates: readonly AlignmentCandidate[][],
  minIdentity: number,
  recordLengths: readonly number[],
  banned: readonly BannedInterval[] = [],
  banFraction = 0.2,
  banResidues = 3,
  newFragmentPenalty = 300,
): AlignmentCandidate[] {
  const T = windows.length;
  const usable = candidates.map((list) =>
    list.filter((c) => {
      if (banned.length === 0) return true;
      const ri = recordInterval(c, recordLengths[c.recordIndex]);
      return !banned.some((b) => b.recordIndex === c.recordIndex && overlapLength(ri, b.interval) >= Math.min(banResidues, banFraction * Math.max(ri[1] - ri[0] + 1, b.interval[1] - b.interval[0] + 1)));
    }),
  );
  // per-window chain values (a few dozen candidates per window): float64 accumulators, small
  const best: Float64Array[] = [];
  const predT: Int32Array[] = [];
  const predC: Int32Array[] = [];
  const bestAny = new Float64Array(T);
  const bestAnyC = new Int32Array(T).fill(-1);
  // prefix maximum of bestAny over windows [0, t] and where it is reached
  const prefix = new Float64Array(T);
  const prefixAt = new Int32Array(T).fill(-1);
  // Story continuity: best chain value ending in a candidate of a window that no longer overlaps
  // the current one, keyed by (record, orientation, diagonal offset = residue - node).
  const story = new Map<string, { value: number; t: number; c: number }>();
  let inserted = 0; // windows [0, inserted) are in `story`
  for (let t = 0; t < T; t++) {
    const w = windows[t];
    const list = usable[t];
    const b = new Float64Array(list.length);
    const pt = new Int32Array(list.length).fill(-1);
    const pc = new Int32Array(list.length).fill(-1);
    // windows ending before w starts (ends are monotone in start for CryoREAD windows)
    let u = t - 1;
    while (u >= 0 && windows[u].nodeStart + windows[u].nodeCount > w.nodeStart) u--;
    for (; inserted <= u; inserted++) {
      usable[inserted].forEach((cand, ci) => {
        const key = storyKey(cand);
        const cur = story.get(key);
        if (!cur || best[inserted][ci] > cur.value) story.set(key, { value: best[inserted][ci], t: inserted, c: ci });
      });
    }
    for (let ci = 0; ci < list.length; ci++) {
      const c = list[ci];
      // a new fragment (fresh start, or after a predecessor telling another story) pays newFragmentPenalty
      let from = -newFragmentPenalty, fT = -1, fC = -1;
      if (u >= 0 && prefix[u] - newFragmentPenalty > from) { from = prefix[u] - newFragmentPenalty; fT = prefixAt[u]; fC = bestAnyC[prefixAt[u]]; }
      // the same story resumed after windows where it was missing from the top list: free
      const off = diagonalOffset(c);
      for (let d = -STORY_SLACK; d <= STORY_SLACK; d++) {
        const hit = story.get(`${c.recordIndex}:${c.orientation}:${off + d}`);
        if (hit && hit.value > from) { from = hit.value; fT = hit.t; fC = hit.c; }
      }
      for (let tp = u + 1; tp < t; tp++) {
        const lp = usable[tp];
        for (let cj = 0; cj < lp.length; cj++) {
          if (best[tp][cj] > from && compatible(lp[cj], c, minIdentity)) { from = best[tp][cj]; fT = tp; fC = cj; }
        }
      }
      b[ci] = c.score + from;
      pt[ci] = fT; pc[ci] = fC;
    }
    best.push(b); predT.push(pt); predC.push(pc);
    let ba = -Infinity, bac = -1;
    for (let ci = 0; ci < b.length; ci++) if (b[ci] > ba) { ba = b[ci]; bac = ci; }
    bestAny[t] = bac >= 0 ? ba : -Infinity;
    bestAnyC[t] = bac;
    const prevPrefix = t > 0 ? prefix[t - 1] : -Infinity;
    if (bestAny[t] > prevPrefix) { prefix[t] = bestAny[t]; prefixAt[t] = t; }
    else { prefix[t] = prevPrefix; prefixAt[t] = t > 0 ? prefixAt[t - 1] : -1; }
  }
  if (T === 0 || prefixAt[T - 1] < 0 || !(prefix[T - 1] > 0)) return [];
  const picked: AlignmentCandidate[] = [];
  let t = prefixAt[T - 1], c = bestAnyC[t];
  while (t >= 0 && c >= 0) {
    picked.push(usable[t][c]);
    const nt = predT[t][c], nc = predC[t][c];
    t = nt; c = nc;
  }
  return picked.reverse();
}
