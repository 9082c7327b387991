/**
 * Per-voxel class targets on a grid, from a structure: a voxel gets class c (value 1) when its centre
 * lies within `radiusA` of any atom of class c (atom classes in atom-classes.ts). Channels are
 * independent (multi-label, like CryoREAD's sigmoid outputs): a voxel between a sugar and a
 * phosphate atom can carry both. The base-type channels (A, UT, C, G) cover the base atoms of
 * nucleotides of that parent base (modified nucleotides map to their parent through residue.base).
 */
import { Volume, type GridFrame } from '../grid/volume.js';
import type { Structure } from '../structure/model.js';
import { InputError } from '../util/errors.js';
import { report, throwIfAborted, type StageContext } from '../util/progress.js';
import { AtomClass, flattenAtoms, type FlatAtoms } from './atom-classes.js';
import { forEachVoxelInSphere } from './splat.js';

export const LABEL_CLASSES = ['sugar', 'phosphate', 'base', 'protein', 'A', 'UT', 'C', 'G'] as const;
export type LabelClass = (typeof LABEL_CLASSES)[number];

export interface LabelMaps extends Record<LabelClass, Uint8Array> {
  /** Grid of every channel ([z][y][x], x fastest). */
  readonly frame: GridFrame;
}

export interface LabelParams {
  /**
   * Radius (A) around each atom that gets the atom's class. 2.0 A covers a voxel shell of about one
   * covalent bond around the atoms, so each nucleotide's sugar, phosphate and base form one connected
   * blob each, while stacked bases (3.4 A apart) stay separated by at most a thin overlap. @default 2
   */
  radiusA: number;
}

export const DEFAULT_LABEL_PARAMS: LabelParams = { radiusA: 2 };

const CLASS_CHANNEL: Record<number, LabelClass | undefined> = {
  [AtomClass.Sugar]: 'sugar', [AtomClass.Phosphate]: 'phosphate', [AtomClass.Base]: 'base', [AtomClass.Protein]: 'protein',
};
const BASE_CHANNEL: readonly LabelClass[] = ['A', 'UT', 'C', 'G'];

/** Label maps from already flattened atoms (shared by labelMaps and simulateTrainingSample). */
export function labelMapsFromAtoms(atoms: FlatAtoms, frame: GridFrame, params: Partial<LabelParams> = {}, ctx?: StageContext): LabelMaps {
  const p = { ...DEFAULT_LABEL_PARAMS, ...params };
  if (!(p.radiusA > 0)) throw new InputError('LABEL_RADIUS', `labelMaps: radiusA=${p.radiusA} must be a positive distance in Angstroms`);
  const f = Volume.frameOf(frame);
  const n = f.shape[0] * f.shape[1] * f.shape[2];
  const maps = { frame: f } as { frame: GridFrame } & Record<LabelClass, Uint8Array>;
  for (const c of LABEL_CLASSES) maps[c] = new Uint8Array(n);
  for (let i = 0; i < atoms.count; i++) {
    if ((i & 4095) === 0) { throwIfAborted(ctx, 'simulate/labels'); report(ctx, 'simulate/labels', i, atoms.count); }
    const cls = CLASS_CHANNEL[atoms.cls[i]];
    if (!cls) continue;
    const a = maps[cls];
    const bt = atoms.cls[i] === AtomClass.Base && atoms.baseType[i] >= 0 ? maps[BASE_CHANNEL[atoms.baseType[i]]] : null;
    forEachVoxelInSphere(f, atoms.x[i], atoms.y[i], atoms.z[i], p.radiusA, (o) => {
      a[o] = 1;
      if (bt) bt[o] = 1;
    });
  }
  report(ctx, 'simulate/labels', atoms.count, atoms.count);
  return maps;
}

/** Per-voxel 0/1 class targets of `structure` on `frame` (waters ignored). */
export function labelMaps(structure: Structure, frame: GridFrame, params: Partial<LabelParams> = {}, ctx?: StageContext): LabelMaps {
  return labelMapsFromAtoms(flattenAtoms(structure), frame, params, ctx);
}
