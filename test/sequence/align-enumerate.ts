/** Exhaustive enumeration of window alignments (test helper for align-exhaustive.test.ts). */
import { gapPenalty, matchScore, type AlignOptions, type SpanInput } from '../../src/sequence/align.js';
import { UNKNOWN_BASE } from '../../src/sequence/records.js';

const MAX_NODE_SKIPS = 2;
const TIGHT = 20;

/** Best score over every alignment of `span` to `codes` (exhaustive DFS over the move sequences). */
export function exhaustiveBest(span: SpanInput, codes: Uint8Array, opts: AlignOptions, trace?: { best: string[] }): number {
  const L = span.length, N = codes.length;
  const d = (a: number, b: number) => Math.hypot(span.positionsA[3 * a] - span.positionsA[3 * b], span.positionsA[3 * a + 1] - span.positionsA[3 * b + 1], span.positionsA[3 * a + 2] - span.positionsA[3 * b + 2]);
  const m = (node: number, res: number) => {
    const c = codes[res];
    if (c < 4) return matchScore(span.probabilities[4 * node + c]);
    if (c === UNKNOWN_BASE) { let s = 0; for (let t = 0; t < 4; t++) s += matchScore(span.probabilities[4 * node + t]); return s / 4; }
    return -1e9;
  };
  const hLimit = Math.floor(0.15 * L);
  const endSkip = opts.endNodeSkipPenalty ?? 0;
  const skipMin = opts.nodeSkipPenalty ?? 80;
  /** Cost of leaving node n unassigned when the last assigned node is q. */
  const nodeSkipCost = (n: number, q: number) => {
    const dq = d(q, n);
    const reasonable = dq <= 4 || (n + 1 < L && dq + d(n, n + 1) < 10);
    return reasonable ? 0 : Math.max(10 * (dq - 7) ** 2, skipMin);
  };
  let best = -Infinity;
  const path: string[] = [];
  const finish = (sc: number) => { if (sc > best) { best = sc; if (trace) trace.best = [...path]; } };
  const go = (label: string, f: () => void) => { if (trace) path.push(label); f(); if (trace) path.pop(); };
  // Node n was just assigned (or residues skipped after it): `res` = last residue consumed (0-based),
  // hs = residue skips counted for the growing penalty, hr = residues skipped since node n.
  const afterAssigned = (n: number, res: number, hs: number, hr: number, sc: number): void => {
    if (opts.local) finish(sc - endSkip * (L - 1 - n));
    else if (n === L - 1) finish(sc);
    if (n + 1 >= L) return;
    // skip residue res + 1
    if (res + 1 < N) {
      const c = hs + 1;
      const tight = d(n, n + 1) < 8 ? TIGHT : 1;
      go(`skipres${res + 1}`, () => afterAssigned(n, res + 1, c, hr + 1, sc - tight * (c > hLimit ? opts.residueSkipPenalty * c : opts.residueSkipPenalty)));
    }
    // next node takes the next residue
    if (res + 1 < N) go(`n${n + 1}=r${res + 1}`, () => afterAssigned(n + 1, res + 1, hs, 0, sc + m(n + 1, res + 1) - gapPenalty(d(n, n + 1), 1 + hr)));
    // next node skipped
    go(`skipnode${n + 1}`, () => afterSkipped(n, n + 1, res, hr, sc - nodeSkipCost(n + 1, n)));
    // jump: next node takes any residue
    if (opts.jumpPenalty !== undefined) for (let j = 0; j < N; j++) go(`jump n${n + 1}=r${j}`, () => afterAssigned(n + 1, j, 0, 0, sc + m(n + 1, j) - opts.jumpPenalty!));
  };
  // Nodes q+1..s are skipped after node q was assigned.
  const afterSkipped = (q: number, s: number, res: number, hr: number, sc: number): void => {
    if (!opts.local && s === L - 1) finish(sc);
    if (s + 1 >= L) return;
    if (res + 1 < N) go(`n${s + 1}=r${res + 1}`, () => afterAssigned(s + 1, res + 1, 0, 0, sc + m(s + 1, res + 1) - gapPenalty(d(q, s + 1), 1 + hr)));
    if (s - q < MAX_NODE_SKIPS) go(`skipnode${s + 1}`, () => afterSkipped(q, s + 1, res, hr, sc - nodeSkipCost(s + 1, q)));
  };
  for (let n = 0; n < L; n++) for (let j = 0; j < N; j++) go(`start n${n}=r${j}`, () => afterAssigned(n, j, 0, 0, m(n, j) - endSkip * n));
  return best;
}

export function randomCase(rng: () => number, residueSkips = true) {
  const L = 3 + Math.floor(rng() * 3), N = 3 + Math.floor(rng() * 3);
  const pos = new Float32Array(3 * L);
  let dir = [1, 0, 0];
  for (let i = 1; i < L; i++) {
    // normal step ~6 A, sometimes long (a nucleotide missing) or short (a spurious node)
    const u = rng();
    const step = u < 0.2 ? 10 + 3 * rng() : u < 0.35 ? 2 + 2 * rng() : 5.2 + 1.5 * rng();
    dir = [dir[0] + 0.6 * (rng() - 0.5), dir[1] + 0.6 * (rng() - 0.5), dir[2] + 0.6 * (rng() - 0.5)];
    const n = Math.hypot(dir[0], dir[1], dir[2]);
    for (let a = 0; a < 3; a++) pos[3 * i + a] = pos[3 * (i - 1) + a] + (step * dir[a]) / n;
  }
  const prob = new Float32Array(4 * L);
  for (let i = 0; i < L; i++) {
    const w = [rng(), rng(), rng(), rng()].map((x) => x ** 3);
    const s = w.reduce((a, b) => a + b, 0);
    for (let t = 0; t < 4; t++) prob[4 * i + t] = w[t] / s;
  }
  const codes = new Uint8Array(N).map(() => (rng() < 0.1 ? UNKNOWN_BASE : Math.floor(rng() * 4)));
  const opts: AlignOptions = {
    topK: 5,
    residueSkipPenalty: residueSkips ? 25 : 1e7,
    local: rng() < 0.5,
    endNodeSkipPenalty: rng() < 0.5 ? 0 : 30,
    ...(rng() < 0.4 ? { jumpPenalty: 150 } : {}),
  };
  return { span: { probabilities: prob, positionsA: pos, length: L }, codes, opts };
}

