/**
 * validateModel: model quality without a reference (what `cryoread validate` prints and refine
 * reports): bond / angle RMSD and outliers against standard nucleotide geometry (topology.ts; an
 * O3'-P link counts when it is at most 3 A long and the residue numbers are consecutive (topology.ts
 * isLinked), others are chain breaks),
 * clashscore (evaluate/clashes.ts: heavy atoms of different residues < 2.2 A, per 1000 atoms),
 * chirality errors (C1', C2', C3', C4'), sugar puckers, and with a map the map-model correlation:
 * the model's density simulated at the map's resolution on the map's grid (simulate/), correlated
 * with the map over the voxels within `ccRadiusA` of model atoms (CC_mask, as Phenix reports), over
 * the whole model and per residue. Reference section 22 evaluates against a reference only; this is
 * ours.
 */
import type { Structure } from '../structure/model.js';
import type { Volume } from '../grid/volume.js';
import { Volume as V } from '../grid/volume.js';
import { simulateMap } from '../simulate/simulate-map.js';
import { clashScore } from '../evaluate/clashes.js';
import { InputError } from '../util/errors.js';
import { buildTopology, isLinked } from './topology.js';
import { geometryStats, sugarPucker, angleAt, chiralVolume, BOND_OUTLIER_A, ANGLE_OUTLIER_DEG, type GeometryStats, type PuckerClass } from './geometry-stats.js';

export interface ValidateParams {
  /** Map resolution in A (needed for the map CC). */
  resolutionA?: number;
  /** Voxels within this distance of a model atom enter the CC, A. @default 2.5 */
  ccRadiusA: number;
  /**
   * O3'(i)-P(i+1) of consecutive nucleotides farther apart than this is a chain break (counted, not
   * a bond outlier), A. Network models have gaps inside chains. @default 3
   */
  linkMaxA: number;
}

export interface ResidueValidation {
  chain: string;
  seqNum: number;
  insCode: string;
  name: string;
  bonds: number;
  bondRmsdA: number;
  maxBondDeviationA: number;
  angleRmsdDeg: number;
  maxAngleDeviationDeg: number;
  chiralityErrors: number;
  pucker: PuckerClass | null;
  puckerPhaseDeg: number | null;
  /** Map-model CC over the residue's voxels (null without a map). */
  mapCC: number | null;
}

export interface ValidationSummary extends GeometryStats {
  nucleotides: number;
  atoms: number;
  /** Consecutive nucleotides of a chain whose O3'-P is longer than linkMaxA. */
  chainBreaks: number;
  clashes: number;
  clashesPer1000: number;
  worstClashes: string[];
  puckers: Record<PuckerClass, number>;
  /** Map-model CC around the model (null without a map). */
  mapCC: number | null;
  bondOutlierA: number;
  angleOutlierDeg: number;
  linkMaxA: number;
}

export interface ValidationReport {
  summary: ValidationSummary;
  residues: ResidueValidation[];
}

const RAD = 180 / Math.PI;

function correlation(a: ArrayLike<number>, b: ArrayLike<number>, idx: ArrayLike<number>): number | null {
  const n = idx.length;
  if (n < 3) return null;
  let sa = 0, sb = 0;
  for (let k = 0; k < n; k++) { sa += a[idx[k]]; sb += b[idx[k]]; }
  const ma = sa / n, mb = sb / n;
  let sab = 0, saa = 0, sbb = 0;
  for (let k = 0; k < n; k++) { const x = a[idx[k]] - ma, y = b[idx[k]] - mb; sab += x * y; saa += x * x; sbb += y * y; }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : null;
}

