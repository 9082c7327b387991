/**
 * NodeSet: the clustered points of one class ("LDP nodes" in CryoREAD), as typed arrays in Cartesian
 * Angstroms, plus a danfojs DataFrame view for notebooks.
 */
import { inspect } from 'node:util';
import type { PointSet3 } from '../grid/neighbour-grid.js';
import { loadDanfo, type DataFrame } from '../notebook/danfo.js';

export interface NodeSet extends PointSet3 {
  readonly count: number;
  /** Cartesian coordinates in Angstroms. */
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly z: Float32Array;
  /**
   * Kernel density at the node, normalised per class: density / max over all seeds + 0.01, so values
   * lie in [0.01, 1.01] (CryoREAD subtracts the minimum over seeds first; see cluster/merge.ts).
   */
  readonly density: Float32Array;
  /** Number of seed voxels merged into the node. */
  readonly seedCount: Int32Array;
}

export namespace NodeSet {
  export function create(count: number): NodeSet {
    const ns = {
      count,
      x: new Float32Array(count),
      y: new Float32Array(count),
      z: new Float32Array(count),
      density: new Float32Array(count),
      seedCount: new Int32Array(count),
    };
    return withInspect(ns);
  }

  export function empty(): NodeSet {
    return create(0);
  }

  /** Node i as [x, y, z] in Angstroms. */
  export function position(ns: NodeSet, i: number): [number, number, number] {
    return [ns.x[i], ns.y[i], ns.z[i]];
  }

  export function describe(ns: NodeSet): string {
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < ns.count; i++) {
      lo = Math.min(lo, ns.density[i]);
      hi = Math.max(hi, ns.density[i]);
    }
    return ns.count ? `NodeSet ${ns.count} nodes, density ${lo.toFixed(2)}..${hi.toFixed(2)}` : 'NodeSet (empty)';
  }

  export function withInspect<T extends NodeSet>(ns: T): T {
    Object.defineProperty(ns, inspect.custom, { value: () => describe(ns), enumerable: false });
    return ns;
  }

  /**
   * A danfojs DataFrame with columns x, y, z (A), density, seedCount. danfojs is imported lazily
   * (it is heavy), so only notebook code pays for it.
   */
  export async function toDataFrame(ns: NodeSet): Promise<DataFrame> {
    const dfd = await loadDanfo();
    return new dfd.DataFrame({
      x: Array.from(ns.x),
      y: Array.from(ns.y),
      z: Array.from(ns.z),
      density: Array.from(ns.density),
      seedCount: Array.from(ns.seedCount),
    });
  }
}
