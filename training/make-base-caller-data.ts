/**
 * Training data for the base caller (src/trace/base-caller.ts) from the maps of make-dataset.ts:
 * for every nucleotide with a bonded neighbour on both sides (sugar-atom centroids <= 8 A apart),
 * `--copies` feature vectors computed by the same TypeScript code the pipeline runs, with the three
 * sugar points jittered (Gaussian, `--jitter-a` per axis: the pipeline's sugar nodes lie a median
 * 1.9 A from the true sugar centroid on held-out maps), optionally slid by up to `--along-a` along
 * the backbone, and the backbone direction reversed at random (traced paths run either way).
 *
 *   npx tsx training/make-base-caller-data.ts --data training/data-b8 --copies 2 --jitter-a 1.0 --seed 1
 *
 * `--frame template` (base-caller-v3): the views are read in the template frame (base-caller.ts
 * templateFrameFeatures) from the nucleotide's own phosphate group, primed-atom centroid and the next
 * residue's phosphate group (the points re-threading places), each jittered, in 5'->3' order (the
 * pipeline reads them in the path's direction); nucleotides without both phosphates are skipped.
 *
 * Writes <data>/base-caller/ (or --out) {train,val}.f32 (N x featureCount float32), {train,val}.labels.u8
 * (0 A, 1 U/T, 2 C, 3 G), {train,val}.res.f32 (map resolution) and meta.json.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Volume, type Vec3 } from '../src/grid/volume.js';
import { baseCallerFeatures, featureCount, templateFrameFeatures, DEFAULT_BASE_CALLER_GRID, DEFAULT_TEMPLATE_GRID } from '../src/trace/base-caller.js';
import { Rng } from '../src/util/random.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: 'training/data-b8' },
    copies: { type: 'string', default: '2' },
    'jitter-a': { type: 'string', default: '1.0' },
    'along-a': { type: 'string', default: '0' },
    seed: { type: 'string', default: '1' },
    frame: { type: 'string', default: 'curvature' },
    'grid-step-a': { type: 'string' },
    'grid-half-a': { type: 'string' },
    out: { type: 'string' },
  },
});
const dir = resolve(values.data!), out = resolve(values.out ?? join(dir, 'base-caller'));
const copies = Number(values.copies), jitter = Number(values['jitter-a']), along = Number(values['along-a']);
const rng = new Rng(Number(values.seed));
const frame = values.frame!;
if (frame !== 'curvature' && frame !== 'template') throw new Error(`--frame ${frame}: give curvature or template`);
const baseGrid = frame === 'template' ? DEFAULT_TEMPLATE_GRID : DEFAULT_BASE_CALLER_GRID;
// --grid-step-a / --grid-half-a (template frame): another cubic grid around the base centroid.
const half = values['grid-half-a'] !== undefined ? Number(values['grid-half-a']) : null;
if (half !== null && frame !== 'template') throw new Error('--grid-half-a: only with --frame template (a cube around the base centroid)');
const grid = {
  ...baseGrid,
  ...(values['grid-step-a'] !== undefined ? { stepA: Number(values['grid-step-a']) } : {}),
  ...(half !== null ? { tangentA: [-half, half] as [number, number], inwardA: [-half, half] as [number, number], normalA: [-half, half] as [number, number] } : {}),
};
if (!(grid.stepA > 0) || (half !== null && !(half > 0))) throw new Error('--grid-step-a / --grid-half-a: give positive distances in A');
const nf = featureCount(grid);
const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { samples: { id: string; split: string; shape: [number, number, number]; originA: [number, number, number]; resolutionA: number }[] };
mkdirSync(out, { recursive: true });

/** Gaussian jitter plus a uniform slide of up to +-along A along the backbone direction t (network sugar nodes spread along the backbone tube). */
const jit = (p: number[], t: number[]): Vec3 => {
  const u = along > 0 ? rng.uniform(-along, along) : 0;
  return [p[0] + jitter * rng.normal() + u * t[0], p[1] + jitter * rng.normal() + u * t[1], p[2] + jitter * rng.normal() + u * t[2]];
};
const dist = (a: number[], b: number[]) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
const t0 = Date.now();
const counts: Record<string, number> = {};
for (const split of ['train', 'val']) {
  const feats: Float32Array[] = [], labels: number[] = [], res: number[] = [];
  for (const s of index.samples.filter((x) => x.split === split)) {
    const raw = readFileSync(join(dir, `${s.id}.density.f32`));
    const data = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    const vol = Volume.create({ shape: s.shape, voxelSizeA: [1, 1, 1], originA: s.originA }, data);
    const atoms = JSON.parse(readFileSync(join(dir, `${s.id}.atoms.json`), 'utf8')) as { sugarCentroid?: number[][]; c1Base: number[]; primedCentroid?: number[][]; p5Group?: (number[] | null)[]; p3Group?: (number[] | null)[] };
    if (!atoms.sugarCentroid) throw new Error(`${s.id}.atoms.json: no sugarCentroid field; regenerate the dataset with the current training/make-dataset.ts`);
    const S = atoms.sugarCentroid, type = atoms.c1Base;
    if (frame === 'template') {
      if (!atoms.primedCentroid || !atoms.p5Group || !atoms.p3Group) throw new Error(`${s.id}.atoms.json: no primedCentroid / p5Group / p3Group fields (--frame template); regenerate the dataset with the current training/make-dataset.ts`);
      for (let i = 0; i < S.length; i++) {
        const p5 = atoms.p5Group[i], p3 = atoms.p3Group[i];
        if (type[i] < 0 || !p5 || !p3) continue;
        const d = dist(p3, p5);
        const t = [0, 1, 2].map((k) => (p3[k] - p5[k]) / d);
        for (let c = 0; c < copies; c++) {
          const f = templateFrameFeatures(vol, jit(p5, t), jit(atoms.primedCentroid[i], t), jit(p3, t), grid);
          if (!f) continue;
          feats.push(f);
          labels.push(type[i]);
          res.push(s.resolutionA);
        }
      }
      continue;
    }
    for (let i = 1; i + 1 < S.length; i++) {
      if (type[i] < 0 || dist(S[i], S[i - 1]) > 8 || dist(S[i], S[i + 1]) > 8) continue;
      const d = dist(S[i + 1], S[i - 1]);
      const t = [0, 1, 2].map((k) => (S[i + 1][k] - S[i - 1][k]) / d);
      for (let c = 0; c < copies; c++) {
        let a = jit(S[i - 1], t), b = jit(S[i + 1], t);
        if (rng.next() < 0.5) [a, b] = [b, a];
        const f = baseCallerFeatures(vol, a, jit(S[i], t), b, grid);
        if (!f) continue;
        feats.push(f);
        labels.push(type[i]);
        res.push(s.resolutionA);
      }
    }
  }
  const X = new Float32Array(feats.length * nf);
  feats.forEach((f, k) => X.set(f, k * nf));
  const write = (name: string, bytes: Uint8Array) => {
    const tmp = join(out, `.${name}.tmp`);
    writeFileSync(tmp, bytes);
    renameSync(tmp, join(out, name));
  };
  write(`${split}.f32`, new Uint8Array(X.buffer));
  write(`${split}.labels.u8`, Uint8Array.from(labels));
  write(`${split}.res.f32`, new Uint8Array(Float32Array.from(res).buffer));
  counts[split] = labels.length;
  console.log(`${split}: ${labels.length} nucleotide views (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}
writeFileSync(join(out, 'meta.json'), JSON.stringify({ frame, grid, featureCount: nf, copies, jitterA: jitter, alongA: along, seed: Number(values.seed), data: values.data, counts }, null, 1));