/** Voxel offsets within radiusA of any of the given atoms (sorted, unique). */
function voxelsNear(map: Volume, points: readonly { x: number; y: number; z: number }[], radiusA: number): Int32Array {
  const [nz, ny, nx] = map.shape;
  const set = new Set<number>();
  const r2 = radiusA * radiusA;
  for (const a of points) {
    const c = V.angstromToIndex(map, a.x, a.y, a.z);
    const rx = radiusA / map.voxelSizeA[0], ry = radiusA / map.voxelSizeA[1], rz = radiusA / map.voxelSizeA[2];
    for (let z = Math.max(0, Math.ceil(c[2] - rz)); z <= Math.min(nz - 1, Math.floor(c[2] + rz)); z++)
      for (let y = Math.max(0, Math.ceil(c[1] - ry)); y <= Math.min(ny - 1, Math.floor(c[1] + ry)); y++)
        for (let x = Math.max(0, Math.ceil(c[0] - rx)); x <= Math.min(nx - 1, Math.floor(c[0] + rx)); x++) {
          const p = V.indexToAngstrom(map, x, y, z);
          if ((p[0] - a.x) ** 2 + (p[1] - a.y) ** 2 + (p[2] - a.z) ** 2 <= r2) set.add((z * ny + y) * nx + x);
        }
  }
  return Int32Array.from([...set].sort((p, q) => p - q));
}

/** Validates a model; with `map` (and params.resolutionA) also the map-model correlation. */
export function validateModel(structure: Structure, map: Volume | null = null, params: Partial<ValidateParams> = {}): ValidationReport {
  const p: ValidateParams = { ccRadiusA: 2.5, linkMaxA: 3, ...params };
  if (map && !(p.resolutionA && p.resolutionA > 0)) throw new InputError('VALIDATE_RESOLUTION', 'validateModel: a map needs resolutionA (the map resolution in Angstroms) for the map-model CC');
  const topo = buildTopology(structure, { linkMaxA: p.linkMaxA });
  let breaks = 0;
  for (let k = 1; k < topo.residues.length; k++) {
    const a = topo.residues[k - 1], b = topo.residues[k];
    if (!a.movable || !b.movable || a.chain !== b.chain) continue;
    const o3 = a.residue.atoms.find((x) => x.name === "O3'"), pp = b.residue.atoms.find((x) => x.name === 'P');
    if (o3 && pp && !isLinked(a.residue, b.residue, Math.hypot(o3.x - pp.x, o3.y - pp.y, o3.z - pp.z), p.linkMaxA)) breaks++;
  }
  const xyz = topo.xyz;
  const geometry = geometryStats(topo, xyz);
  const clash = clashScore(structure);
  // Per-residue accumulators.
  const nres = topo.residues.length;
  const bondN = new Int32Array(nres), bondS = new Float64Array(nres), bondMax = new Float64Array(nres); // per-residue accumulators (not voxels)
  const angN = new Int32Array(nres), angS = new Float64Array(nres), angMax = new Float64Array(nres), chiral = new Int32Array(nres); // per-residue accumulators (not voxels)
  for (const b of topo.bonds) {
    if (b.kind === 'hbond') continue;
    const r = topo.residueOf[b.i];
    const d = Math.hypot(xyz[3 * b.i] - xyz[3 * b.j], xyz[3 * b.i + 1] - xyz[3 * b.j + 1], xyz[3 * b.i + 2] - xyz[3 * b.j + 2]) - b.ideal;
    bondN[r]++; bondS[r] += d * d; bondMax[r] = Math.max(bondMax[r], Math.abs(d));
  }
  for (const a of topo.angles) {
    const r = topo.residueOf[a.j];
    const d = (angleAt(xyz, a.i, a.j, a.k) - a.ideal) * RAD;
    angN[r]++; angS[r] += d * d; angMax[r] = Math.max(angMax[r], Math.abs(d));
  }
  for (const c of topo.chirals) if (Math.sign(chiralVolume(xyz, c.centre, c.a, c.b, c.c)) !== Math.sign(c.ideal)) chiral[topo.residueOf[c.centre]]++;

  let modelMap: Volume | null = null, maskAll: Int32Array | null = null;
  if (map) {
    modelMap = simulateMap(structure, { resolutionA: p.resolutionA!, frame: map });
    maskAll = voxelsNear(map, topo.atoms, p.ccRadiusA);
  }
  const puckers: Record<PuckerClass, number> = { "C3'-endo": 0, "C2'-endo": 0, other: 0 };
  const residues: ResidueValidation[] = [];
  topo.residues.forEach((r, ri) => {
    if (!r.movable) return;
    const idx = (name: string) => { for (let i = r.start; i < r.end; i++) if (topo.atoms[i].name === name) return i; return -1; };
    const ring = ["C1'", "C2'", "C3'", "C4'", "O4'"].map(idx);
    const pk = ring.every((i) => i >= 0) ? sugarPucker(xyz, ring as [number, number, number, number, number]) : null;
    if (pk) puckers[pk.pucker]++;
    const cc = map && modelMap ? correlation(map.data, modelMap.data, voxelsNear(map, topo.atoms.slice(r.start, r.end), p.ccRadiusA)) : null;
    residues.push({
      chain: r.chain.id, seqNum: r.residue.seqNum, insCode: r.residue.insCode, name: r.residue.name,
      bonds: bondN[ri], bondRmsdA: bondN[ri] ? Math.sqrt(bondS[ri] / bondN[ri]) : 0, maxBondDeviationA: bondMax[ri],
      angleRmsdDeg: angN[ri] ? Math.sqrt(angS[ri] / angN[ri]) : 0, maxAngleDeviationDeg: angMax[ri],
      chiralityErrors: chiral[ri], pucker: pk?.pucker ?? null, puckerPhaseDeg: pk ? pk.phaseDeg : null, mapCC: cc,
    });
  });
  return {
    summary: {
      ...geometry, nucleotides: residues.length, atoms: topo.count, chainBreaks: breaks,
      clashes: clash.clashes, clashesPer1000: clash.clashesPer1000, worstClashes: clash.worst.slice(0, 10), puckers,
      mapCC: map && modelMap && maskAll ? correlation(map.data, modelMap.data, maskAll) : null,
      bondOutlierA: BOND_OUTLIER_A, angleOutlierDeg: ANGLE_OUTLIER_DEG, linkMaxA: p.linkMaxA,
    },
    residues,
  };
}

