/** Test helper: compares traced paths with the true C4' atoms of a structure. */
import { NeighbourGrid } from '../../src/grid/neighbour-grid.js';
import type { BackbonePath } from '../../src/trace/types.js';

import type { Structure } from '../../src/structure/model.js';
import type { CoarseChain } from '../../src/build/types.js';

export interface TrueResidue {
  chain: string; index: number; x: number; y: number; z: number; p: [number, number, number] | null;
  /** Index (in the returned array) of the covalently next nucleotide (its P within 2 A of this O3'), or -1. */
  next: number;
}

/**
 * C4' of every nucleotide with a C4' atom, numbered per chain in file order, with its own P when
 * present and its covalent successor (O3'-P < 2 A, across chain ids too: some files split one strand).
 */
export function trueResidues(st: Structure): TrueResidue[] {
  const out: TrueResidue[] = [];
  const o3: ([number, number, number] | null)[] = [];
  for (const c of st.chains) {
    let i = 0;
    for (const r of c.residues) {
      if (r.kind !== 'rna' && r.kind !== 'dna') continue;
      const a = r.atoms.find((x) => x.name === "C4'"), p = r.atoms.find((x) => x.name === 'P'), o = r.atoms.find((x) => x.name === "O3'");
      if (a) { out.push({ chain: c.id, index: i, x: a.x, y: a.y, z: a.z, p: p ? [p.x, p.y, p.z] : null, next: -1 }); o3.push(o ? [o.x, o.y, o.z] : null); }
      i++;
    }
  }
  const withP = out.map((t, k) => k).filter((k) => out[k].p);
  const pg = new NeighbourGrid({ count: withP.length, x: withP.map((k) => out[k].p![0]), y: withP.map((k) => out[k].p![1]), z: withP.map((k) => out[k].p![2]) }, 2);
  out.forEach((t, k) => {
    const o = o3[k];
    if (!o) return;
    const hit = pg.nearest(o[0], o[1], o[2], 2.0).index;
    if (hit >= 0 && withP[hit] !== k) t.next = withP[hit];
  });
  return out;
}

export interface TraceMetrics {
  /** Fraction of true C4' atoms with a traced sugar node within 2.5 A. */
  coverage: number;
  /** Path steps between matched nodes. */
  steps: number;
  /** Fraction of steps that join nucleotides that are not covalently linked (O3'-P < 2 A). */
  jumpFraction: number;
  /** Fraction of adjacent steps that go 5' -> 3'. */
  directionCorrect: number;
  /** Of matched nodes whose residue has a P atom: fraction whose phosphate5A is within 2 A of it. */
  phosphate5Correct: number;
  pathCount: number;
  nodeCount: number;
}

export function traceMetrics(paths: BackbonePath[], truth: TrueResidue[], matchA = 2.5): TraceMetrics {
  const pts = { count: truth.length, x: truth.map((t) => t.x), y: truth.map((t) => t.y), z: truth.map((t) => t.z) };
  const g = new NeighbourGrid(pts, matchA);
  const nodes = paths.flatMap((p) => p.nodes);
  const covered = new Uint8Array(truth.length);
  const nodeGrid = new NeighbourGrid({ count: nodes.length, x: nodes.map((n) => n.sugarA[0]), y: nodes.map((n) => n.sugarA[1]), z: nodes.map((n) => n.sugarA[2]) }, matchA);
  truth.forEach((t, i) => { if (nodeGrid.nearest(t.x, t.y, t.z, matchA).index >= 0) covered[i] = 1; });
  let steps = 0, jumps = 0, adj = 0, fwd = 0, withP = 0, goodP = 0;
  for (const p of paths) {
    const m = p.nodes.map((n) => g.nearest(n.sugarA[0], n.sugarA[1], n.sugarA[2], matchA).index);
    p.nodes.forEach((n, k) => {
      const tp = m[k] >= 0 ? truth[m[k]].p : null;
      if (!tp) return;
      withP++;
      if (n.phosphate5A && Math.hypot(n.phosphate5A[0] - tp[0], n.phosphate5A[1] - tp[1], n.phosphate5A[2] - tp[2]) < 2) goodP++;
    });
    for (let k = 1; k < m.length; k++) {
      if (m[k - 1] < 0 || m[k] < 0) continue;
      steps++;
      const a = truth[m[k - 1]], b = truth[m[k]];
      if (a.next === m[k] || b.next === m[k - 1]) { adj++; if (a.next === m[k]) fwd++; } else jumps++;
    }
  }
  return {
    coverage: covered.reduce((s, v) => s + v, 0) / truth.length,
    steps, jumpFraction: steps ? jumps / steps : 0, directionCorrect: adj ? fwd / adj : 0,
    phosphate5Correct: withP ? goodP / withP : 0,
    pathCount: paths.length, nodeCount: nodes.length,
  };
}

/** Fraction of built residues (matched to a true C4' within 2.5 A) whose letter equals the true parent base (T = U). */
export function letterAccuracy(chains: CoarseChain[], st: Structure, matchA = 2.5): number {
  const truth = trueResidues(st);
  const bases = st.chains.flatMap((c) => c.residues.filter((r) => (r.kind === 'rna' || r.kind === 'dna') && r.atoms.some((a) => a.name === "C4'")).map((r) => r.base));
  const g = new NeighbourGrid({ count: truth.length, x: truth.map((q) => q.x), y: truth.map((q) => q.y), z: truth.map((q) => q.z) }, matchA);
  const u = (l?: string) => (l === 'T' ? 'U' : l);
  let right = 0, n = 0;
  for (const c of chains) for (const r of c.residues) {
    const i = g.nearest(r.sugarA[0], r.sugarA[1], r.sugarA[2], matchA).index;
    if (i < 0) continue;
    n++;
    if (u(bases[i]) === u(r.letter)) right++;
  }
  return n ? right / n : 0;
}
