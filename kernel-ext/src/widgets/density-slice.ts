/**
 * Kernel side of the DensitySlice widget: one slice of a Volume on a canvas (axis, index, colour
 * limits, contour overlay). It is an anywidget model (`_esm` carries the view), so it renders in
 * JupyterLab / VS Code / Colab with anywidget, and in our offline static HTML embed.
 */
import { Volume, type Vec3 } from '../../../src/grid/volume.js';
import { InputError } from '../../../src/util/errors.js';
import { Widget } from './widget.js';
import { DENSITY_SLICE_ESM } from './generated/density-slice-esm.js';

export const ANYWIDGET_MODULE = 'anywidget';
/** anywidget's semver range for its model/view module. */
export const ANYWIDGET_VERSION = '~0.9.*';

export type SliceAxis = 'x' | 'y' | 'z';

export interface DensitySliceParams {
  /** Axis normal to the slice. @default 'z' */
  axis: SliceAxis;
  /** Slice index along `axis` (of the possibly downsampled grid); undefined = middle. */
  index: number | undefined;
  /** Density drawn black; undefined = mean (density units). */
  vmin: number | undefined;
  /** Density drawn white; undefined = min(max, mean + 5 rms) (density units). */
  vmax: number | undefined;
  /** Contour level drawn as an orange line, or null for none (density units). @default null */
  contour: number | null;
  /** Largest number of voxels sent to the front end; larger maps are subsampled by an integer stride. @default 2_000_000 */
  maxVoxels: number;
  /** Target canvas size on screen (CSS pixels). @default 320 */
  displayPx: number;
}

export const DEFAULT_DENSITY_SLICE_PARAMS: DensitySliceParams = { axis: 'z', index: undefined, vmin: undefined, vmax: undefined, contour: null, maxVoxels: 2_000_000, displayPx: 320 };

/** What a click on the slice reports. */
export interface VoxelClick {
  /** Voxel index [ix, iy, iz] in the original volume. */
  voxel: Vec3;
  /** Cartesian position of that voxel (Angstroms). */
  positionA: Vec3;
  /** Density at the voxel. */
  value: number;
}

/** Every `stride`-th voxel along each axis (stride 1 returns the volume itself). */
export function subsample(volume: Volume, stride: number): Volume {
  if (stride <= 1) return volume;
  const [nz, ny, nx] = volume.shape;
  const mz = Math.ceil(nz / stride), my = Math.ceil(ny / stride), mx = Math.ceil(nx / stride);
  const out = new Float32Array(mz * my * mx);
  let o = 0;
  for (let z = 0; z < mz; z++) for (let y = 0; y < my; y++) for (let x = 0; x < mx; x++) out[o++] = volume.data[Volume.offset(volume, x * stride, y * stride, z * stride)];
  const vs = volume.voxelSizeA;
  return Volume.create({ shape: [mz, my, mx], voxelSizeA: [vs[0] * stride, vs[1] * stride, vs[2] * stride], originA: volume.originA }, out);
}

export class DensitySlice extends Widget {
  /** Subsampling stride applied to the volume sent to the front end. */
  readonly stride: number;
  readonly volume: Volume;

  constructor(volume: Volume, params: Partial<DensitySliceParams> = {}) {
    const p = { ...DEFAULT_DENSITY_SLICE_PARAMS, ...params };
    if (!['x', 'y', 'z'].includes(p.axis)) throw new InputError('SLICE_AXIS', `DensitySlice: axis "${p.axis}" must be 'x', 'y' or 'z'`);
    const n = volume.data.length;
    const stride = Math.max(1, Math.ceil(Math.cbrt(n / p.maxVoxels)));
    const shown = subsample(volume, stride);
    const s = Volume.stats(volume);
    const axisLen = (a: SliceAxis) => (a === 'z' ? shown.shape[0] : a === 'y' ? shown.shape[1] : shown.shape[2]);
    super(
      { _model_name: 'AnyModel', _model_module: ANYWIDGET_MODULE, _model_module_version: ANYWIDGET_VERSION, _view_name: 'AnyView', _view_module: ANYWIDGET_MODULE, _view_module_version: ANYWIDGET_VERSION },
      {
        _esm: DENSITY_SLICE_ESM,
        _anywidget_id: 'cryoread.DensitySlice',
        shape: [...shown.shape],
        voxel_size_a: [...shown.voxelSizeA],
        origin_a: [...shown.originA],
        data: shown.data,
        axis: p.axis,
        index: p.index ?? Math.floor(axisLen(p.axis) / 2),
        vmin: p.vmin ?? s.mean,
        vmax: p.vmax ?? Math.min(s.max, s.mean + 5 * s.rms),
        contour: p.contour,
        display_px: p.displayPx,
        layout: null,
      },
    );
    this.stride = stride;
    this.volume = volume;
  }

  /** Number of slices along the current axis (of the displayed grid). */
  get sliceCount(): number {
    const shape = this.get<number[]>('shape');
    const axis = this.get<SliceAxis>('axis');
    return axis === 'z' ? shape[0] : axis === 'y' ? shape[1] : shape[2];
  }

  protected override coerce(name: string, v: unknown): unknown {
    if (name === 'index' && typeof v === 'number') {
      const shape = this.get<number[] | undefined>('shape');
      if (!shape) return Math.round(v);
      return Math.max(0, Math.min(this.sliceCount - 1, Math.round(v)));
    }
    return v;
  }

  /** Calls `cb` when the user clicks a voxel in the front end (index and position in the original volume). */
  onVoxelClick(cb: (click: VoxelClick) => void): void {
    this.onCustom((content) => {
      const c = content as { event?: string; voxel?: number[] } | null;
      if (c?.event !== 'click' || !Array.isArray(c.voxel)) return;
      const [ix, iy, iz] = c.voxel.map((i) => Math.min(i * this.stride, Number.MAX_SAFE_INTEGER));
      const v = this.volume;
      if (ix >= v.shape[2] || iy >= v.shape[1] || iz >= v.shape[0] || ix < 0 || iy < 0 || iz < 0) return;
      cb({ voxel: [ix, iy, iz], positionA: Volume.indexToAngstrom(v, ix, iy, iz), value: v.data[Volume.offset(v, ix, iy, iz)] });
    });
  }
}
