/**
 * refineModel: built-in real-space refinement of DNA/RNA models (reference section 21 runs Phenix,
 * Coot, Phenix; this is the in-process engine used when they are absent, and by `--engine builtin`).
 *   0. chain-wise placement search (register-search.ts: each nucleotide tried within 1 A, 2 A when
 *      an O3'-P link of it is stretched, the best placements of a linked chain chosen together), then
 *   1. per-residue rigid-body fit (what CryoREAD's Coot step does residue by residue), then
 *   2. all-atom macro-cycles, each an L-BFGS run on mapWeight x E_map + E_geometry (energy.ts);
 *      before the first and after the last, inverted chiral centres are reflected back
 *      (chirality-repair.ts) and minimised again.
 * Every C4' is tethered to where it started (free 3 A): without it the map pulled chain-end
 * nucleotides into other density and one-to-one coverage fell on held-out maps. Base atoms count half
 * in the map term (a misturned base otherwise drags its nucleotide further off).
 * The map weight is automatic unless given: a first guess from the map's gradient, then after each
 * macro-cycle it is scaled down when the bond RMSD is above the target window, up when below (Phenix
 * aims its weight at bond RMSD ~0.01-0.02 A the same way). Protein and other non-nucleotide atoms
 * stay in place (and repel). Without a map only the geometry is regularised.
 * Deterministic; progress events 'refine/rigid' and 'refine/cycle'; ctx.signal stops it between
 * L-BFGS segments (AbortError).
 */
import { inspect } from 'node:util';
import type { Structure } from '../structure/model.js';
import { Structure as S } from '../structure/model.js';
import type { Volume } from '../grid/volume.js';
import { report, yieldToEventLoop, type StageContext } from '../util/progress.js';
import { InputError } from '../util/errors.js';
import { lbfgs } from './lbfgs.js';
import { buildTopology, applyCoordinates, defaultTopologyParams, type TopologyParams } from './topology.js';
import { prepareMapTarget, sampleWithGradient, type MapTarget } from './map-target.js';
import { RefineEnergy } from './energy.js';
import { geometryStats, type GeometryStats } from './geometry-stats.js';
import { rigidBodies, rigidCoordinates, rigidGradient } from './rigid-body.js';
import { repairChirality } from './chirality-repair.js';
import { registerSearch, defaultRegisterSearchParams, type RegisterSearchParams, type RegisterSearchResult } from './register-search.js';

