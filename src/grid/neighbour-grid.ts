/**
 * NeighbourGrid: cell list over 3-D points for fixed-radius queries in O(1) per query on average
 * (instead of O(N) scans). Build once for N points (O(N)), then `forEachWithin` / `nearest`.
 * Cell edge = the query radius you use most; queries with a larger radius still work (they visit more cells).
 */
export interface PointSet3 {
  /** Number of points. */
  readonly count: number;
  /** Coordinates in Angstroms. */
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  readonly z: ArrayLike<number>;
}

export class NeighbourGrid {
  readonly cellSizeA: number;
  private readonly minX: number;
  private readonly minY: number;
  private readonly minZ: number;
  private readonly nx: number;
  private readonly ny: number;
  private readonly nz: number;
  /** cellStart[c]..cellStart[c+1] index into `order` (points sorted by cell). */
  private readonly cellStart: Int32Array;
  private readonly order: Int32Array;

  constructor(readonly points: PointSet3, cellSizeA: number) {
    if (!(cellSizeA > 0)) throw new RangeError(`NeighbourGrid: cellSizeA must be > 0, got ${cellSizeA}`);
    this.cellSizeA = cellSizeA;
    const n = points.count;
    let minX = Infinity, minY = Infinity, minZ = Infinity, maxX = -Infinity, maxY = -Infinity, maxZ = -Infinity;
    for (let i = 0; i < n; i++) {
      const x = points.x[i], y = points.y[i], z = points.z[i];
      if (x < minX) minX = x; if (x > maxX) maxX = x;
      if (y < minY) minY = y; if (y > maxY) maxY = y;
      if (z < minZ) minZ = z; if (z > maxZ) maxZ = z;
    }
    if (n === 0) { minX = minY = minZ = 0; maxX = maxY = maxZ = 0; }
    this.minX = minX; this.minY = minY; this.minZ = minZ;
    // Cap the number of cells so sparse, far-apart points cannot allocate a huge table.
    let cs = cellSizeA;
    const span = Math.max(maxX - minX, maxY - minY, maxZ - minZ);
    while (((span / cs + 1) ** 3) > Math.max(8 * n, 1 << 20)) cs *= 2;
    this.cellSizeA = cs;
    this.nx = Math.floor((maxX - minX) / cs) + 1;
    this.ny = Math.floor((maxY - minY) / cs) + 1;
    this.nz = Math.floor((maxZ - minZ) / cs) + 1;
    const ncell = this.nx * this.ny * this.nz;
    const cellOf = new Int32Array(n);
    const counts = new Int32Array(ncell + 1);
    for (let i = 0; i < n; i++) {
      const c = this.cellIndex(points.x[i], points.y[i], points.z[i]);
      cellOf[i] = c;
      counts[c + 1]++;
    }
    for (let c = 0; c < ncell; c++) counts[c + 1] += counts[c];
    this.cellStart = counts;
    const fill = counts.slice(0, ncell);
    this.order = new Int32Array(n);
    for (let i = 0; i < n; i++) this.order[fill[cellOf[i]]++] = i;
  }

  private cellIndex(x: number, y: number, z: number): number {
    const cx = Math.min(this.nx - 1, Math.max(0, Math.floor((x - this.minX) / this.cellSizeA)));
    const cy = Math.min(this.ny - 1, Math.max(0, Math.floor((y - this.minY) / this.cellSizeA)));
    const cz = Math.min(this.nz - 1, Math.max(0, Math.floor((z - this.minZ) / this.cellSizeA)));
    return (cz * this.ny + cy) * this.nx + cx;
  }

  /** Calls `fn(index, distanceSquared)` for every point within `radiusA` of (x, y, z), in no fixed order. */
  forEachWithin(x: number, y: number, z: number, radiusA: number, fn: (index: number, d2: number) => void): void {
    const r2 = radiusA * radiusA;
    const cs = this.cellSizeA;
    const x0 = Math.max(0, Math.floor((x - radiusA - this.minX) / cs)), x1 = Math.min(this.nx - 1, Math.floor((x + radiusA - this.minX) / cs));
    const y0 = Math.max(0, Math.floor((y - radiusA - this.minY) / cs)), y1 = Math.min(this.ny - 1, Math.floor((y + radiusA - this.minY) / cs));
    const z0 = Math.max(0, Math.floor((z - radiusA - this.minZ) / cs)), z1 = Math.min(this.nz - 1, Math.floor((z + radiusA - this.minZ) / cs));
    const P = this.points;
    for (let cz = z0; cz <= z1; cz++) for (let cy = y0; cy <= y1; cy++) {
      const base = (cz * this.ny + cy) * this.nx;
      for (let cx = x0; cx <= x1; cx++) {
        const c = base + cx;
        for (let k = this.cellStart[c], e = this.cellStart[c + 1]; k < e; k++) {
          const i = this.order[k];
          const dx = P.x[i] - x, dy = P.y[i] - y, dz = P.z[i] - z;
          const d2 = dx * dx + dy * dy + dz * dz;
          if (d2 <= r2) fn(i, d2);
        }
      }
    }
  }

  /** Indices within `radiusA`, sorted by distance then index (deterministic). */
  within(x: number, y: number, z: number, radiusA: number): number[] {
    const hits: [number, number][] = [];
    this.forEachWithin(x, y, z, radiusA, (i, d2) => hits.push([i, d2]));
    hits.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
    return hits.map((h) => h[0]);
  }

  /**
   * Nearest point to (x, y, z) within `maxRadiusA` (optionally skipping indices for which `exclude`
   * returns true); ties broken by lower index. Returns -1 when none.
   */
  nearest(x: number, y: number, z: number, maxRadiusA: number, exclude?: (index: number) => boolean): { index: number; distanceA: number } {
    let best = -1, bestD2 = Infinity;
    let r = Math.min(this.cellSizeA, maxRadiusA);
    for (;;) {
      this.forEachWithin(x, y, z, r, (i, d2) => {
        if (exclude && exclude(i)) return;
        if (d2 < bestD2 || (d2 === bestD2 && i < best)) { bestD2 = d2; best = i; }
      });
      if (best >= 0 || r >= maxRadiusA) break;
      r = Math.min(r * 2, maxRadiusA);
    }
    return { index: best, distanceA: best >= 0 ? Math.sqrt(bestD2) : Infinity };
  }
}

/** Convenience: PointSet3 from an array of [x, y, z]. */
export function pointSetFromArray(points: ArrayLike<readonly [number, number, number] | number[]>): PointSet3 {
  const n = points.length;
  const x = new Float64Array(n), y = new Float64Array(n), z = new Float64Array(n);
  for (let i = 0; i < n; i++) { x[i] = points[i][0]; y[i] = points[i][1]; z[i] = points[i][2]; }
  return { count: n, x, y, z };
}