/** Text table of a validation report: summary lines, then one row per residue. */
export function formatValidation(r: ValidationReport, maxRows = Infinity): string {
  const s = r.summary;
  const lines = [
    `nucleotides ${s.nucleotides}, atoms ${s.atoms}, chain breaks (O3'-P > ${s.linkMaxA} A) ${s.chainBreaks}`,
    `bond RMSD ${s.bondRmsdA.toFixed(4)} A over ${s.bonds} bonds, ${s.bondOutliers} outliers > ${s.bondOutlierA} A`,
    `angle RMSD ${s.angleRmsdDeg.toFixed(2)} deg over ${s.angles} angles, ${s.angleOutliers} outliers > ${s.angleOutlierDeg} deg`,
    `chirality errors ${s.chiralityErrors} of ${s.chiralCentres} centres`,
    `clashes ${s.clashes} (${s.clashesPer1000.toFixed(1)} per 1000 atoms)`,
    `puckers C3'-endo ${s.puckers["C3'-endo"]}, C2'-endo ${s.puckers["C2'-endo"]}, other ${s.puckers.other}`,
    `map CC (mask) ${s.mapCC === null ? 'n/a (no map)' : s.mapCC.toFixed(3)}`,
    '',
    'chain  res  name  bond_rmsd  max_bond  angle_rmsd  max_angle  chiral  pucker     phase  map_cc',
  ];
  for (const x of r.residues.slice(0, maxRows)) {
    lines.push([
      x.chain.padEnd(5), String(x.seqNum + x.insCode).padStart(4), x.name.padEnd(4), x.bondRmsdA.toFixed(3).padStart(9), x.maxBondDeviationA.toFixed(3).padStart(8),
      x.angleRmsdDeg.toFixed(2).padStart(10), x.maxAngleDeviationDeg.toFixed(1).padStart(9), String(x.chiralityErrors).padStart(6), (x.pucker ?? '-').padEnd(9),
      (x.puckerPhaseDeg === null ? '-' : x.puckerPhaseDeg.toFixed(0)).padStart(6), (x.mapCC === null ? '-' : x.mapCC.toFixed(3)).padStart(7),
    ].join('  '));
  }
  if (r.residues.length > maxRows) lines.push(`... ${r.residues.length - maxRows} more residues`);
  return lines.join('\n');
}
