/**
 * Per-residue rigid-body search over a wide range, solved exactly along each chain: the step a real-space
 * refinement takes before local minimisation when a model is off by more than the map's gradient reaches
 * (network models sit 2-4 A from the true nucleotide, often shifted along the backbone). Each moving
 * nucleotide gets candidate placements, every pair of a translation on a grid within radiusA (brokenRadiusA
 * when one of its O3'-P links is stretched) and a rotation about its centroid from a grid of rotation
 * vectors, of which the keepCandidates best go on; a candidate's cost is minus its map fit (sum of Z/6 x
 * rho at its atoms, the E_map of energy.ts without the weight) plus a displacement prior; consecutive linked
 * nucleotides (an O3'-P link in the topology) pay for stretching or squeezing their O3'-P distance. The
 * chain's best combination is found by dynamic programming (Viterbi over the candidates), so a
 * nucleotide moves into density only together with its neighbours, never alone into a neighbour's peak.
 * Reference section 21 leaves this to Coot's per-residue fit (local, one residue at a time); the
 * joint search is ours. Deterministic.
 */
import type { MapTarget } from './map-target.js';
import { sampleWithGradient } from './map-target.js';
import type { RefineTopology } from './topology.js';
import { rotationMatrix } from './rigid-body.js';

export interface RegisterSearchParams {
  /** Largest translation tried, Angstroms. @default 2 */
  radiusA: number;
  /** Largest translation of a chain end (a nucleotide linked on one side or none), Angstroms. @default 1.5 */
  endRadiusA: number;
  /**
   * Largest translation of a nucleotide with a stretched O3'-P link (longer than brokenLinkA on either
   * side: evidence that it sits out of register with a neighbour), Angstroms; 0: radiusA. @default 0
   */
  brokenRadiusA: number;
  /** O3'-P distance above which a link counts as stretched, Angstroms. @default 2.5 */
  brokenLinkA: number;
  /** Translation grid step, Angstroms. @default 0.5 */
  stepA: number;
  /**
   * Rotations tried about the nucleotide's centroid: rotation vectors on a cubic grid of this step
   * (degrees) inside the ball of radius rotationMaxDeg. Step = max = 12 gives identity and +-12 deg
   * about x, y, z. @default 12
   */
  rotationStepDeg: number;
  /** Largest rotation tried, degrees. @default 12 */
  rotationMaxDeg: number;
  /** Displacement prior, map-score units per A^2 of translation. @default 0.6 */
  displacementCost: number;
  /** Rotation prior: displacementCost for any rotation plus this per rad^2 of rotation angle. @default 0 */
  rotationCost: number;
  /**
   * Candidate placements kept per nucleotide for the chain-wise choice (the best by map fit and prior;
   * the starting placement always kept). @default 400
   */
  keepCandidates: number;
  /**
   * A candidate moving the nucleotide's C4' further than this from where it started is not tried
   * (Angstroms; chain ends: min with endRadiusA); 0: no limit. refine-model.ts sets it to the C4'
   * tether's free radius, which would pull such a placement back. @default 0
   */
  c4LimitA: number;
  /** Link cost, map-score units per A^2 of O3'-P deviation outside [linkLowA, max(link now, linkHighA)]. @default 8 */
  linkCost: number;
  linkLowA: number;
  linkHighA: number;
  /**
   * Linked fragments shorter than this stay where they are. @default 1 (all searched: on the held-out
   * bench, keeping 1-2 nt fragments in place lowered neither coverage losses nor C4' RMSD)
   */
  minChainResidues: number;
}

export const defaultRegisterSearchParams: RegisterSearchParams = {
  radiusA: 2, endRadiusA: 1.5, brokenRadiusA: 0, brokenLinkA: 2.5, stepA: 0.5, rotationStepDeg: 12, rotationMaxDeg: 12, displacementCost: 0.6, rotationCost: 0, keepCandidates: 400,
  c4LimitA: 0, linkCost: 8, linkLowA: 1.3, linkHighA: 2.0, minChainResidues: 1,
};

export interface RegisterSearchResult {
  /** Residues (topo.residues indices) searched. */
  residues: number;
  /** Residues placed away from where they were (translation or rotation). */
  moved: number;
  /** Mean translation of the moved residues, Angstroms. */
  meanShiftA: number;
  /** Map score (sum over moving atoms) before and after. */
  mapScoreBefore: number;
  mapScoreAfter: number;
}

