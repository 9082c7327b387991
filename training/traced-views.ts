/**
 * Shared by the training-data scripts that learn from the pipeline's own traced nodes
 * (make-na-classifier-data.ts, make-traced-base-caller-data.ts): the training samples of a make-dataset.ts
 * folder, each sample's map as a 1 A Volume, and view sets (feature vectors + labels + map resolution +
 * one JSON line per node) written as {split}.f32 / .labels.u8 / .res.f32 / .nodes.jsonl, each file
 * through a temporary name so no half-written file is left under its final name.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Volume } from '../src/grid/volume.js';

/**
 * Whether a traced node read from phosphate point a (5' in the path's order) to b runs with its matched
 * true nucleotide (own phosphate p5, next nucleotide's phosphate p3; either may be missing at a chain end):
 * a is the nearer to p5. null when the nucleotide has neither phosphate.
 */
export function readsForward(a: readonly number[], b: readonly number[], p5: readonly number[] | null, p3: readonly number[] | null): boolean | null {
  const d = (u: readonly number[], v: readonly number[]) => Math.hypot(u[0] - v[0], u[1] - v[1], u[2] - v[2]);
  if (p5 && p3) return d(a, p5) + d(b, p3) <= d(a, p3) + d(b, p5);
  if (p5) return d(a, p5) <= d(b, p5);
  if (p3) return d(b, p3) <= d(a, p3);
  return null;
}

export interface DatasetSample { id: string; structure: string; split: string; shape: [number, number, number]; originA: [number, number, number]; resolutionA: number }

/** The 'train' samples of a make-dataset.ts folder (index.json or index.train.json), the first `limit` if given. */
export function trainingSamples(dir: string, limit?: number): DatasetSample[] {
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) throw new Error(`--limit ${limit}: give a whole number of maps > 0`);
  const indexFile = ['index.json', 'index.train.json'].map((f) => join(dir, f)).find((f) => existsSync(f));
  if (!indexFile) throw new Error(`${dir}: no index.json or index.train.json; make the maps with training/make-dataset.ts first`);
  const index = JSON.parse(readFileSync(indexFile, 'utf8')) as { samples: DatasetSample[] };
  return index.samples.filter((s) => s.split === 'train').slice(0, limit);
}

/** A sample's density (`<id>.density.f32`, 1 A voxels). */
export function sampleVolume(dir: string, s: DatasetSample): Volume {
  const raw = readFileSync(join(dir, `${s.id}.density.f32`));
  const data = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  return Volume.create({ shape: s.shape, voxelSizeA: [1, 1, 1], originA: s.originA }, data);
}

export interface ViewSet { feats: Float32Array[]; labels: number[]; res: number[]; nodes: string[] }
export type ViewSets = Record<'train' | 'val', ViewSet>;

export function emptyViewSets(): ViewSets {
  return { train: { feats: [], labels: [], res: [], nodes: [] }, val: { feats: [], labels: [], res: [], nodes: [] } };
}

/** Writes both view sets and meta.json (`meta`) into `out` (created); returns the views per split. */
export function writeViewSets(out: string, sets: ViewSets, featureCount: number, meta: (views: Record<'train' | 'val', number>) => Record<string, unknown>): Record<'train' | 'val', number> {
  mkdirSync(out, { recursive: true });
  const write = (name: string, bytes: Uint8Array | string) => {
    const tmp = join(out, `.${name}.tmp`);
    writeFileSync(tmp, bytes);
    renameSync(tmp, join(out, name));
  };
  const views = { train: 0, val: 0 };
  for (const split of ['train', 'val'] as const) {
    const P = sets[split];
    const X = new Float32Array(P.feats.length * featureCount);
    P.feats.forEach((f, i) => X.set(f, i * featureCount));
    write(`${split}.f32`, new Uint8Array(X.buffer));
    write(`${split}.labels.u8`, Uint8Array.from(P.labels));
    write(`${split}.res.f32`, new Uint8Array(Float32Array.from(P.res).buffer));
    write(`${split}.nodes.jsonl`, P.nodes.length ? P.nodes.join('\n') + '\n' : '');
    views[split] = P.labels.length;
  }
  write('meta.json', JSON.stringify(meta(views), null, 1));
  return views;
}
