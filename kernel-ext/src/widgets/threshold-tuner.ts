/**
 * Kernel side of ThresholdTuner: a density slice with the probability of one class (sugar,
 * phosphate, base) overlaid where it passes its threshold, the density contour as a line, and one
 * slider per threshold the stages use: density contour (prepare), sugar / phosphate / base
 * probability thresholds and mean-shift bandwidth (cluster). The view counts passing voxels of its
 * (subsampled) grid at once; the kernel recounts on the full grid and re-clusters a sub-box
 * (`subBoxA` edge, around the sugar-probability centre of mass) after the sliders rest for
 * `debounceMs`, reporting progress in `status`. `tuner.params` is what the next cell passes on:
 * `prepareMap(map, tuner.params.prepare)`, `clusterNodes(prob, density, tuner.params.cluster)`.
 */
import type { PreparedMap } from '../../../src/grid/prepare.js';
import { ProbabilityMaps, PROBABILITY_CHANNELS } from '../../../src/grid/probability-maps.js';
import { Volume } from '../../../src/grid/volume.js';
import { clusterNodes } from '../../../src/cluster/cluster-nodes.js';
import { defaultClusterParams, type ClusterParams } from '../../../src/cluster/params.js';
import type { PrepareParams } from '../../../src/grid/prepare.js';
import { InputError } from '../../../src/util/errors.js';
import { Widget } from './widget.js';
import { ANYWIDGET_MODULE, ANYWIDGET_VERSION } from './density-slice.js';
import { frontEndModule } from './front-end.js';

export const TUNED_CHANNELS = ['sugar', 'phosphate', 'base'] as const;
export type TunedChannel = (typeof TUNED_CHANNELS)[number];

export interface ThresholdTunerParams {
  /** Channel overlaid first. @default 'sugar' */
  channel: TunedChannel;
  /** Largest number of voxels sent to the view (integer-stride subsampling above). @default 400_000 */
  maxVoxels: number;
  /** Edge of the cube re-clustered for the node counts, Angstroms (0 = whole map). @default 40 */
  subBoxA: number;
  /** Quiet time after the last slider move before the kernel recounts, ms. @default 400 */
  debounceMs: number;
  /** Initial thresholds (CryoREAD defaults otherwise). */
  contour: number;
  sugarThreshold: number;
  phosphateThreshold: number;
  baseThreshold: number;
  bandwidthA: number;
  /** Canvas size on screen, CSS pixels. @default 360 */
  displayPx: number;
}

export interface TunerCounts {
  /** Voxels of the full grid at or above the contour. */
  densityVoxels: number;
  /** Voxels of the full grid whose probability passes the threshold (> t, as the cluster stage keeps them) inside the contour. */
  sugarVoxels: number;
  phosphateVoxels: number;
  baseVoxels: number;
  /** Nodes after clustering the sub-box with the current thresholds and bandwidth. */
  sugarNodes: number;
  phosphateNodes: number;
  baseNodes: number;
  /** The sub-box clustered, e.g. "40 x 40 x 40 voxels at (x0, y0, z0)". */
  subBox: string;
  /** Time the sub-box clustering took, seconds. */
  clusterSeconds: number;
}

export interface TunedParams {
  prepare: Pick<PrepareParams, 'contour'>;
  cluster: Pick<ClusterParams, 'sugarThreshold' | 'phosphateThreshold' | 'baseThreshold' | 'bandwidthA'>;
}

function strideFor(n: number, max: number): number {
  return Math.max(1, Math.ceil(Math.cbrt(n / max)));
}

function subsampleArray(src: ArrayLike<number>, shape: readonly number[], stride: number, out: Float32Array | Uint8Array, scale = 1): void {
  const [nz, ny, nx] = shape;
  let o = 0;
  for (let z = 0; z < nz; z += stride) for (let y = 0; y < ny; y += stride) for (let x = 0; x < nx; x += stride) out[o++] = src[(z * ny + y) * nx + x] * scale;
}

/** Copy of the box [x0, x0 + sx) x ... of a frame's arrays as a new frame with the matching origin. */
export function cropBox(frame: Volume, start: [number, number, number], size: [number, number, number]): Volume {
  const [, ny, nx] = frame.shape;
  const [x0, y0, z0] = start, [sx, sy, sz] = size;
  const out = new Float32Array(sx * sy * sz);
  let o = 0;
  for (let z = z0; z < z0 + sz; z++) for (let y = y0; y < y0 + sy; y++) {
    const row = (z * ny + y) * nx + x0;
    out.set(frame.data.subarray(row, row + sx), o);
    o += sx;
  }
  return Volume.create({ shape: [sz, sy, sx], voxelSizeA: frame.voxelSizeA, originA: Volume.indexToAngstrom(frame, x0, y0, z0) }, out);
}

