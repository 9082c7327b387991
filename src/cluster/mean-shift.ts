/**
 * Mean shift of every seed voxel of one probability channel (reference section 9). Every voxel
 * with a non-zero (edited) probability is a seed, in grid scan order (z, then y, then x: CryoREAD's
 * i, j, k order). Each seed climbs to the local maximum of the kernel-smoothed probability.
 *
 * Speed-up (not in CryoREAD): converged points are hashed by voxel; a later seed whose trajectory
 * comes within `adoptRadiusA` of one stops there and takes that point's position and density.
 * Mean shift converges linearly, so most iterations are spent in
 * the last Angstrom; this skips about half of them and only changes which of two points less than
 * `adoptRadiusA` apart a seed ends on, well inside the 2 A merge distance.
 */
import type { GridFrame } from '../grid/volume.js';
import type { StageContext } from '../util/progress.js';
import { report, yieldToEventLoop } from '../util/progress.js';
import { GaussianKernel } from './kernel.js';
import { kernelFields, sampleFields } from './kernel-grid.js';

export interface MeanShiftResult {
  /** Linear voxel index (z * ny + y) * nx + x of each seed, ascending (scan order). */
  seedVoxel: Int32Array;
  /** Converged fractional voxel index of each seed. */
  fx: Float32Array;
  fy: Float32Array;
  fz: Float32Array;
  /** Kernel density sum w v at the converged position. */
  density: Float64Array;
  /** 1 for seeds that stopped on an earlier converged point (see adoptRadiusA). */
  adopted: Uint8Array;
  /** For an adopted seed, the (non-adopted) seed whose point it took; otherwise the seed itself. */
  source: Int32Array;
  /** Number of seeds that hit the iteration cap. */
  capped: number;
}

export interface MeanShiftOptions {
  bandwidthA: number;
  convergenceA2: number;
  maxIterations: number;
  /** First converge on kernel sums precomputed on the grid (kernel-grid.ts), then finish with exact steps unless a known mode is adopted. */
  kernelOnGrid: boolean;
  /** Adopt a converged point closer than this (A); 0 disables. */
  adoptRadiusA: number;
  /** Progress stage name, e.g. 'cluster/sugar'. */
  stage: string;
}

const CHUNK = 2048;

