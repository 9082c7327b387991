/**
 * The model's frame: a grid that covers a structure's atoms plus a margin, in the structure's own
 * Cartesian frame (so simulated maps, labels and oracle maps overlay the model without any shift).
 */
import type { Structure } from '../structure/model.js';
import type { GridFrame, Vec3 } from '../grid/volume.js';
import { InputError } from '../util/errors.js';

export interface GridForStructureParams {
  /** Cubic voxel edge in Angstroms. @default 1 */
  voxelSizeA: number;
  /** Margin around the atoms' bounding box in Angstroms. @default 8 */
  padA: number;
  /**
   * Position (A) of voxel (0,0,0). When omitted: the bounding-box minimum minus padA, rounded down
   * to a multiple of voxelSizeA (so nearby structures share grid points).
   */
  originA?: Vec3;
}

export const DEFAULT_GRID_FOR_STRUCTURE_PARAMS: GridForStructureParams = { voxelSizeA: 1, padA: 8 };

/** Bounding box [min, max] of all atom coordinates (A). Throws when the structure has no atoms. */
export function structureBounds(structure: Structure): { min: Vec3; max: Vec3 } {
  const min: Vec3 = [Infinity, Infinity, Infinity];
  const max: Vec3 = [-Infinity, -Infinity, -Infinity];
  for (const c of structure.chains) for (const r of c.residues) for (const a of r.atoms) {
    if (a.x < min[0]) min[0] = a.x; if (a.x > max[0]) max[0] = a.x;
    if (a.y < min[1]) min[1] = a.y; if (a.y > max[1]) max[1] = a.y;
    if (a.z < min[2]) min[2] = a.z; if (a.z > max[2]) max[2] = a.z;
  }
  if (!(min[0] <= max[0])) {
    throw new InputError('STRUCTURE_EMPTY', `gridForStructure: structure ${structure.source ?? '(in memory)'} has no atoms; give a model with coordinates`);
  }
  return { min, max };
}

/** Grid covering the structure's atoms with `padA` margin on every side (up to the given origin). */
export function gridForStructure(structure: Structure, params: Partial<GridForStructureParams> = {}): GridFrame {
  const p = { ...DEFAULT_GRID_FOR_STRUCTURE_PARAMS, ...params };
  const v = p.voxelSizeA;
  if (!(v > 0) || !Number.isFinite(v)) throw new InputError('GRID_VOXEL', `gridForStructure: voxelSizeA=${v} must be a positive number of Angstroms`);
  if (!(p.padA >= 0)) throw new InputError('GRID_PAD', `gridForStructure: padA=${p.padA} must be >= 0 Angstroms`);
  const { min, max } = structureBounds(structure);
  const origin: Vec3 = p.originA
    ? [p.originA[0], p.originA[1], p.originA[2]]
    : [Math.floor((min[0] - p.padA) / v) * v, Math.floor((min[1] - p.padA) / v) * v, Math.floor((min[2] - p.padA) / v) * v];
  const n = [0, 1, 2].map((k) => {
    const extent = max[k] + p.padA - origin[k];
    if (!(extent > 0)) {
      throw new InputError('GRID_ORIGIN', `gridForStructure: originA[${k}]=${origin[k]} lies beyond the atoms (max ${max[k].toFixed(2)} + pad); give an origin below the structure`);
    }
    return Math.floor(extent / v + 1e-6) + 1;
  });
  return { shape: [n[2], n[1], n[0]], voxelSizeA: [v, v, v], originA: origin };
}
