/**
 * Chain-structured dynamic program along one path: picks at most one candidate per window so that
 * every picked candidate agrees with the previously picked overlapping one (same record and
 * orientation, >= overlapIdentity of shared nodes mapped identically: the collision rules of
 * reference section 16 restricted to one path) and the total score is maximal.
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

/** True when two candidates of overlapping windows of one path tell the same story. */
export function compatible(a: AlignmentCandidate, b: AlignmentCandidate, minIdentity: number): boolean {
  if (a.recordIndex !== b.recordIndex || a.orientation !== b.orientation) return false;
  const lo = Math.max(a.nodeStart, b.nodeStart);
  const hi = Math.min(a.nodeStart + a.nodeCount, b.nodeStart + b.nodeCount);
  if (hi <= lo) return true;
  let same = 0;
  for (let k = lo; k < hi; k++) if (a.mapping[k - a.nodeStart] === b.mapping[k - b.nodeStart]) same++;
  return same / (hi - lo) >= minIdentity;
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
): AlignmentCandidate[] {
  const T = windows.length;
  const usable = candidates.map((list) =>
    list.filter((c) => {
      if (banned.length === 0) return true;
      const ri = recordInterval(c, recordLengths[c.recordIndex]);
      return !banned.some((b) => b.recordIndex === c.recordIndex && overlapLength(ri, b.interval) >= banFraction * Math.max(ri[1] - ri[0] + 1, b.interval[1] - b.interval[0] + 1));
    }),
  );
  const best: Float64Array[] = [];
  const predT: Int32Array[] = [];
  const predC: Int32Array[] = [];
  const bestAny = new Float64Array(T);
  const bestAnyC = new Int32Array(T).fill(-1);
  // prefix maximum of bestAny over windows [0, t] and where it is reached
  const prefix = new Float64Array(T);
  const prefixAt = new Int32Array(T).fill(-1);
  for (let t = 0; t < T; t++) {
    const w = windows[t];
    const list = usable[t];
    const b = new Float64Array(list.length);
    const pt = new Int32Array(list.length).fill(-1);
    const pc = new Int32Array(list.length).fill(-1);
    // windows certainly not overlapping: start + count <= w.start; find the last index u with that property among a sorted prefix
    let u = t - 1;
    while (u >= 0 && windows[u].nodeStart + windows[u].nodeCount > w.nodeStart) u--;
    // every window before u+1 ends before w starts only if ends are monotone; verify on the fly below
    for (let ci = 0; ci < list.length; ci++) {
      const c = list[ci];
      let from = 0, fT = -1, fC = -1;
      if (u >= 0 && prefix[u] > from) { from = prefix[u]; fT = prefixAt[u]; fC = bestAnyC[prefixAt[u]]; }
      for (let tp = u + 1; tp < t; tp++) {
        const wp = windows[tp];
        const overlaps = wp.nodeStart + wp.nodeCount > w.nodeStart;
        if (!overlaps) {
          if (bestAny[tp] > from) { from = bestAny[tp]; fT = tp; fC = bestAnyC[tp]; }
          continue;
        }
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
