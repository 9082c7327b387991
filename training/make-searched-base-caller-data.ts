/**
 * Training views for the base caller in the frames it reads at inference (issue 13). Since session 12 the
 * pipeline reads each traced nucleotide in the best 8 of 32 jittered frames (frame search,
 * src/trace/frame-fit.ts; base-caller.ts searchFrames), chosen by fit to an ideal nucleotide density;
 * base-caller-v4 was fine-tuned on the traced frame plus blindly jittered copies. This script re-reads the
 * traced nodes a make-traced-base-caller-data.ts folder recorded (its {split}.nodes.jsonl: sample, label and
 * the node's P5' / sugar / P3' points in the true direction) from the same maps, keeps the search's best
 * frames of every node as views (the caller then learns exactly the frames it is shown), and writes a view
 * folder train_base_caller.py reads. No pipeline run: the points are stored, so this takes minutes, not
 * the hour the traced-node script takes.
 *
 *   npx tsx training/make-searched-base-caller-data.ts --traced training/data-nac/bc-traced --data training/data-nac
 *
 * Same split as the traced folder (its train / val files). Writes {train,val}.f32 / .labels.u8 / .res.f32 /
 * .nodes.jsonl and meta.json into --out (default: <data>/bc-searched).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Vec3 } from '../src/grid/volume.js';
import type { Volume } from '../src/grid/volume.js';
import { DEFAULT_TEMPLATE_GRID, featureCount, searchFrames } from '../src/trace/base-caller.js';
import { DEFAULT_FRAME_SEARCH, type FrameSearchParams } from '../src/trace/frame-fit.js';
import { Rng } from '../src/util/random.js';
import { emptyViewSets, sampleVolume, trainingSamples, writeViewSets } from './traced-views.js';

const { values } = parseArgs({
  options: {
    traced: { type: 'string' },
    data: { type: 'string', default: 'training/data-nac' },
    out: { type: 'string' },
    candidates: { type: 'string', default: String(DEFAULT_FRAME_SEARCH.candidates) },
    keep: { type: 'string', default: String(DEFAULT_FRAME_SEARCH.keep) },
    'jitter-a': { type: 'string', default: String(DEFAULT_FRAME_SEARCH.jitterA) },
    seed: { type: 'string', default: '1' },
  },
});
const dir = resolve(values.data!);
const traced = resolve(values.traced ?? join(dir, 'bc-traced'));
const out = resolve(values.out ?? join(dir, 'bc-searched'));
const search: FrameSearchParams = { ...DEFAULT_FRAME_SEARCH, candidates: Number(values.candidates), keep: Number(values.keep), jitterA: Number(values['jitter-a']) };
for (const [flag, v] of [['--candidates', search.candidates], ['--keep', search.keep]] as const) {
  if (!(Number.isInteger(v) && v >= 1)) throw new Error(`${flag} ${String(v)}: give a whole number >= 1`);
}
if (!(search.keep <= search.candidates)) throw new Error(`--keep ${search.keep}: give at most --candidates (${search.candidates})`);
if (!(search.jitterA >= 0)) throw new Error(`--jitter-a ${values['jitter-a']}: give a number >= 0`);
const tracedMeta = join(traced, 'meta.json');
if (!existsSync(tracedMeta)) throw new Error(`${traced}: no meta.json; make it with training/make-traced-base-caller-data.ts first`);
const grid = DEFAULT_TEMPLATE_GRID;
const nf = featureCount(grid);
const samples = new Map(trainingSamples(dir).map((s) => [s.id, s]));
const rng = new Rng(Number(values.seed));
const parts = emptyViewSets();
const t0 = Date.now();

interface NodeLine { sample: string; label: number; p5: Vec3; s: Vec3; p3: Vec3 }
for (const split of ['train', 'val'] as const) {
  const file = join(traced, `${split}.nodes.jsonl`);
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim());
  let volume: Volume | null = null, volumeId = '', used = 0;
  for (const line of lines) {
    const n = JSON.parse(line) as NodeLine;
    const s = samples.get(n.sample);
    if (!s) throw new Error(`${file}: sample "${n.sample}" is not in ${dir}'s index; give the --data folder the traced views were made from`);
    if (n.sample !== volumeId) {
      volume = sampleVolume(dir, s);
      volumeId = n.sample;
    }
    const frames = searchFrames(grid, volume!, n.p5, n.s, n.p3, rng, search);
    if (!frames) continue;
    const part = parts[split];
    for (const f of frames) {
      part.feats.push(f);
      part.labels.push(n.label);
      part.res.push(s.resolutionA);
    }
    part.nodes.push(JSON.stringify({ ...n, views: frames.length }));
    used++;
  }
  console.log(`${((Date.now() - t0) / 1000).toFixed(0)} s  ${split}: ${used} of ${lines.length} nodes read`);
}
const counts = writeViewSets(out, parts, nf, (views) => ({
  frame: 'template', points: 'traced, frame-searched', grid, featureCount: nf, search, traced, data: values.data, counts: views,
}));
console.log(`done in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${JSON.stringify(counts)}`);