export interface RefineParams {
  /** Map resolution, Angstroms (required with a map). */
  resolutionA: number;
  /** All-atom macro-cycles. @default 5 */
  cycles: number;
  /**
   * Rounds of placement search, rigid-body fit and `cycles` all-atom cycles, each starting where the
   * last ended (the C4' tether stays on the input positions). @default 1 (held-out bench: C4' RMSD
   * -15.6 % with one round, -16.4 % with two, -15.3 % with three: within the spread of settings, not
   * worth twice the time)
   */
  rounds: number;
  /** L-BFGS iterations per macro-cycle. @default 100 */
  iterationsPerCycle: number;
  /**
   * Chain-wise per-residue placement search (register-search.ts) before the rigid-body fit: false, true
   * or its parameters (over REFINE_SEARCH_DEFAULTS). @default true
   */
  registerSearch: boolean | Partial<RegisterSearchParams>;
  /** Per-residue rigid-body fit before the all-atom cycles. @default true */
  rigidBody: boolean;
  /** L-BFGS iterations of the rigid-body fit. @default 60 */
  rigidIterations: number;
  /** Map weight, or 'auto' (bond RMSD steered into targetBondRmsdA). @default 'auto' */
  mapWeight: number | 'auto';
  /** Bond RMSD window the automatic weight aims at, Angstroms. @default [0.01, 0.02] */
  targetBondRmsdA: [number, number];
  /**
   * Each nucleotide's C4' moves freely up to this far from where it started, then is held (sigma
   * tetherSigmaA); 0 turns the tether off. Keeps refinement from pulling nucleotides out of their place
   * or into a neighbour's density (which loses coverage). @default 3
   */
  tetherFreeA: number;
  /**
   * Free radius of chain ends (nucleotides linked on one side or none), Angstroms: with one neighbour or
   * none to hold them they swing into other density (on the held-out bench most nucleotides refinement
   * lost from the one-to-one coverage were chain ends, when the placement search moved them 1.5 A
   * and more). @default 3 (with the 1 A search radius and half-weight bases of the defaults, 3 A gave
   * C4' RMSD -15.6 % and one-to-one coverage 0.836 on the held-out bench, 1 A -12.4 % and 0.834:
   * ends the trace had misplaced by 1.5-5 A could not come back with 1 A)
   */
  tetherFreeEndA: number;
  /** Tether sigma beyond the free radius, Angstroms (as stiff as a bond: weaker ones give way to the map pull on the whole nucleotide). @default 0.02 */
  tetherSigmaA: number;
  /** Repulsion weight. @default 1 */
  nonbondedWeight: number;
  /** Map smoothing in units of the resolution's Gaussian width (map-target.ts). @default 0.5 */
  smoothFactor: number;
  /**
   * Map weight of base atoms relative to phosphate and sugar atoms (energy.ts setBaseMapWeight).
   * @default 0.5 (network models often have the base turned away from its density; at full weight
   * the base pulls the whole nucleotide after it: on the held-out bench C4' RMSD -14.8 % and the
   * nucleotides the trace had misplaced by 3-5 A 3.73 -> 3.74 A RMS, at 0.5 -15.6 % and 3.73 -> 3.63 A;
   * 0 let backbones drift into base density, -12.7 %)
   */
  baseMapWeight: number;
  /**
   * Reflect inverted chiral centres (chirality-repair.ts) before the all-atom cycles and after the last
   * one, each time followed by a short minimisation. @default true
   */
  repairChirality: boolean;
  /** Restraint options (base-pair H-bonds, sigmas, link distance). */
  topology: Partial<TopologyParams>;
}

export const defaultRefineParams: RefineParams = {
  resolutionA: 0, cycles: 5, rounds: 1, iterationsPerCycle: 100, registerSearch: true, rigidBody: true, rigidIterations: 60, mapWeight: 'auto',
  targetBondRmsdA: [0.01, 0.02], tetherFreeA: 3, tetherFreeEndA: 3, tetherSigmaA: 0.02, nonbondedWeight: 1, smoothFactor: 0.5, baseMapWeight: 0.5, repairChirality: true, topology: {},
};

/**
 * The placement search as refineModel runs it: translations within 1 A (register-search.ts's 2 A
 * defaults moved well-placed nucleotides into stronger neighbouring density: on the held-out bench 2 A
 * gave C4' RMSD -9.3 % (one-to-one coverage 0.838), 1 A -15.6 % (0.836), no search -16.1 % (0.831));
 * 2 A for a nucleotide whose O3'-P link is stretched beyond 2.5 A (out of register with a neighbour:
 * a nucleotide displaced 3 A along the chain comes back).
 */
export const REFINE_SEARCH_DEFAULTS: Partial<RegisterSearchParams> = { radiusA: 1, endRadiusA: 1, brokenRadiusA: 2 };

/** One point of the refinement trace (what a notebook plots). */
export interface RefineIteration {
  stage: 'rigid' | 'all-atom';
  /** 0 for the rigid-body fit, 1.. for the macro-cycles. */
  cycle: number;
  /** Running iteration number over the whole run. */
  iteration: number;
  energy: number;
  mapTerm: number;
  geometryTerm: number;
  repulsionTerm: number;
  bondRmsdA: number;
  angleRmsdDeg: number;
  mapWeight: number;
}

