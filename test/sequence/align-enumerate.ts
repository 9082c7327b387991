/** Exhaustive enumeration of window alignments (test helper for align-exhaustive.test.ts). */
import { gapPenalty, matchScore, type AlignOptions, type SpanInput } from '../../src/sequence/align.js';
import { UNKNOWN_BASE } from '../../src/sequence/records.js';

const MAX_NODE_SKIPS = 2;
const TIGHT = 20;
/** The r-th residue of one run skipped after a node costs the plain penalty up to min(3, floor(0.15 L)), 4x beyond. */
const runCost = (r: number, L: number, penalty: number) => (r <= Math.min(3, Math.floor(0.15 * L)) ? penalty : 4 * penalty);

/** The scoring rules both enumerators use: node distance, match score, end-skip and node-skip costs. */
function scoringRules(span: SpanInput, codes: Uint8Array, opts: AlignOptions) {
  const L = span.length;
  const d = (a: number, b: number) => Math.hypot(span.positionsA[3 * a] - span.positionsA[3 * b], span.positionsA[3 * a + 1] - span.positionsA[3 * b + 1], span.positionsA[3 * a + 2] - span.positionsA[3 * b + 2]);
  const m = (node: number, res: number) => {
    const c = codes[res];
    if (c < 4) return matchScore(span.probabilities[4 * node + c]);
    if (c === UNKNOWN_BASE) { let s = 0; for (let t = 0; t < 4; t++) s += matchScore(span.probabilities[4 * node + t]); return s / 4; }
    return -1e9;
  };
  const endSkip = opts.endNodeSkipPenalty ?? 0;
  const skipMin = opts.nodeSkipPenalty ?? 80;
  /** Cost of leaving node n unassigned when the last assigned node is q. */
  const nodeSkipCost = (n: number, q: number) => {
    const dq = d(q, n);
    const reasonable = dq <= 4 || (n + 1 < L && dq + d(n, n + 1) < 10);
    return reasonable ? 0 : Math.max(10 * (dq - 7) ** 2, skipMin);
  };
  return { d, m, endSkip, nodeSkipCost };
}

/** Best score over every alignment of `span` to `codes` (exhaustive DFS over the move sequences). */
export function exhaustiveBest(span: SpanInput, codes: Uint8Array, opts: AlignOptions, trace?: { best: string[] }): number {
  const L = span.length, N = codes.length;
  const { d, m, endSkip, nodeSkipCost } = scoringRules(span, codes, opts);
  let best = -Infinity;
  const path: string[] = [];
  const finish = (sc: number) => { if (sc > best) { best = sc; if (trace) trace.best = [...path]; } };
  const go = (label: string, f: () => void) => { if (trace) path.push(label); f(); if (trace) path.pop(); };
  // Node n was just assigned (or residues skipped after it): `res` = last residue consumed (0-based),
  // hr = residues skipped since node n.
  const afterAssigned = (n: number, res: number, hr: number, sc: number): void => {
    if (opts.local) finish(sc - endSkip * (L - 1 - n));
    else if (n === L - 1) finish(sc);
    if (n + 1 >= L) return;
    // skip residue res + 1
    if (res + 1 < N) {
      const tight = d(n, n + 1) < 8 ? TIGHT : 1;
      go(`skipres${res + 1}`, () => afterAssigned(n, res + 1, hr + 1, sc - tight * runCost(hr + 1, L, opts.residueSkipPenalty)));
    }
    // next node takes the next residue
    if (res + 1 < N) go(`n${n + 1}=r${res + 1}`, () => afterAssigned(n + 1, res + 1, 0, sc + m(n + 1, res + 1) - gapPenalty(d(n, n + 1), 1 + hr)));
    // next node skipped
    go(`skipnode${n + 1}`, () => afterSkipped(n, n + 1, res, hr, sc - nodeSkipCost(n + 1, n)));
    // jump: next node takes any residue
    if (opts.jumpPenalty !== undefined) for (let j = 0; j < N; j++) go(`jump n${n + 1}=r${j}`, () => afterAssigned(n + 1, j, 0, sc + m(n + 1, j) - opts.jumpPenalty!));
  };
  // Nodes q+1..s are skipped after node q was assigned.
  const afterSkipped = (q: number, s: number, res: number, hr: number, sc: number): void => {
    if (!opts.local && s === L - 1) finish(sc);
    if (s + 1 >= L) return;
    if (res + 1 < N) go(`n${s + 1}=r${res + 1}`, () => afterAssigned(s + 1, res + 1, 0, sc + m(s + 1, res + 1) - gapPenalty(d(q, s + 1), 1 + hr)));
    if (s - q < MAX_NODE_SKIPS) go(`skipnode${s + 1}`, () => afterSkipped(q, s + 1, res, hr, sc - nodeSkipCost(s + 1, q)));
  };
  for (let n = 0; n < L; n++) for (let j = 0; j < N; j++) go(`start n${n}=r${j}`, () => afterAssigned(n, j, 0, m(n, j) - endSkip * n));
  return best;
}

