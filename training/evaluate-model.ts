/**
 * Held-out evaluation of a detection model through the same TypeScript inference path users run
 * (prepareMap -> detect), for models/MODEL_CARD.md.
 *
 *   npx tsx training/evaluate-model.ts [MODEL_NAME_OR_DIR] [--out metrics.json] [--seed 4242]
 *
 * For each held-out structure (training/make-dataset.ts VALIDATION, never trained on) and each
 * resolution bin (3, 4, 5, 6 A) a map is simulated with settings the training set did not use
 * (seed 4242, voxel 1.1 A, B 30 A^2, SNR 3, 60 % coloured noise, jitter 0.25), then:
 * - voxel precision / recall / F1 per stage-2 class at 0.5 against labelMaps on the prepared grid;
 * - node level: fraction of C4' atoms with a sugar-probability peak (local maximum over 26
 *   neighbours, > 0.5) within 2 A, the same for P atoms with the phosphate channel;
 * - the same two recalls with the pipeline's own nodes instead of local maxima (mean-shift sugar and
 *   phosphate nodes of src/cluster on the prepared map: what tracing actually starts from), and
 *   nodes per nucleotide (1.0 = one sugar node per nucleotide; above = split or spurious nodes);
 * - nucleotide base type: argmax of the mean A/UT/C/G probabilities within 3.5 A of C1', compared
 *   with the residue's parent base.
 */
import { parseArgs } from 'node:util';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readStructure } from '../src/io/structure-file.js';
import { simulateMap } from '../src/simulate/simulate-map.js';
import { labelMaps } from '../src/simulate/labels.js';
import { prepareMap } from '../src/grid/prepare.js';
import { Volume } from '../src/grid/volume.js';
import { NeighbourGrid, pointSetFromArray } from '../src/grid/neighbour-grid.js';
import { loadDetectionModel } from '../src/detect/registry.js';
import { detect } from '../src/detect/detect.js';
import { PROBABILITY_CHANNELS, type ProbabilityMaps } from '../src/grid/probability-maps.js';
import { Structure } from '../src/structure/model.js';
import { clusterNodes } from '../src/cluster/cluster-nodes.js';
import type { NodeSet } from '../src/cluster/node-set.js';
import { VALIDATION, VALIDATION_RESOLUTIONS_A } from './split.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { out: { type: 'string' }, seed: { type: 'string', default: '4242' }, shared: { type: 'string', default: '../shared/data' }, only: { type: 'string' }, res: { type: 'string' } } });
const STRUCTURES = values.only ? [values.only] : VALIDATION;
const RESOLUTIONS = values.res ? values.res.split(',').map(Number) : VALIDATION_RESOLUTIONS_A;
const modelName = positionals[0] ?? 'cryoread-ts-v1';
const seed = Number(values.seed);

type Counts = { tp: number; fp: number; fn: number };
const CLASS_LABEL: Record<string, string> = { sugar: 'sugar', phosphate: 'phosphate', A: 'A', UT: 'UT', C: 'C', G: 'G', protein: 'protein', base: 'base' };

function peaks(pm: ProbabilityMaps, channel: 'sugar' | 'phosphate', min = 0.5): [number, number, number][] {
  const d = pm.channels[channel];
  const [nz, ny, nx] = pm.shape;
  const out: [number, number, number][] = [];
  for (let z = 1; z < nz - 1; z++) for (let y = 1; y < ny - 1; y++) for (let x = 1; x < nx - 1; x++) {
    const i = (z * ny + y) * nx + x, v = d[i];
    if (v <= min) continue;
    let isMax = true;
    for (let dz = -1; dz <= 1 && isMax; dz++) for (let dy = -1; dy <= 1 && isMax; dy++) for (let dx = -1; dx <= 1; dx++) {
      if ((dx || dy || dz) && d[i + (dz * ny + dy) * nx + dx] > v) { isMax = false; break; }
    }
    if (isMax) out.push(Volume.indexToAngstrom(pm, x, y, z));
  }
  return out;
}

function nodePoints(ns: NodeSet): [number, number, number][] {
  return Array.from({ length: ns.count }, (_, i) => [ns.x[i], ns.y[i], ns.z[i]] as [number, number, number]);
}

function atomRecall(s: Structure, atomName: string, pk: [number, number, number][], radiusA = 2): number {
  const grid = new NeighbourGrid(pointSetFromArray(pk), radiusA);
  let n = 0, hit = 0;
  for (const { residue } of Structure.nucleotides(s)) {
    const a = Structure.findAtom(residue, atomName);
    if (!a) continue;
    n++;
    if (grid.nearest(a.x, a.y, a.z, radiusA).index >= 0) hit++;
  }
  return n ? hit / n : NaN;
}