export interface RefineCycle {
  stage: 'rigid' | 'all-atom';
  cycle: number;
  iterations: number;
  mapWeight: number;
  /** Mean normalised map value at the moving atoms (higher = better fit). */
  mapScore: number;
  geometry: GeometryStats;
  /** Inter-residue heavy-atom pairs closer than 2.2 A (not across a covalent link). */
  clashes: number;
  seconds: number;
}

export interface RefineResult {
  structure: Structure;
  engine: 'builtin';
  before: { geometry: GeometryStats; mapScore: number; clashes: number };
  after: { geometry: GeometryStats; mapScore: number; clashes: number };
  cycles: RefineCycle[];
  iterations: RefineIteration[];
  /** Final map weight. */
  mapWeight: number;
  movedAtoms: number;
  fixedAtoms: number;
  notes: string[];
  seconds: number;
}

const SEGMENT = 25;
const PAIR_REBUILD_MOVE_A = 0.4;

function cloneStructure(s: Structure): Structure {
  return S.withInspect({ ...s, chains: s.chains.map((c) => ({ ...c, residues: c.residues.map((r) => ({ ...r, atoms: r.atoms.map((a) => ({ ...a })) })) })), warnings: [...(s.warnings ?? [])] });
}

export function describeRefineResult(r: RefineResult): string {
  const f = (x: { geometry: GeometryStats; mapScore: number; clashes: number }) => `bond ${x.geometry.bondRmsdA.toFixed(3)} A, angle ${x.geometry.angleRmsdDeg.toFixed(2)} deg, clashes ${x.clashes}, map ${x.mapScore.toFixed(3)}`;
  return `RefineResult ${r.movedAtoms} atoms moved in ${r.seconds.toFixed(1)}s; before: ${f(r.before)}; after: ${f(r.after)}`;
}

/**
 * Refines a copy of `structure` against `volume` (null: geometry only). Returns the refined copy and
 * per-iteration / per-cycle metrics.
 */
