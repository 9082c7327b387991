/**
 * The Gaussian kernel CryoREAD uses for mean shift (section 9) and for the sugar-graph edge cost
 * (section 10.4): weight exp(-1.5 d^2 / s^2) with s = g / 2 (g = bandwidth, 3 A), summed over a
 * window of +-2g around the point. CryoREAD evaluates it in voxel units of its 1 A grid; here
 * distances are in Angstroms (per-axis voxel sizes), so the same numbers hold on any grid.
 * The kernel is separable, so each axis gets its own 1-D weight table per evaluation.
 * Speed: offsets where the weight is below 1e-7 of the peak (beyond ~4.9 A for g = 3 A) are not
 * visited; CryoREAD's +-2g window (6 A) only adds terms below exp(-24) there, so positions and
 * densities change by less than 1e-4 A and 1e-6 relative, while the window shrinks from 13^3 to ~10^3.
 */
import type { GridFrame } from '../grid/volume.js';

export class GaussianKernel {
  /** exp(-coef * dA^2). */
  readonly coef: number;
  /** Half-window per axis [x, y, z] in voxels (min(2g, weight-1e-7 radius) / voxel size). */
  readonly halfWindow: [number, number, number];
  private readonly nx: number;
  private readonly ny: number;
  private readonly nz: number;
  private readonly vs: readonly [number, number, number];
  private readonly wx: Float64Array;
  private readonly wy: Float64Array;
  private readonly wz: Float64Array;

  constructor(frame: GridFrame, bandwidthA: number) {
    const s = bandwidthA / 2;
    this.coef = 1.5 / (s * s);
    this.vs = frame.voxelSizeA;
    const cutoffA = Math.min(2 * bandwidthA, Math.sqrt(Math.log(1e7) / this.coef));
    this.halfWindow = [0, 1, 2].map((a) => cutoffA / frame.voxelSizeA[a]) as [number, number, number];
    [this.nz, this.ny, this.nx] = frame.shape;
    this.wx = new Float64Array(Math.ceil(2 * this.halfWindow[0]) + 2);
    this.wy = new Float64Array(Math.ceil(2 * this.halfWindow[1]) + 2);
    this.wz = new Float64Array(Math.ceil(2 * this.halfWindow[2]) + 2);
  }

  /** Window [lo, hi) along one axis for a fractional index p, CryoREAD style int(p - 2g) .. int(p + 2g + 1), clipped. */
  private range(p: number, half: number, n: number): [number, number] {
    return [Math.max(0, Math.floor(p - half)), Math.min(n, Math.floor(p + half + 1))];
  }

  private fill(w: Float64Array, lo: number, hi: number, p: number, voxelA: number): void {
    for (let i = lo; i < hi; i++) {
      const d = (i - p) * voxelA;
      w[i - lo] = Math.exp(-this.coef * d * d);
    }
  }

  /**
   * Weighted sums at fractional voxel index (fx, fy, fz) of `data` (a channel on this grid):
   * out[0] = sum w v, out[1..3] = sum w v ix, sum w v iy, sum w v iz. Returns out.
   */
  moments(data: Float32Array, fx: number, fy: number, fz: number, out: Float64Array): Float64Array {
    const [x0, x1] = this.range(fx, this.halfWindow[0], this.nx);
    const [y0, y1] = this.range(fy, this.halfWindow[1], this.ny);
    const [z0, z1] = this.range(fz, this.halfWindow[2], this.nz);
    this.fill(this.wx, x0, x1, fx, this.vs[0]);
    this.fill(this.wy, y0, y1, fy, this.vs[1]);
    this.fill(this.wz, z0, z1, fz, this.vs[2]);
    const nx = this.nx, ny = this.ny, wx = this.wx;
    let s = 0, sx = 0, sy = 0, sz = 0;
    for (let z = z0; z < z1; z++) {
      const wzv = this.wz[z - z0];
      let szy = 0, szx = 0, szyy = 0;
      for (let y = y0; y < y1; y++) {
        const row = (z * ny + y) * nx;
        let r = 0, rx = 0;
        for (let x = x0; x < x1; x++) {
          const v = data[row + x];
          if (v === 0) continue;
          const w = wx[x - x0] * v;
          r += w;
          rx += w * x;
        }
        if (r === 0) continue;
        const wyv = this.wy[y - y0];
        szy += wyv * r;
        szx += wyv * rx;
        szyy += wyv * r * y;
      }
      s += wzv * szy;
      sx += wzv * szx;
      sy += wzv * szyy;
      sz += wzv * szy * z;
    }
    out[0] = s; out[1] = sx; out[2] = sy; out[3] = sz;
    return out;
  }

  /** Kernel density sum w v at a fractional voxel index. */
  density(data: Float32Array, fx: number, fy: number, fz: number): number {
    return this.moments(data, fx, fy, fz, this.scratch)[0];
  }
  private readonly scratch = new Float64Array(4);
}