function baseTypeAccuracy(s: Structure, pm: ProbabilityMaps, radiusA = 3.5): number {
  const order = ['A', 'UT', 'C', 'G'] as const;
  const codeOf: Record<string, number> = { A: 0, U: 1, T: 1, C: 2, G: 3 };
  let n = 0, ok = 0;
  const [nz, ny, nx] = pm.shape;
  for (const { residue } of Structure.nucleotides(s)) {
    const c1 = Structure.findAtom(residue, "C1'");
    if (!c1 || !residue.base) continue;
    const sums = [0, 0, 0, 0];
    const [fx, fy, fz] = Volume.angstromToIndex(pm, c1.x, c1.y, c1.z);
    const r = Math.ceil(radiusA);
    for (let z = Math.floor(fz) - r; z <= Math.ceil(fz) + r; z++) for (let y = Math.floor(fy) - r; y <= Math.ceil(fy) + r; y++) for (let x = Math.floor(fx) - r; x <= Math.ceil(fx) + r; x++) {
      if (x < 0 || y < 0 || z < 0 || x >= nx || y >= ny || z >= nz) continue;
      if ((x - fx) ** 2 + (y - fy) ** 2 + (z - fz) ** 2 > radiusA * radiusA) continue;
      const i = (z * ny + y) * nx + x;
      order.forEach((ch, k) => { sums[k] += pm.channels[ch][i]; });
    }
    n++;
    if (sums.indexOf(Math.max(...sums)) === codeOf[residue.base]) ok++;
  }
  return n ? ok / n : NaN;
}

const model = await loadDetectionModel(modelName);
const rows: Record<string, unknown>[] = [];
const perClass: Record<number, Record<string, Counts>> = {};
for (const res of RESOLUTIONS) perClass[res] = Object.fromEntries(PROBABILITY_CHANNELS.map((c) => [c, { tp: 0, fp: 0, fn: 0 }]));
for (const file of STRUCTURES) {
  const s = readStructure(join(values.shared!, 'structures', file));
  for (const res of RESOLUTIONS) {
    const t0 = performance.now();
    const map = simulateMap(s, { resolutionA: res, voxelSizeA: 1.1, padA: 10, bFactor: 30, noiseSnr: 3, noiseColourA: 2.5, noiseColourFraction: 0.6, localAmplitudeJitter: 0.25, seed: seed + res });
    const prepared = prepareMap(map, { contour: 0 });
    const r = await detect(prepared, model);
    const pm = r.probabilities;
    const labels = labelMaps(s, pm);
    for (const c of PROBABILITY_CHANNELS) {
      const p = pm.channels[c], l = labels[CLASS_LABEL[c] as keyof typeof labels] as Uint8Array;
      const k = perClass[res][c];
      for (let i = 0; i < p.length; i++) {
        const pos = p[i] > 0.5, lab = l[i] === 1;
        if (pos && lab) k.tp++; else if (pos) k.fp++; else if (lab) k.fn++;
      }
    }
    const clusters = await clusterNodes(pm, prepared.raw);
    const nNt = Structure.nucleotides(s).length;
    const row = {
      structure: file, resolutionA: res,
      c4Recall2A: +atomRecall(s, "C4'", peaks(pm, 'sugar')).toFixed(3),
      pRecall2A: +atomRecall(s, 'P', peaks(pm, 'phosphate')).toFixed(3),
      c4NodeRecall2A: +atomRecall(s, "C4'", nodePoints(clusters.nodes.sugar)).toFixed(3),
      pNodeRecall2A: +atomRecall(s, 'P', nodePoints(clusters.nodes.phosphate)).toFixed(3),
      sugarNodesPerNt: +(clusters.nodes.sugar.count / Math.max(1, nNt)).toFixed(2),
      baseTypeAccuracy: +baseTypeAccuracy(s, pm).toFixed(3),
      seconds: +((performance.now() - t0) / 1000).toFixed(1),
    };
    rows.push(row);
    process.stderr.write(`${JSON.stringify(row)}\n`);
  }
}
await model.release();

const f1 = (k: Counts) => {
  const p = k.tp / Math.max(1, k.tp + k.fp), r = k.tp / Math.max(1, k.tp + k.fn);
  return { precision: +p.toFixed(3), recall: +r.toFixed(3), f1: +(p + r > 0 ? (2 * p * r) / (p + r) : 0).toFixed(3) };
};
const bins = RESOLUTIONS.map((res) => {
  const rs = rows.filter((r) => r.resolutionA === res);
  const mean = (key: string) => +(rs.reduce((a, r) => a + (r[key] as number), 0) / rs.length).toFixed(3);
  return { resolutionA: res, c4Recall2A: mean('c4Recall2A'), pRecall2A: mean('pRecall2A'), c4NodeRecall2A: mean('c4NodeRecall2A'), pNodeRecall2A: mean('pNodeRecall2A'), sugarNodesPerNt: mean('sugarNodesPerNt'), baseTypeAccuracy: mean('baseTypeAccuracy'), voxel: Object.fromEntries(PROBABILITY_CHANNELS.map((c) => [c, f1(perClass[res][c])])) };
});
const result = { model: modelName, seed, structures: STRUCTURES, bins, rows };
if (values.out) writeFileSync(values.out, JSON.stringify(result, null, 1) + '\n');
console.log('| resolution | C4\' peak recall (2 A) | P peak recall (2 A) | C4\' node recall (2 A) | P node recall (2 A) | sugar nodes / nt | base-type accuracy | ' + PROBABILITY_CHANNELS.map((c) => `${c} P/R/F1`).join(' | ') + ' |');
console.log('|---|---|---|---|---|---|---|' + PROBABILITY_CHANNELS.map(() => '---').join('|') + '|');
for (const b of bins) {
  console.log(`| ${b.resolutionA} A | ${b.c4Recall2A} | ${b.pRecall2A} | ${b.c4NodeRecall2A} | ${b.pNodeRecall2A} | ${b.sugarNodesPerNt} | ${b.baseTypeAccuracy} | ` + PROBABILITY_CHANNELS.map((c) => { const v = b.voxel[c]; return `${v.precision}/${v.recall}/${v.f1}`; }).join(' | ') + ' |');
}