/**
 * Score of one alignment given as a mapping (residue per node or -1), without jumps, from the same
 * rules; -Infinity when the scoring model does not allow it (more than 2 nodes skipped in a row,
 * residues not increasing, trailing nodes in a global alignment beyond 2).
 */
export function scoreMapping(span: SpanInput, codes: Uint8Array, opts: AlignOptions, mapping: Int32Array): number {
  const L = span.length;
  const { d, m, endSkip, nodeSkipCost } = scoringRules(span, codes, opts);
  const nodes: number[] = [];
  for (let n = 0; n < L; n++) if (mapping[n] >= 0) nodes.push(n);
  if (nodes.length === 0) return -Infinity;
  let sc = m(nodes[0], mapping[nodes[0]]) - endSkip * nodes[0];
  for (let t = 1; t < nodes.length; t++) {
    const a = nodes[t - 1], b = nodes[t], ra = mapping[a], rb = mapping[b];
    if (rb <= ra || b - a - 1 > MAX_NODE_SKIPS) return -Infinity;
    const hr = rb - ra - 1;
    const tight = d(a, a + 1) < 8 ? TIGHT : 1;
    for (let r = 1; r <= hr; r++) sc -= tight * runCost(r, L, opts.residueSkipPenalty);
    for (let n = a + 1; n < b; n++) sc -= nodeSkipCost(n, a);
    sc += m(b, rb) - gapPenalty(d(a, b), 1 + hr);
  }
  const last = nodes[nodes.length - 1];
  if (opts.local) sc -= endSkip * (L - 1 - last);
  else {
    if (L - 1 - last > MAX_NODE_SKIPS) return -Infinity;
    for (let n = last + 1; n < L; n++) sc -= nodeSkipCost(n, last);
  }
  return sc;
}

export interface CaseShape {
  /** Node count range, inclusive. */
  nodes: [number, number];
  /** Residue count range, inclusive. */
  residues: [number, number];
  /** Residue-skip penalty (1e7 = no residue skips). */
  residueSkipPenalty: number;
  /** Probability of a case with jumps. */
  jumps: number;
}

export const SMALL: CaseShape = { nodes: [3, 5], residues: [3, 6], residueSkipPenalty: 8, jumps: 0.4 };

export function randomCase(rng: () => number, shape: CaseShape = SMALL) {
  const pick = ([lo, hi]: [number, number]) => lo + Math.floor(rng() * (hi - lo + 1));
  const L = pick(shape.nodes), N = pick(shape.residues);
  const pos = new Float32Array(3 * L);
  let dir = [1, 0, 0];
  for (let i = 1; i < L; i++) {
    // normal step ~6 A, sometimes long (nucleotides missing) or short (a spurious node)
    const u = rng();
    const step = u < 0.1 ? 16 + 14 * rng() : u < 0.25 ? 10 + 3 * rng() : u < 0.4 ? 2 + 2 * rng() : 5.2 + 1.5 * rng();
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
    residueSkipPenalty: shape.residueSkipPenalty,
    local: rng() < 0.5,
    endNodeSkipPenalty: rng() < 0.5 ? 0 : 30,
    ...(rng() < shape.jumps ? { jumpPenalty: 150 } : {}),
  };
  return { span: { probabilities: prob, positionsA: pos, length: L }, codes, opts };
}