export async function meanShiftSeeds(
  data: Float32Array,
  frame: GridFrame,
  opt: MeanShiftOptions,
  ctx?: StageContext,
): Promise<MeanShiftResult> {
  let n = 0;
  for (let i = 0; i < data.length; i++) if (data[i] !== 0) n++;
  const seedVoxel = new Int32Array(n);
  for (let i = 0, k = 0; i < data.length; i++) if (data[i] !== 0) seedVoxel[k++] = i;
  const fx = new Float32Array(n), fy = new Float32Array(n), fz = new Float32Array(n);
  const density = new Float64Array(n);
  const adopted = new Uint8Array(n);
  const source = Int32Array.from({ length: n }, (_, i) => i);
  const kernel = new GaussianKernel(frame, opt.bandwidthA);
  const fields = opt.kernelOnGrid && n > 0 ? kernelFields(data, frame, kernel.coef, kernel.halfWindow) : null;
  const [, ny, nx] = frame.shape;
  const [vx, vy, vz] = frame.voxelSizeA;
  const m = new Float64Array(4);
  let capped = 0;
  // Converged points hashed by voxel (first one per voxel); lookups scan the voxels within adoptRadiusA.
  const modeAt = new Map<number, number>();
  const adopt2 = opt.adoptRadiusA * opt.adoptRadiusA;
  const [nz] = frame.shape;
  const rx = Math.ceil(opt.adoptRadiusA / vx), ry = Math.ceil(opt.adoptRadiusA / vy), rz = Math.ceil(opt.adoptRadiusA / vz);
  const voxelOf = (x: number, y: number, z: number) => {
    const ix = Math.round(x), iy = Math.round(y), iz = Math.round(z);
    if (ix < 0 || iy < 0 || iz < 0 || ix >= nx || iy >= ny || iz >= nz) return -1;
    return (iz * ny + iy) * nx + ix;
  };
  const findMode = (x: number, y: number, z: number): number => {
    const ix = Math.round(x), iy = Math.round(y), iz = Math.round(z);
    let best = -1, bestD = adopt2;
    for (let k = Math.max(0, iz - rz); k <= Math.min(nz - 1, iz + rz); k++) {
      for (let j = Math.max(0, iy - ry); j <= Math.min(ny - 1, iy + ry); j++) {
        for (let i = Math.max(0, ix - rx); i <= Math.min(nx - 1, ix + rx); i++) {
          const m0 = modeAt.get((k * ny + j) * nx + i);
          if (m0 === undefined) continue;
          const ex = (fx[m0] - x) * vx, ey = (fy[m0] - y) * vy, ez = (fz[m0] - z) * vz;
          const d2 = ex * ex + ey * ey + ez * ez;
          if (d2 < bestD || (d2 === bestD && m0 < best)) { best = m0; bestD = d2; }
        }
      }
    }
    return best;
  };
  for (let s = 0; s < n; s++) {
    if (s % CHUNK === 0 && s > 0) {
      report(ctx, opt.stage, s, n, 'mean shift');
      await yieldToEventLoop(ctx, opt.stage);
    }
    const v = seedVoxel[s];
    let px = v % nx, py = Math.floor(v / nx) % ny, pz = Math.floor(v / (nx * ny));
    let dens = 0;
    let it = 0;
    // Phase 1 (kernelOnGrid): cheap interpolated steps to convergence, then adopt a known mode nearby.
    let phase2 = true;
    if (fields) {
      for (; it < opt.maxIterations; it++) {
        sampleFields(fields, px, py, pz, m);
        if (!(m[0] > 0)) break;
        const ux = m[1] / m[0], uy = m[2] / m[0], uz = m[3] / m[0];
        px += ux; py += uy; pz += uz;
        if ((ux * vx) ** 2 + (uy * vy) ** 2 + (uz * vz) ** 2 < opt.convergenceA2) break;
      }
      const m0 = adopt2 > 0 ? findMode(px, py, pz) : -1;
      if (m0 >= 0) { px = fx[m0]; py = fy[m0]; pz = fz[m0]; dens = density[m0]; adopted[s] = 1; source[s] = m0; phase2 = false; }
    }
    // Phase 2: exact window sums (CryoREAD's iteration), adopting known modes on the way.
    for (let it2 = 0; phase2 && it2 < opt.maxIterations; it2++, it = it2) {
      kernel.moments(data, px, py, pz, m);
      dens = m[0];
      if (m[0] === 0) break; // empty window: stay (CryoREAD stops here too)
      const qx = m[1] / m[0], qy = m[2] / m[0], qz = m[3] / m[0];
      const dx = (qx - px) * vx, dy = (qy - py) * vy, dz = (qz - pz) * vz;
      px = qx; py = qy; pz = qz;
      if (dx * dx + dy * dy + dz * dz < opt.convergenceA2) break;
      if (adopt2 > 0) {
        const m0 = findMode(px, py, pz);
        if (m0 >= 0) { px = fx[m0]; py = fy[m0]; pz = fz[m0]; dens = density[m0]; adopted[s] = 1; source[s] = m0; break; }
      }
      if (it2 === opt.maxIterations - 1) it = opt.maxIterations;
    }
    if (it >= opt.maxIterations) capped++;
    fx[s] = px; fy[s] = py; fz[s] = pz;
    density[s] = dens;
    if (adopt2 > 0 && !adopted[s]) {
      const key = voxelOf(px, py, pz);
      if (key >= 0 && !modeAt.has(key)) modeAt.set(key, s);
    }
  }
  report(ctx, opt.stage, n, n, 'mean shift');
  return { seedVoxel, fx, fy, fz, density, adopted, source, capped };
}
