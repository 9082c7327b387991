/**
 * Training data for the nucleic-acid classifier (src/trace/na-classifier.ts, issue 13: protein density
 * traced as nucleic acid): the pipeline itself (detection with the shipped network, clustering, tracing
 * with re-threading) runs on each map of a make-dataset.ts folder, and every traced node with a
 * phosphate on both sides becomes two views (read 5'->3' and 3'->5' in the template frame, the base
 * caller's features), labelled by where the node lies in the true structure:
 *
 *   1 (nucleic acid)  the node's sugar point is <= --na-a from a true sugar point (primed-atom centroid);
 *   0 (not)           it is > --far-a from every true nucleotide point (sugar, C4', P, base centroid):
 *                     traced protein, ions, waters, noise;
 *   nodes in between are skipped (a real nucleotide traced off-centre is neither).
 *
 * Views come from the traced points, not jittered true ones, because false paths are what the pipeline
 * traces into protein density: their frames only exist on traced paths.
 *
 *   npx tsx training/make-na-classifier-data.ts --data training/data-nac --out training/data-nac/na-classifier
 *
 * Samples are split by structure (a stable hash of the file name, --val-fraction) so validation nodes
 * come from structures no training node came from. Writes {train,val}.f32 (N x featureCount),
 * {train,val}.labels.u8 (1 NA, 0 not), {train,val}.res.f32, {train,val}.nodes.jsonl (sample, path, node,
 * label, protein: whether the node lies in protein density, and the node's P5' / sugar / P3' points in A; one
 * line per node, views 2k and 2k+1) and meta.json.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Vec3 } from '../src/grid/volume.js';
import { featureCount, templateFrameFeatures, pathPhosphates, DEFAULT_TEMPLATE_GRID } from '../src/trace/base-caller.js';
import { runPipeline } from '../src/pipeline/run-pipeline.js';
import { NeighbourGrid, pointSetFromArray } from '../src/grid/neighbour-grid.js';
import { isValidationStructure } from './split.js';
import { emptyViewSets, sampleVolume, trainingSamples, writeViewSets } from './traced-views.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: 'training/data-nac' },
    out: { type: 'string' },
    model: { type: 'string', default: 'cryoread-ts-v2' },
    'na-a': { type: 'string', default: '3' },
    'far-a': { type: 'string', default: '6' },
    'val-fraction': { type: 'string', default: '0.2' },
    limit: { type: 'string' },
  },
});
const dir = resolve(values.data!), out = resolve(values.out ?? join(dir, 'na-classifier'));
const naA = Number(values['na-a']), farA = Number(values['far-a']), valFraction = Number(values['val-fraction']);
const grid = DEFAULT_TEMPLATE_GRID;
const nf = featureCount(grid);
const parts = emptyViewSets();
const t0 = Date.now();
const samples = trainingSamples(dir, values.limit ? Number(values.limit) : undefined);
let k = 0;
for (const s of samples) {
  k++;
  const vol = sampleVolume(dir, s);
  const atoms = JSON.parse(readFileSync(join(dir, `${s.id}.atoms.json`), 'utf8')) as { c4: number[][]; p: number[][]; baseCentroid: number[][]; primedCentroid: number[][] };
  const labelsPath = join(dir, `${s.id}.labels.u8`);
  const labelBytes = existsSync(labelsPath) ? readFileSync(labelsPath) : null;
  const nVox = s.shape[0] * s.shape[1] * s.shape[2];
  const r = await runPipeline({ map: vol, mapSource: s.id }, { resolutionA: s.resolutionA, seed: 1, detection: { modelName: values.model! }, baseCaller: null });
  const paths = r.paths ?? [];
  const sugars = new NeighbourGrid(pointSetFromArray(atoms.primedCentroid), naA);
  const anyNa = new NeighbourGrid(pointSetFromArray([...atoms.primedCentroid, ...atoms.c4, ...atoms.p, ...atoms.baseCentroid]), farA);
  const near = (g: NeighbourGrid, v: Vec3, r: number) => g.points.count > 0 && g.nearest(v[0], v[1], v[2], r).index >= 0;
  const part = parts[isValidationStructure(s.structure, valFraction) ? 'val' : 'train'];
  let pos = 0, neg = 0;
  paths.forEach((p, pi) => {
    const q = pathPhosphates(p.nodes);
    p.nodes.forEach((n, ni) => {
      const a = q[ni], b = q[ni + 1];
      if (!a || !b) return;
      const label = near(sugars, n.sugarA, naA) ? 1 : near(anyNa, n.sugarA, farA) ? -1 : 0;
      if (label < 0) return;
      const f1 = templateFrameFeatures(vol, a, n.sugarA, b, grid), f2 = templateFrameFeatures(vol, b, n.sugarA, a, grid);
      if (!f1 || !f2) return;
      // protein channel (index 3 of LABEL_CLASSES) of the binary labels at the node's voxel
      let protein = false;
      if (labelBytes) {
        const [x, y, z] = [0, 1, 2].map((d) => Math.round(n.sugarA[d] - s.originA[d]));
        if (x >= 0 && y >= 0 && z >= 0 && x < s.shape[2] && y < s.shape[1] && z < s.shape[0]) protein = labelBytes[3 * nVox + (z * s.shape[1] + y) * s.shape[2] + x] > 0;
      }
      part.feats.push(f1, f2);
      part.labels.push(label, label);
      part.res.push(s.resolutionA, s.resolutionA);
      const r3 = (v: Vec3) => v.map((x) => +x.toFixed(2));
      // the node's points too, so other feature grids can be tried later without re-running the pipeline
      part.nodes.push(JSON.stringify({ sample: s.id, structure: s.structure, path: pi, node: ni, pathLength: p.nodes.length, label, protein, p5: r3(a), s: r3(n.sugarA), p3: r3(b) }));
      if (label) pos++; else neg++;
    });
  });
  console.log(`${((Date.now() - t0) / 1000).toFixed(0)} s  ${k}/${samples.length} ${s.id} ${s.structure} ${s.resolutionA} A: ${paths.length} paths, ${pos} NA / ${neg} not-NA nodes`);
}
const counts = Object.fromEntries((['train', 'val'] as const).map((split) => [split, { views: parts[split].labels.length, na: parts[split].labels.filter((x) => x === 1).length }]));
writeViewSets(out, parts, nf, () => ({ kind: 'na-classifier', frame: 'template', grid, featureCount: nf, classes: ['not', 'NA'], naA, farA, valFraction, model: values.model, data: values.data, counts }));
console.log(`done in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${JSON.stringify(counts)}`);