export class ThresholdTuner extends Widget {
  readonly density: Volume;
  readonly probabilities: ProbabilityMaps;
  readonly stride: number;
  readonly subBoxStart: [number, number, number];
  readonly subBoxSize: [number, number, number];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #generation = 0;
  #debounceMs: number;

  /**
   * `prepared`: the prepared map of the detection (its `raw` grid is the probability grid);
   * `probabilities`: the detection output on that grid.
   */
  constructor(prepared: PreparedMap | Volume, probabilities: ProbabilityMaps, params: Partial<ThresholdTunerParams> = {}) {
    const density = 'raw' in prepared ? prepared.raw : prepared;
    const n = density.data.length;
    if (probabilities.channels.sugar.length !== n) {
      throw new InputError('TUNER_GRID', `ThresholdTuner: probability maps have ${probabilities.channels.sugar.length} voxels, the density ${n}; pass the PreparedMap the detection ran on`);
    }
    const stats = Volume.stats(density);
    const contour0 = params.contour ?? ('raw' in prepared ? prepared.contourRaw : 0);
    const p: ThresholdTunerParams = {
      channel: 'sugar', maxVoxels: 400_000, subBoxA: 40, debounceMs: 400, contour: contour0,
      sugarThreshold: defaultClusterParams.sugarThreshold, phosphateThreshold: defaultClusterParams.phosphateThreshold,
      baseThreshold: defaultClusterParams.baseThreshold, bandwidthA: defaultClusterParams.bandwidthA, displayPx: 360, ...params,
    };
    const stride = strideFor(n, p.maxVoxels);
    const [nz, ny, nx] = density.shape;
    const shown: [number, number, number] = [Math.ceil(nz / stride), Math.ceil(ny / stride), Math.ceil(nx / stride)];
    const m = shown[0] * shown[1] * shown[2];
    const dens = new Float32Array(m);
    subsampleArray(density.data, density.shape, stride, dens);
    const channels: Record<string, Uint8Array> = {};
    for (const c of TUNED_CHANNELS) {
      const q = new Uint8Array(m);
      // Probabilities quantised to 1/255 (what the overlay needs; a quarter of the bytes).
      subsampleArray(probabilities.channels[c], density.shape, stride, q, 255);
      channels[c] = q;
    }
    const hi = Math.min(stats.max, stats.mean + 8 * stats.rms);
    super(
      { _model_name: 'AnyModel', _model_module: ANYWIDGET_MODULE, _model_module_version: ANYWIDGET_VERSION, _view_name: 'AnyView', _view_module: ANYWIDGET_MODULE, _view_module_version: ANYWIDGET_VERSION },
      {
        _esm: frontEndModule('threshold-tuner'),
        _anywidget_id: 'cryoread.ThresholdTuner',
        shape: shown,
        stride,
        density: dens,
        channels,
        channel: p.channel,
        index: Math.floor(shown[0] / 2),
        vmin: Math.min(stats.mean, contour0),
        vmax: hi,
        contour: p.contour,
        contour_min: Math.min(stats.min, contour0),
        contour_max: Math.max(hi, contour0),
        sugar_threshold: p.sugarThreshold,
        phosphate_threshold: p.phosphateThreshold,
        base_threshold: p.baseThreshold,
        bandwidth_a: p.bandwidthA,
        counts: null,
        status: 'counts not computed yet',
        busy: false,
        display_px: p.displayPx,
      },
    );
    this.density = density;
    this.probabilities = probabilities;
    this.stride = stride;
    this.#debounceMs = p.debounceMs;
    // Sub-box: a cube of subBoxA (voxels at the grid spacing) around the sugar-probability centre of mass.
    const edge = p.subBoxA > 0 ? Math.max(8, Math.round(p.subBoxA / density.voxelSizeA[0])) : Infinity;
    const size: [number, number, number] = [Math.min(nx, edge), Math.min(ny, edge), Math.min(nz, edge)];
    let sx = 0, sy = 0, sz = 0, sw = 0;
    const sugar = probabilities.channels.sugar;
    for (let z = 0, o = 0; z < nz; z++) for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++, o++) {
      const w = sugar[o];
      if (w > 0) { sx += w * x; sy += w * y; sz += w * z; sw += w; }
    }
    const centre = sw > 0 ? [sx / sw, sy / sw, sz / sw] : [nx / 2, ny / 2, nz / 2];
    const dims = [nx, ny, nz];
    this.subBoxStart = [0, 1, 2].map((a) => Math.max(0, Math.min(dims[a] - size[a], Math.round(centre[a] - size[a] / 2)))) as [number, number, number];
    this.subBoxSize = size;
    this.observe(['contour', 'sugar_threshold', 'phosphate_threshold', 'base_threshold', 'bandwidth_a'], () => this.#schedule());
  }

