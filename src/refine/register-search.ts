/**
 * Per-residue rigid-body search over a wide range, solved exactly along each chain: the step a real-space
 * refinement takes before local minimisation when a model is off by more than the map's gradient reaches
 * (network models sit 2-4 A from the true nucleotide, often shifted along the backbone). Each moving
 * nucleotide gets candidate placements, translations on a grid within radiusA (and for each the best of a
 * few small rotations about its centroid); a candidate's cost is minus its map fit (sum of Z/6 x rho at its
 * atoms, the E_map of energy.ts without the weight) plus a displacement prior; consecutive linked
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
  /** Translation grid step, Angstroms. @default 0.5 */
  stepA: number;
  /** Rotations tried at each translation: 0 and +-angle about x, y, z (degrees). @default [12] */
  rotationsDeg: number[];
  /** Displacement prior, map-score units per A^2 of translation. @default 0.6 */
  displacementCost: number;
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
  radiusA: 2, endRadiusA: 1.5, stepA: 0.5, rotationsDeg: [12], displacementCost: 0.6, linkCost: 8, linkLowA: 1.3, linkHighA: 2.0, minChainResidues: 1,
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

/** Moves the nucleotides of `xyz` (in place) to the chain-wise best placements. */
export function registerSearch(topo: RefineTopology, xyz: Float64Array, map: MapTarget, params: Partial<RegisterSearchParams> = {}): RegisterSearchResult {
  const p = { ...defaultRegisterSearchParams, ...params };
  const g = new Float64Array(3); // gradient output of sampleWithGradient (3 numbers; only the value is used here)
  // Translations within the radius, identity first so ties keep the input.
  const steps = Math.floor(p.radiusA / p.stepA + 1e-9);
  const trans: number[][] = [[0, 0, 0]];
  for (let i = -steps; i <= steps; i++) for (let j = -steps; j <= steps; j++) for (let k = -steps; k <= steps; k++) {
    const t = [i * p.stepA, j * p.stepA, k * p.stepA];
    if ((i || j || k) && Math.hypot(t[0], t[1], t[2]) <= p.radiusA + 1e-9) trans.push(t);
  }
  const rots: Float64Array[] = [Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1)]; // 3x3 rotations (identity first), as rigid-body.ts takes them
  for (const deg of p.rotationsDeg) for (const s of [1, -1]) for (let ax = 0; ax < 3; ax++) {
    const w = [0, 0, 0];
    w[ax] = (s * deg * Math.PI) / 180;
    const R = new Float64Array(9); // 3x3 rotation
    rotationMatrix(w[0], w[1], w[2], R);
    rots.push(R);
  }
  // Linked pairs (consecutive residues) from the topology's O3'-P link bonds.
  const nextLink = new Map<number, { o3: number; p: number; next: number }>();
  for (const b of topo.bonds) if (b.kind === 'link') nextLink.set(topo.residueOf[b.i], { o3: b.i, p: b.j, next: topo.residueOf[b.j] });
  const prevLink = new Map<number, { o3: number; p: number; next: number }>([...nextLink.values()].map((l) => [l.next, l]));

  const nC = trans.length;
  let searched = 0, moved = 0, shiftSum = 0, before = 0, after = 0;
  interface Candidates { rot: Int32Array; cost: Float64Array; map0: number; o3: Float64Array; p: Float64Array; centre: number[]; rotated: Float64Array[] }
  const cand = new Map<number, Candidates>();
  const candidates = (ri: number): Candidates => {
    const hit = cand.get(ri);
    if (hit) return hit;
    const r = topo.residues[ri];
    const n = r.end - r.start;
    const c = [0, 0, 0];
    for (let a = r.start; a < r.end; a++) for (let u = 0; u < 3; u++) c[u] += xyz[3 * a + u] / n;
    const rotated = rots.map((R) => {
      const v = new Float64Array(3 * n); // atom offsets after the rotation, 3 per atom
      for (let a = 0; a < n; a++) {
        const x = xyz[3 * (r.start + a)] - c[0], y = xyz[3 * (r.start + a) + 1] - c[1], z = xyz[3 * (r.start + a) + 2] - c[2];
        v[3 * a] = R[0] * x + R[1] * y + R[2] * z; v[3 * a + 1] = R[3] * x + R[4] * y + R[5] * z; v[3 * a + 2] = R[6] * x + R[7] * y + R[8] * z;
      }
      return v;
    });
    const wz = Float64Array.from({ length: n }, (_, a) => (ATOMIC_Z[topo.element[r.start + a]] ?? 6) / 6); // per-atom weights
    const rot = new Int32Array(nC), cost = new Float64Array(nC); // per candidate
    const o3 = new Float64Array(3 * nC), pp = new Float64Array(3 * nC); // O3' and P of each candidate, 3 per candidate
    const link = nextLink.get(ri), prev = prevLink.get(ri);
    let map0 = 0;
    for (let a = 0; a < n; a++) map0 += wz[a] * sampleWithGradient(map, xyz[3 * (r.start + a)], xyz[3 * (r.start + a) + 1], xyz[3 * (r.start + a) + 2], g);
    for (let k = 0; k < nC; k++) {
      const t = trans[k];
      let best = -Infinity, bestR = 0;
      for (let q = 0; q < rots.length; q++) {
        const v = rotated[q];
        let s = 0;
        for (let a = 0; a < n; a++) s += wz[a] * sampleWithGradient(map, c[0] + t[0] + v[3 * a], c[1] + t[1] + v[3 * a + 1], c[2] + t[2] + v[3 * a + 2], g);
        if (s > best + 1e-9) { best = s; bestR = q; }
      }
      rot[k] = bestR;
      const isEnd = !link || !prev;
      cost[k] = (isEnd && t[0] * t[0] + t[1] * t[1] + t[2] * t[2] > p.endRadiusA * p.endRadiusA + 1e-9 ? Infinity : -best) + p.displacementCost * (t[0] * t[0] + t[1] * t[1] + t[2] * t[2]) + (bestR ? p.displacementCost : 0);
      const v = rotated[bestR];
      for (const [atom, out] of [[link?.o3, o3], [prev?.p, pp]] as [number | undefined, Float64Array][]) {
        if (atom === undefined) continue;
        const a = atom - r.start;
        for (let u = 0; u < 3; u++) out[3 * k + u] = c[u] + t[u] + v[3 * a + u];
      }
    }
    const out = { rot, cost, map0, o3, p: pp, centre: c, rotated };
    cand.set(ri, out);
    return out;
  };

  const place = (ri: number, k: number) => {
    const r = topo.residues[ri];
    const cc = candidates(ri);
    const v = cc.rotated[cc.rot[k]], t = trans[k];
    for (let a = r.start; a < r.end; a++) for (let u = 0; u < 3; u++) xyz[3 * a + u] = cc.centre[u] + t[u] + v[3 * (a - r.start) + u];
  };

  // Chains of linked residues: start at every movable residue without a linked predecessor.
  topo.residues.forEach((r0, start) => {
    if (!r0.movable || prevLink.has(start)) return;
    const chain = [start];
    for (let l = nextLink.get(start); l; l = nextLink.get(l.next)) chain.push(l.next);
    const L = chain.length;
    if (L < p.minChainResidues) return;
    const back: Int32Array[] = []; // back-pointers, one array of candidates per residue
    let acc = Float64Array.from(candidates(chain[0]).cost); // accumulated cost per candidate placement (tens), summed along the chain
    for (let s = 1; s < L; s++) {
      const prev = candidates(chain[s - 1]), cur = candidates(chain[s]);
      const lk = nextLink.get(chain[s - 1])!;
      const d0 = Math.hypot(xyz[3 * lk.o3] - xyz[3 * lk.p], xyz[3 * lk.o3 + 1] - xyz[3 * lk.p + 1], xyz[3 * lk.o3 + 2] - xyz[3 * lk.p + 2]);
      const hi = Math.max(d0, p.linkHighA), lo = p.linkLowA;
      const next = new Float64Array(nC), bp = new Int32Array(nC); // per candidate of `cur`
      for (let k = 0; k < nC; k++) {
        let best = Infinity, arg = 0;
        const px = cur.p[3 * k], py = cur.p[3 * k + 1], pz = cur.p[3 * k + 2];
        for (let j = 0; j < nC; j++) {
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
    for (let j = 1; j < nC; j++) if (acc[j] < acc[k]) k = j;
    const choice = new Int32Array(L); // chosen candidate per residue of the chain
    choice[L - 1] = k;
    for (let s = L - 1; s > 0; s--) choice[s - 1] = back[s - 1][choice[s]];
    chain.forEach((ri, s) => {
      const cc = candidates(ri);
      searched++;
      before += cc.map0;
      const kk = choice[s];
      after -= cc.cost[kk] - p.displacementCost * (trans[kk][0] ** 2 + trans[kk][1] ** 2 + trans[kk][2] ** 2) - (cc.rot[kk] ? p.displacementCost : 0);
      if (kk !== 0 || cc.rot[kk] !== 0) { moved++; shiftSum += Math.hypot(trans[kk][0], trans[kk][1], trans[kk][2]); }
    });
    chain.forEach((ri, s) => { if (choice[s] !== 0 || candidates(ri).rot[0] !== 0) place(ri, choice[s]); });
  });
  return { residues: searched, moved, meanShiftA: moved ? shiftSum / moved : 0, mapScoreBefore: before, mapScoreAfter: after };
}