export async function refineModel(structure: Structure, volume: Volume | null, params: Partial<RefineParams> = {}, ctx?: StageContext): Promise<RefineResult> {
  const t0 = performance.now();
  const p: RefineParams = { ...defaultRefineParams, ...params, topology: { ...defaultTopologyParams, ...params.topology } };
  if (volume && !(p.resolutionA > 0)) throw new InputError('REFINE_RESOLUTION', `refineModel: resolutionA=${p.resolutionA}; give the map resolution in Angstroms (e.g. 3.7)`);
  if (!(p.cycles >= 0) || !Number.isInteger(p.cycles)) throw new InputError('REFINE_CYCLES', `refineModel: cycles=${p.cycles}; give a whole number >= 0`);
  if (!(p.rounds >= 1) || !Number.isInteger(p.rounds)) throw new InputError('REFINE_ROUNDS', `refineModel: rounds=${p.rounds}; give a whole number >= 1`);
  const out = cloneStructure(structure);
  const topo = buildTopology(out, p.topology);
  const notes: string[] = [];
  let moved = 0;
  for (let i = 0; i < topo.count; i++) moved += topo.movable[i];
  if (moved === 0) throw new InputError('REFINE_NO_NUCLEOTIDES', `refineModel: ${structure.source ?? 'the model'} has no DNA/RNA nucleotides to refine`);
  if (topo.count > moved) notes.push(`${topo.count - moved} non-nucleotide atoms (protein, ligands) kept in place`);
  const map = volume ? prepareMapTarget(volume, topo.xyz, { resolutionA: p.resolutionA, smoothFactor: p.smoothFactor, padA: 10 }) : null;
  const energy = new RefineEnergy(topo, map, { map: 0, nonbonded: p.nonbondedWeight });
  if (p.baseMapWeight !== 1) energy.setBaseMapWeight(p.baseMapWeight);
  const xyz = Float64Array.from(topo.xyz); // coordinates the optimiser moves (3 per atom, not voxels): float64 for L-BFGS
  const grad = new Float64Array(xyz.length); // gradient, same layout as xyz
  const gtmp = new Float64Array(3); // one 3-vector scratch

  const mapScore = (x: Float64Array): number => {
    if (!map) return 0;
    let s = 0, n = 0;
    for (let i = 0; i < topo.count; i++) if (topo.movable[i]) { s += sampleWithGradient(map, x[3 * i], x[3 * i + 1], x[3 * i + 2], gtmp); n++; }
    return n ? s / n : 0;
  };
  const clashes = (x: Float64Array): number => {
    energy.updatePairs(x);
    return energy.countCloserThan(x, 2.2);
  };

  // Automatic weight, first guess: balance the map pull on an atom against a bond stretched to the
  // middle of the target window (force 2 dev / sigma^2), using the rms map gradient at the atoms.
  const firstWeight = (m: MapTarget | null): number => {
    if (!m) return 0;
    if (p.mapWeight !== 'auto') return p.mapWeight;
    let sg = 0;
    for (let i = 0; i < topo.count; i++) if (topo.movable[i]) { sampleWithGradient(m, xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2], gtmp); sg += gtmp[0] ** 2 + gtmp[1] ** 2 + gtmp[2] ** 2; }
    const gRms = Math.sqrt(sg / moved) || 1;
    const sigma = p.topology.bondSigmaA ?? 0.02;
    const mid = (p.targetBondRmsdA[0] + p.targetBondRmsdA[1]) / 2;
    return (2 * mid) / (sigma * sigma * gRms);
  };
  energy.weights.map = firstWeight(map);

  const before = { geometry: geometryStats(topo, xyz), mapScore: mapScore(xyz), clashes: clashes(xyz) };
  // Chain ends: nucleotides with an O3'-P link on one side only, or none.
  const links = new Int32Array(topo.residues.length); // O3'-P links per residue
  for (const b of topo.bonds) if (b.kind === 'link') { links[topo.residueOf[b.i]]++; links[topo.residueOf[b.j]]++; }
  if (p.tetherFreeA > 0) {
    const c4: number[] = [], free: number[] = [];
    for (let i = 0; i < topo.count; i++) if (topo.movable[i] && topo.atoms[i].name === "C4'") { c4.push(i); free.push(links[topo.residueOf[i]] < 2 ? Math.min(p.tetherFreeA, p.tetherFreeEndA) : p.tetherFreeA); }
    energy.setTether(c4, xyz, free, p.tetherSigmaA);
  }
  const iterations: RefineIteration[] = [];
  const cycles: RefineCycle[] = [];
  let iterCount = 0;
  const record = (stage: RefineIteration['stage'], cycle: number, x: Float64Array, e: number) => {
    const T = energy.terms, g = geometryStats(topo, x);
    iterations.push({
      stage, cycle, iteration: ++iterCount, energy: e, mapTerm: T.map, geometryTerm: T.bonds + T.angles + T.planes + T.chirals + T.pucker + T.tether,
      repulsionTerm: T.repulsion, bondRmsdA: g.bondRmsdA, angleRmsdDeg: g.angleRmsdDeg, mapWeight: energy.weights.map,
    });
  };
  const aborted = () => Boolean(ctx?.signal?.aborted);
  const finishCycle = (stage: RefineCycle['stage'], cycle: number, n: number, tc: number) => {
    cycles.push({ stage, cycle, iterations: n, mapWeight: energy.weights.map, mapScore: mapScore(xyz), geometry: geometryStats(topo, xyz), clashes: clashes(xyz), seconds: (performance.now() - tc) / 1000 });
  };

  // 0. Chain-wise placement search.
  const placementSearch = async () => {
    if (!p.registerSearch || !map) return;
    await yieldToEventLoop(ctx, 'refine/rigid');
    const sp = { ...defaultRegisterSearchParams, ...REFINE_SEARCH_DEFAULTS, ...(p.registerSearch === true ? {} : p.registerSearch) };
    // Never search beyond the tether's free radius (the tether would pull it back).
    if (p.tetherFreeA > 0) { sp.radiusA = Math.min(sp.radiusA, p.tetherFreeA); sp.brokenRadiusA = Math.min(sp.brokenRadiusA, p.tetherFreeA); sp.endRadiusA = Math.min(sp.endRadiusA, p.tetherFreeA, p.tetherFreeEndA); sp.c4LimitA = sp.c4LimitA > 0 ? Math.min(sp.c4LimitA, p.tetherFreeA) : p.tetherFreeA; }
    const search: RegisterSearchResult = registerSearch(topo, xyz, map, sp);
    notes.push(`placement search: ${search.moved} of ${search.residues} nucleotides moved (mean ${search.meanShiftA.toFixed(2)} A), map score ${search.mapScoreBefore.toFixed(0)} -> ${search.mapScoreAfter.toFixed(0)}`);
  };

  // 1. Per-residue rigid-body fit.
  const rigidFit = async () => {
    const tc = performance.now();
    const bodies = rigidBodies(topo, xyz);
    const q = new Float64Array(6 * bodies.residues.length); // 6 rigid-body parameters per residue
    const xr = new Float64Array(xyz.length), gr = new Float64Array(xyz.length); // per-atom coordinates / gradients of the rigid-body stage (not voxels)
    const f = (qq: Float64Array, gq: Float64Array) => {
      rigidCoordinates(topo, bodies, qq, xr);
      const e = energy.evaluate(xr, gr);
      rigidGradient(topo, bodies, qq, gr, gq);
      return e;
    };
    let done = 0;
    energy.updatePairs(xyz);
    while (done < p.rigidIterations) {
      await yieldToEventLoop(ctx, 'refine/rigid');
      const n = Math.min(SEGMENT, p.rigidIterations - done);
      let k = 0;
      const r = lbfgs(f, q, { maxIterations: n, maxStep: 0.05 }, (_it, e) => { k++; record('rigid', 0, xr, e); return !aborted(); });
      done += Math.max(1, k);
      rigidCoordinates(topo, bodies, q, xyz);
      energy.updatePairs(xyz);
      report(ctx, 'refine/rigid', done, p.rigidIterations);
      if (r.reason === 'converged' || r.reason === 'gradient' || r.reason === 'line-search') break;
    }
    await yieldToEventLoop(ctx, 'refine/rigid');
    finishCycle('rigid', 0, iterCount, tc);
  };

  // 2. All-atom macro-cycles with the automatic weight.
  const f = (x: Float64Array, g: Float64Array) => energy.evaluate(x, g);
  // Inverted chiral centres flipped back, then a short minimisation (twice at most).
  const chiralRepair = async (cycle: number) => {
    const saved = { ...energy.weights };
    energy.weights.startRestraints = 0;
    energy.weights.pseudorotation = 1;
    for (let round = 0; p.repairChirality && round < 2; round++) {
      const n = repairChirality(topo, xyz);
      if (!n) break;
      notes.push(`${n} inverted chiral centre${n > 1 ? 's' : ''} reflected back`);
      energy.updatePairs(xyz);
      await yieldToEventLoop(ctx, 'refine/cycle');
      lbfgs(f, xyz, { maxIterations: SEGMENT * 2, maxStep: 0.1 }, (_it, e) => { record('all-atom', cycle, xyz, e); return !aborted(); });
    }
    energy.weights = saved;
  };
  /** One all-atom macro-cycle (`first`: start-only ring torsions instead of the pucker windows), then the automatic weight update. */
  const allAtomCycle = async (cycle: number, first: boolean, last: boolean, totalCycles: number) => {
    // Sugars: the input family's ring torsions in the first cycle, the two-family phase windows after
    // (topology.ts); a first cycle that is also the last has both.
    energy.weights.pseudorotation = first && !last ? 0 : 1;
    energy.weights.startRestraints = first ? 1 : 0;
    const tc = performance.now();
    const startIter = iterCount;
    let done = 0;
    energy.updatePairs(xyz);
    while (done < p.iterationsPerCycle) {
      await yieldToEventLoop(ctx, 'refine/cycle');
      let k = 0;
      const r = lbfgs(f, xyz, { maxIterations: Math.min(SEGMENT, p.iterationsPerCycle - done), maxStep: 0.2 }, (_it, e) => {
        k++;
        record('all-atom', cycle, xyz, e);
        return !aborted() && energy.maxMoveSincePairs(xyz) < PAIR_REBUILD_MOVE_A;
      });
      done += Math.max(1, k);
      energy.updatePairs(xyz);
      report(ctx, 'refine/cycle', (cycle - 1) * p.iterationsPerCycle + done, totalCycles * p.iterationsPerCycle, `cycle ${cycle}/${totalCycles}`);
      if (r.reason === 'converged' || r.reason === 'gradient' || r.reason === 'line-search') break;
    }
    await yieldToEventLoop(ctx, 'refine/cycle');
    finishCycle('all-atom', cycle, iterCount - startIter, tc);
    if (energy.map && p.mapWeight === 'auto') {
      const b = cycles[cycles.length - 1].geometry.bondRmsdA;
      const [lo, hi] = p.targetBondRmsdA;
      // Scale by the ratio to the window (bond deviations grow about linearly with the weight).
      if (b > hi) energy.weights.map *= Math.max(0.25, (0.9 * hi) / b);
      else if (b < lo && !last) energy.weights.map *= Math.min(2, (1.1 * lo) / Math.max(b, 1e-4));
    }
  };

  const totalCycles = p.rounds * p.cycles;
  for (let round = 0; round < p.rounds; round++) {
    await placementSearch();
    if (p.rigidBody && map && p.rigidIterations > 0) await rigidFit();
    await chiralRepair(round * p.cycles + 1);
    for (let c = 1; c <= p.cycles; c++) {
      const cycle = round * p.cycles + c;
      await allAtomCycle(cycle, cycle === 1, cycle === totalCycles, totalCycles);
    }
  }
  // Automatic weight still above the window after the last cycle: extra short cycles at lower weight.
  for (let extra = 0; map && p.mapWeight === 'auto' && p.cycles > 0 && extra < 3 && cycles[cycles.length - 1].geometry.bondRmsdA > p.targetBondRmsdA[1]; extra++) {
    const tc = performance.now(), startIter = iterCount, cycle = totalCycles + extra + 1;
    energy.updatePairs(xyz);
    await yieldToEventLoop(ctx, 'refine/cycle');
    lbfgs(f, xyz, { maxIterations: SEGMENT * 2, maxStep: 0.1 }, (_it, e) => { record('all-atom', cycle, xyz, e); return !aborted(); });
    await yieldToEventLoop(ctx, 'refine/cycle');
    finishCycle('all-atom', cycle, iterCount - startIter, tc);
    const b = cycles[cycles.length - 1].geometry.bondRmsdA;
    if (b > p.targetBondRmsdA[1]) energy.weights.map *= Math.max(0.25, (0.9 * p.targetBondRmsdA[1]) / b);
  }
  if (p.cycles > 0) await chiralRepair(cycles.length ? cycles[cycles.length - 1].cycle : 1);
  applyCoordinates(topo, xyz);
  const after = { geometry: geometryStats(topo, xyz), mapScore: mapScore(xyz), clashes: clashes(xyz) };
  if (!map) notes.push('no map: geometry regularised only');
  const result: RefineResult = {
    structure: out, engine: 'builtin', before, after, cycles, iterations, mapWeight: energy.weights.map,
    movedAtoms: moved, fixedAtoms: topo.count - moved, notes, seconds: (performance.now() - t0) / 1000,
  };
  Object.defineProperty(result, inspect.custom, { value: () => describeRefineResult(result), enumerable: false });
  return result;
}