  /** The tuned parameters, shaped for the stage functions (prepareMap / clusterNodes / runPipeline). */
  get params(): TunedParams {
    return {
      prepare: { contour: this.get<number>('contour') },
      cluster: {
        sugarThreshold: this.get<number>('sugar_threshold'),
        phosphateThreshold: this.get<number>('phosphate_threshold'),
        baseThreshold: this.get<number>('base_threshold'),
        bandwidthA: this.get<number>('bandwidth_a'),
      },
    };
  }

  get counts(): TunerCounts | null {
    return this.get<TunerCounts | null>('counts');
  }

  protected override coerce(name: string, v: unknown): unknown {
    if (typeof v !== 'number') return v;
    if (name.endsWith('_threshold')) return Math.max(0, Math.min(1, v));
    if (name === 'bandwidth_a') return Math.max(0.5, Math.min(10, v));
    return v;
  }

  #schedule(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.refresh().catch((e: unknown) => this.set({ busy: false, status: `recount failed: ${e instanceof Error ? e.message : String(e)}` }));
    }, this.#debounceMs);
  }

  /** Voxel counts on the full grid for the current thresholds (no clustering). */
  voxelCounts(): Pick<TunerCounts, 'densityVoxels' | 'sugarVoxels' | 'phosphateVoxels' | 'baseVoxels'> {
    const contour = this.get<number>('contour');
    const t = { sugar: this.get<number>('sugar_threshold'), phosphate: this.get<number>('phosphate_threshold'), base: this.get<number>('base_threshold') };
    const d = this.density.data;
    const ch = this.probabilities.channels;
    let dv = 0, sv = 0, pv = 0, bv = 0;
    for (let i = 0; i < d.length; i++) {
      if (d[i] < contour) continue;
      dv++;
      if (ch.sugar[i] > t.sugar) sv++;
      if (ch.phosphate[i] > t.phosphate) pv++;
      if (ch.base[i] > t.base) bv++;
    }
    return { densityVoxels: dv, sugarVoxels: sv, phosphateVoxels: pv, baseVoxels: bv };
  }

  /**
   * Recounts now (the sliders call this debounced): voxel counts on the full grid, node counts by
   * clustering the sub-box. A newer call supersedes a running one. Resolves with the counts.
   */
  async refresh(): Promise<TunerCounts> {
    const gen = ++this.#generation;
    const voxels = this.voxelCounts();
    const [x0, y0, z0] = this.subBoxStart, [sx, sy, sz] = this.subBoxSize;
    const subBox = `${sx} x ${sy} x ${sz} voxels at (${x0}, ${y0}, ${z0})`;
    this.set({ busy: true, status: `clustering the ${subBox} sub-box ...` });
    const contour = this.get<number>('contour');
    const box = (v: Float32Array) => cropBox(Volume.create(this.density, v), this.subBoxStart, this.subBoxSize);
    const dens = box(this.density.data);
    // The prepare stage zeroes density below the contour; the cluster stage masks probabilities where density <= 0.
    for (let i = 0; i < dens.data.length; i++) if (dens.data[i] < contour) dens.data[i] = 0; else if (dens.data[i] <= 0) dens.data[i] = 1e-6;
    const chans: Partial<Record<(typeof PROBABILITY_CHANNELS)[number], Float32Array>> = {};
    for (const c of PROBABILITY_CHANNELS) chans[c] = box(this.probabilities.channels[c]).data;
    const prob = ProbabilityMaps.create(dens, chans);
    const t0 = performance.now();
    const r = await clusterNodes(prob, dens, this.params.cluster, {
      onProgress: (e) => {
        if (gen === this.#generation && e.total > 0 && e.done === 0) this.set('status', `clustering the ${subBox} sub-box: ${e.stage} ...`);
      },
    });
    const counts: TunerCounts = {
      ...voxels,
      sugarNodes: r.nodes.sugar.count, phosphateNodes: r.nodes.phosphate.count, baseNodes: r.nodes.base.count,
      subBox, clusterSeconds: +((performance.now() - t0) / 1000).toFixed(2),
    };
    if (gen === this.#generation) {
      this.set({ counts, busy: false, status: `nodes in the sub-box: ${counts.sugarNodes} sugar, ${counts.phosphateNodes} phosphate, ${counts.baseNodes} base (${counts.clusterSeconds} s)` });
    }
    return counts;
  }

  override close(): void {
    if (this.#timer) clearTimeout(this.#timer);
    super.close();
  }
}
