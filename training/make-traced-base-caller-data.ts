/**
 * Training data for the base caller from the pipeline's own traced nodes (issue 13: calls are 0.57 right
 * on true backbone points but 0.44 on traced ones, median 1.3-1.5 A off, on maps we did not make). The
 * pipeline (detection with the shipped network, clustering, tracing with re-threading; no base caller)
 * runs on each map of a make-dataset.ts folder; every traced node with a phosphate on both sides
 * (pathPhosphates, as callBases reads it) whose sugar point lies <= --match-a from a true sugar point
 * (primed-atom centroid) becomes a view in the template frame, read in the true 5'->3' direction of
 * that nucleotide (the path's order when the node's 5' phosphate point is the nearer one to the true
 * 5' phosphate, else reversed: sequence assignment reads reversed paths with baseEvidenceReverse), and
 * labelled with the nucleotide's base (0 A, 1 U/T, 2 C, 3 G). `--copies` more views jitter the three
 * traced points (Gaussian, `--jitter-a` per axis), as test-time averaging does.
 *
 *   npx tsx training/make-traced-base-caller-data.ts --data training/data-nac --out training/data-nac/bc-traced
 *
 * Views are split by structure (training/split.ts isValidationStructure, --val-fraction). Writes
 * {train,val}.f32 (N x featureCount), {train,val}.labels.u8, {train,val}.res.f32, {train,val}.nodes.jsonl
 * (one line per node: sample, structure, path, node, label, distance to the true sugar point, whether it
 * was read reversed, its P5' / sugar / P3' points in the true direction; the node's views follow each
 * other) and meta.json; train_base_caller.py trains from the folder as from make-base-caller-data.ts's.
 * Departs from make-base-caller-data.ts (jittered true points) in where the points come from only.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Vec3 } from '../src/grid/volume.js';
import { featureCount, templateFrameFeatures, pathPhosphates, DEFAULT_TEMPLATE_GRID } from '../src/trace/base-caller.js';
import { runPipeline } from '../src/pipeline/run-pipeline.js';
import { NeighbourGrid, pointSetFromArray } from '../src/grid/neighbour-grid.js';
import { Rng } from '../src/util/random.js';
import { isValidationStructure } from './split.js';
import { emptyViewSets, readsForward, sampleVolume, trainingSamples, writeViewSets } from './traced-views.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: 'training/data-nac' },
    out: { type: 'string' },
    model: { type: 'string', default: 'cryoread-ts-v2' },
    'match-a': { type: 'string', default: '2.5' },
    copies: { type: 'string', default: '2' },
    'jitter-a': { type: 'string', default: '0.5' },
    'val-fraction': { type: 'string', default: '0.2' },
    seed: { type: 'string', default: '1' },
    limit: { type: 'string' },
  },
});
const dir = resolve(values.data!), out = resolve(values.out ?? join(dir, 'bc-traced'));
const matchA = Number(values['match-a']), copies = Number(values.copies), jitter = Number(values['jitter-a']);
const valFraction = Number(values['val-fraction']);
for (const [flag, v] of [['--match-a', matchA], ['--copies', copies], ['--jitter-a', jitter], ['--val-fraction', valFraction]] as const) {
  if (!(v >= 0)) throw new Error(`${flag} ${String(v)}: give a number >= 0`);
}
const rng = new Rng(Number(values.seed));
const grid = DEFAULT_TEMPLATE_GRID;
const nf = featureCount(grid);
const parts = emptyViewSets();
const jit = (v: Vec3): Vec3 => [v[0] + jitter * rng.normal(), v[1] + jitter * rng.normal(), v[2] + jitter * rng.normal()];
const r2 = (v: Vec3) => v.map((x) => +x.toFixed(2));
const t0 = Date.now();
const samples = trainingSamples(dir, values.limit ? Number(values.limit) : undefined);
let k = 0;
for (const s of samples) {
  k++;
  const vol = sampleVolume(dir, s);
  const atoms = JSON.parse(readFileSync(join(dir, `${s.id}.atoms.json`), 'utf8')) as { c1Base?: number[]; primedCentroid?: number[][]; p5Group?: (number[] | null)[]; p3Group?: (number[] | null)[] };
  if (!atoms.c1Base || !atoms.primedCentroid || !atoms.p5Group || !atoms.p3Group) throw new Error(`${s.id}.atoms.json: no c1Base / primedCentroid / p5Group / p3Group fields; regenerate the dataset with the current training/make-dataset.ts`);
  const r = await runPipeline({ map: vol, mapSource: s.id }, { resolutionA: s.resolutionA, seed: 1, detection: { modelName: values.model! }, baseCaller: null });
  const sugars = new NeighbourGrid(pointSetFromArray(atoms.primedCentroid), matchA);
  const part = parts[isValidationStructure(s.structure, valFraction) ? 'val' : 'train'];
  let used = 0, reversed = 0;
  (r.paths ?? []).forEach((p, pi) => {
    const q = pathPhosphates(p.nodes);
    p.nodes.forEach((n, ni) => {
      const a = q[ni], b = q[ni + 1];
      if (!a || !b || sugars.points.count === 0) return;
      const hit = sugars.nearest(n.sugarA[0], n.sugarA[1], n.sugarA[2], matchA);
      const i = hit.index;
      if (i < 0 || atoms.c1Base![i] < 0) return;
      const fwd = readsForward(a, b, atoms.p5Group![i], atoms.p3Group![i]);
      if (fwd === null) return;
      const [x5, x3] = fwd ? [a, b] : [b, a];
      const views: Float32Array[] = [];
      const f = templateFrameFeatures(vol, x5, n.sugarA, x3, grid);
      if (!f) return;
      views.push(f);
      for (let c = 0; c < copies; c++) {
        const g = templateFrameFeatures(vol, jit(x5), jit(n.sugarA), jit(x3), grid);
        if (g) views.push(g);
      }
      for (const v of views) {
        part.feats.push(v);
        part.labels.push(atoms.c1Base![i]);
        part.res.push(s.resolutionA);
      }
      part.nodes.push(JSON.stringify({ sample: s.id, structure: s.structure, path: pi, node: ni, views: views.length, label: atoms.c1Base![i], offA: +hit.distanceA.toFixed(2), reversed: !fwd, p5: r2(x5), s: r2(n.sugarA), p3: r2(x3) }));
      used++;
      if (!fwd) reversed++;
    });
  });
  console.log(`${((Date.now() - t0) / 1000).toFixed(0)} s  ${k}/${samples.length} ${s.id} ${s.structure} ${s.resolutionA} A: ${(r.paths ?? []).length} paths, ${used} nodes labelled (${reversed} read reversed)`);
}
const counts = writeViewSets(out, parts, nf, (views) => ({ frame: 'template', points: 'traced', grid, featureCount: nf, copies, jitterA: jitter, matchA, valFraction, model: values.model, data: values.data, counts: views }));
console.log(`done in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${JSON.stringify(counts)}`);