const ATOMIC_Z: Record<string, number> = { C: 6, N: 7, O: 8, P: 15, S: 16 };

/** Rotation vectors (radians, 3 per rotation, identity first) on a cubic grid of `stepDeg` inside the ball of `maxDeg`. */
export function rotationGrid(stepDeg: number, maxDeg: number): Float64Array {
  const out: number[] = [0, 0, 0];
  const n = stepDeg > 0 ? Math.floor(maxDeg / stepDeg + 1e-9) : 0;
  for (let i = -n; i <= n; i++) for (let j = -n; j <= n; j++) for (let k = -n; k <= n; k++) {
    if (!(i || j || k) || Math.hypot(i, j, k) * stepDeg > maxDeg + 1e-9) continue;
    out.push((i * stepDeg * Math.PI) / 180, (j * stepDeg * Math.PI) / 180, (k * stepDeg * Math.PI) / 180);
  }
  return Float64Array.from(out); // rotation vectors, 3 per rotation
}

/** Moves the nucleotides of `xyz` (in place) to the chain-wise best placements. */
export function registerSearch(topo: RefineTopology, xyz: Float64Array, map: MapTarget, params: Partial<RegisterSearchParams> = {}): RegisterSearchResult {
  const p = { ...defaultRegisterSearchParams, ...params };
  const g = new Float64Array(3); // gradient output of sampleWithGradient (3 numbers; only the value is used here)
  // Translations within the radius, identity first so ties keep the input.
  const maxRadius = Math.max(p.radiusA, p.brokenRadiusA);
  const steps = Math.floor(maxRadius / p.stepA + 1e-9);
  const trans: number[][] = [[0, 0, 0]];
  for (let i = -steps; i <= steps; i++) for (let j = -steps; j <= steps; j++) for (let k = -steps; k <= steps; k++) {
    const t = [i * p.stepA, j * p.stepA, k * p.stepA];
    if ((i || j || k) && Math.hypot(t[0], t[1], t[2]) <= maxRadius + 1e-9) trans.push(t);
  }
  const wGrid = rotationGrid(p.rotationStepDeg, p.rotationMaxDeg);
  const nR = wGrid.length / 3;
  const rots = new Float64Array(9 * nR); // 3x3 rotations (identity first), 9 per rotation, as rigid-body.ts builds them
  const rotPrior = new Float64Array(nR); // prior cost per rotation
  for (let q = 0; q < nR; q++) {
    const R = new Float64Array(9); // one 3x3 rotation
    rotationMatrix(wGrid[3 * q], wGrid[3 * q + 1], wGrid[3 * q + 2], R);
    rots.set(R, 9 * q);
    rotPrior[q] = q ? p.displacementCost + p.rotationCost * (wGrid[3 * q] ** 2 + wGrid[3 * q + 1] ** 2 + wGrid[3 * q + 2] ** 2) : 0;
  }
  // Linked pairs (consecutive residues) from the topology's O3'-P link bonds.
  const nextLink = new Map<number, { o3: number; p: number; next: number }>();
  for (const b of topo.bonds) if (b.kind === 'link') nextLink.set(topo.residueOf[b.i], { o3: b.i, p: b.j, next: topo.residueOf[b.j] });
  const prevLink = new Map<number, { o3: number; p: number; next: number }>([...nextLink.values()].map((l) => [l.next, l]));

  const nT = trans.length;
  let searched = 0, moved = 0, shiftSum = 0, before = 0, after = 0;
  /** Kept candidate placements of one residue: translation and rotation index, cost, map score, O3' and P. */
  interface Candidates { t: Int32Array; r: Int32Array; cost: Float64Array; score: Float64Array; map0: number; o3: Float64Array; p: Float64Array; centre: number[] }
  const cand = new Map<number, Candidates>();
  const offsets = (ri: number, c: number[], q: number, v: Float64Array) => {
    const r = topo.residues[ri], o = 9 * q;
    for (let a = 0; a < r.end - r.start; a++) {
      const x = xyz[3 * (r.start + a)] - c[0], y = xyz[3 * (r.start + a) + 1] - c[1], z = xyz[3 * (r.start + a) + 2] - c[2];
      v[3 * a] = rots[o] * x + rots[o + 1] * y + rots[o + 2] * z;
      v[3 * a + 1] = rots[o + 3] * x + rots[o + 4] * y + rots[o + 5] * z;
      v[3 * a + 2] = rots[o + 6] * x + rots[o + 7] * y + rots[o + 8] * z;
    }
  };
  const allCost = new Float64Array(nT * nR); // unary cost of every (translation, rotation) of one residue
  const allScore = new Float64Array(nT * nR); // its map score
  const candidates = (ri: number): Candidates => {
    const hit = cand.get(ri);
    if (hit) return hit;
    const r = topo.residues[ri];
    const n = r.end - r.start;
    const c = [0, 0, 0];
    for (let a = r.start; a < r.end; a++) for (let u = 0; u < 3; u++) c[u] += xyz[3 * a + u] / n;
    const wz = Float64Array.from({ length: n }, (_, a) => (ATOMIC_Z[topo.element[r.start + a]] ?? 6) / 6); // per-atom weights
    let c4 = -1;
    for (let a = 0; a < n; a++) if (topo.atoms[r.start + a].name === "C4'") c4 = a;
    const link = nextLink.get(ri), prev = prevLink.get(ri);
    const isEnd = !link || !prev;
    const linkLength = (l: { o3: number; p: number } | undefined) => (l ? Math.hypot(xyz[3 * l.o3] - xyz[3 * l.p], xyz[3 * l.o3 + 1] - xyz[3 * l.p + 1], xyz[3 * l.o3 + 2] - xyz[3 * l.p + 2]) : 0);
    const broken = p.brokenRadiusA > 0 && Math.max(linkLength(link), linkLength(prev)) > p.brokenLinkA;
    const radius = broken ? p.brokenRadiusA : isEnd ? Math.min(p.radiusA, p.endRadiusA) : p.radiusA;
    const c4Limit = p.c4LimitA > 0 ? (isEnd ? Math.min(p.c4LimitA, p.endRadiusA) : p.c4LimitA) : Infinity;
    let map0 = 0;
    for (let a = 0; a < n; a++) map0 += wz[a] * sampleWithGradient(map, xyz[3 * (r.start + a)], xyz[3 * (r.start + a) + 1], xyz[3 * (r.start + a) + 2], g);
    const v = new Float64Array(3 * n); // atom offsets from the centroid after one rotation, 3 per atom
    allCost.fill(Infinity);
    for (let q = 0; q < nR; q++) {
      offsets(ri, c, q, v);
      for (let k = 0; k < nT; k++) {
        const t = trans[k], t2 = t[0] * t[0] + t[1] * t[1] + t[2] * t[2];
        if (t2 > radius * radius + 1e-9) continue;
        if (c4 >= 0 && c4Limit < Infinity) {
          const a = r.start + c4;
          const d2 = (c[0] + t[0] + v[3 * c4] - xyz[3 * a]) ** 2 + (c[1] + t[1] + v[3 * c4 + 1] - xyz[3 * a + 1]) ** 2 + (c[2] + t[2] + v[3 * c4 + 2] - xyz[3 * a + 2]) ** 2;
          if (d2 > c4Limit * c4Limit + 1e-9) continue;
        }
        let s = 0;
        for (let a = 0; a < n; a++) s += wz[a] * sampleWithGradient(map, c[0] + t[0] + v[3 * a], c[1] + t[1] + v[3 * a + 1], c[2] + t[2] + v[3 * a + 2], g);
        allScore[q * nT + k] = s;
        allCost[q * nT + k] = -s + p.displacementCost * t2 + rotPrior[q];
      }
    }
    // Keep the starting placement (index 0) and the best keepCandidates - 1 others (ties: lower index first).
    const sorted = Float64Array.from(allCost.subarray(1)).sort();
    const K = Math.min(Math.max(1, p.keepCandidates), allCost.length);
    const thr = K > 1 ? sorted[Math.min(K - 2, sorted.length - 1)] : -Infinity;
    const idx: number[] = [0];
    for (let m = 1; m < allCost.length && idx.length < K; m++) if (allCost[m] <= thr && allCost[m] < Infinity) idx.push(m);
    if (!(allCost[0] < Infinity)) { allScore[0] = map0; allCost[0] = -map0; }
    const nK = idx.length;
    const out: Candidates = {
      t: Int32Array.from(idx, (m) => m % nT), r: Int32Array.from(idx, (m) => Math.floor(m / nT)), // per candidate
      cost: Float64Array.from(idx, (m) => allCost[m]), score: Float64Array.from(idx, (m) => allScore[m]), // per candidate
      map0, o3: new Float64Array(3 * nK), p: new Float64Array(3 * nK), centre: c, // O3' / P of each candidate, 3 per candidate
    };
    for (let k = 0; k < nK; k++) {
      const t = trans[out.t[k]], o = 9 * out.r[k];
      for (const [atom, dst] of [[link?.o3, out.o3], [prev?.p, out.p]] as [number | undefined, Float64Array][]) {
        if (atom === undefined) continue;
        const x = xyz[3 * atom] - c[0], y = xyz[3 * atom + 1] - c[1], z = xyz[3 * atom + 2] - c[2];
        dst[3 * k] = c[0] + t[0] + rots[o] * x + rots[o + 1] * y + rots[o + 2] * z;
        dst[3 * k + 1] = c[1] + t[1] + rots[o + 3] * x + rots[o + 4] * y + rots[o + 5] * z;
        dst[3 * k + 2] = c[2] + t[2] + rots[o + 6] * x + rots[o + 7] * y + rots[o + 8] * z;
      }
    }
    cand.set(ri, out);
    return out;
  };

  const place = (ri: number, k: number) => {
    const r = topo.residues[ri];
    const cc = candidates(ri);
    const t = trans[cc.t[k]];
    const v = new Float64Array(3 * (r.end - r.start)); // rotated offsets, 3 per atom
    offsets(ri, cc.centre, cc.r[k], v);
    for (let a = r.start; a < r.end; a++) for (let u = 0; u < 3; u++) xyz[3 * a + u] = cc.centre[u] + t[u] + v[3 * (a - r.start) + u];
  };

  // Chains of linked residues: start at every movable residue without a linked predecessor. Every
  // residue's candidates are computed from the input coordinates before any residue is placed.
  const chains: number[][] = [];
  topo.residues.forEach((r0, start) => {
    if (!r0.movable || prevLink.has(start)) return;
    const chain = [start];
    for (let l = nextLink.get(start); l; l = nextLink.get(l.next)) chain.push(l.next);
    if (chain.length >= p.minChainResidues) chains.push(chain);
  });
  for (const chain of chains) {
    const L = chain.length;
    const back: Int32Array[] = []; // back-pointers, one array of candidates per residue
    let acc = Float64Array.from(candidates(chain[0]).cost); // accumulated cost per candidate placement, summed along the chain
    for (let s = 1; s < L; s++) {
      const prev = candidates(chain[s - 1]), cur = candidates(chain[s]);
      const lk = nextLink.get(chain[s - 1])!;
      const d0 = Math.hypot(xyz[3 * lk.o3] - xyz[3 * lk.p], xyz[3 * lk.o3 + 1] - xyz[3 * lk.p + 1], xyz[3 * lk.o3 + 2] - xyz[3 * lk.p + 2]);
      const hi = Math.max(d0, p.linkHighA), lo = p.linkLowA;
      const nPrev = prev.cost.length, nCur = cur.cost.length;
      const next = new Float64Array(nCur), bp = new Int32Array(nCur); // per candidate of `cur`
      for (let k = 0; k < nCur; k++) {
        let best = Infinity, arg = 0;
        const px = cur.p[3 * k], py = cur.p[3 * k + 1], pz = cur.p[3 * k + 2];
        for (let j = 0; j < nPrev; j++) {
          const d = Math.hypot(prev.o3[3 * j] - px, prev.o3[3 * j + 1] - py, prev.o3[3 * j + 2] - pz);
          const ex = d > hi ? d - hi : d < lo ? lo - d : 0;
          const v = acc[j] + p.linkCost * ex * ex;
          if (v < best) { best = v; arg = j; }
        }
        next[k] = best + cur.cost[k];
        bp[k] = arg;
      }
      back.push(bp);
      acc = next;
    }
    let k = 0;
    for (let j = 1; j < acc.length; j++) if (acc[j] < acc[k]) k = j;
    const choice = new Int32Array(L); // chosen candidate per residue of the chain
    choice[L - 1] = k;
    for (let s = L - 1; s > 0; s--) choice[s - 1] = back[s - 1][choice[s]];
    chain.forEach((ri, s) => {
      const cc = candidates(ri), kk = choice[s];
      searched++;
      before += cc.map0;
      after += cc.score[kk];
      if (kk !== 0) { moved++; shiftSum += Math.hypot(...trans[cc.t[kk]]); }
    });
    chain.forEach((ri, s) => { if (choice[s] !== 0) place(ri, choice[s]); });
  }
  return { residues: searched, moved, meanShiftA: moved ? shiftSum / moved : 0, mapScoreBefore: before, mapScoreAfter: after };
}
