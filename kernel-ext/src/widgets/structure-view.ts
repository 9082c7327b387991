/**
 * Kernel side of StructureView: NGL in the cell. The built model as cartoon + bases coloured by
 * per-residue confidence (the B-factor column: the builder writes B = Bmin + range * (1 - confidence),
 * so low B = confident = blue), the map as an isosurface with a contour slider, an optional reference
 * model in another colour. Picking a residue sends { chain, residue, name } back as `picked`.
 * Models travel as PDB text (mmCIF above PDB's 99,999-atom limit), the map as MRC bytes, all as
 * binary buffers; maps above `maxMapVoxels` are subsampled by an integer stride.
 */
import type { Structure } from '../../../src/structure/model.js';
import { Volume } from '../../../src/grid/volume.js';
import { mrcBytes } from '../../../src/io/mrc.js';
import { pdbString } from '../../../src/io/pdb.js';
import { mmcifString } from '../../../src/io/mmcif.js';
import { InputError } from '../../../src/util/errors.js';
import { Widget } from './widget.js';
import { ANYWIDGET_MODULE, ANYWIDGET_VERSION, subsample } from './density-slice.js';
import { frontEndModule } from './front-end.js';
import { viewLibrary } from './library.js';

export interface StructureViewInput {
  /** The model to show (cartoon + bases, confidence colours from B-factors). */
  model?: Structure;
  /** A reference model drawn as a thin tube in `referenceColour`. */
  reference?: Structure;
  /** The map, drawn as a mesh isosurface at `contour`. */
  map?: Volume;
}

export interface StructureViewParams {
  /** Isosurface level in map units; undefined = mean + 3 rms. */
  contour: number | undefined;
  /** Colour of the reference model. @default '#ff00ff' */
  referenceColour: string;
  /** Colour the model by B-factor (confidence) or by chain. @default 'bfactor' */
  colourBy: 'bfactor' | 'chainid';
  /** Largest map sent to the front end; larger maps are subsampled by an integer stride. @default 1_000_000 */
  maxMapVoxels: number;
  /** Viewer height (CSS pixels). @default 480 */
  heightPx: number;
}

export const DEFAULT_STRUCTURE_VIEW_PARAMS: StructureViewParams = { contour: undefined, referenceColour: '#ff00ff', colourBy: 'bfactor', maxMapVoxels: 1_000_000, heightPx: 480 };

export interface PickedResidue {
  chain: string;
  residue: number;
  name: string;
  atom: string;
}

/** Model text NGL reads: PDB when it fits, mmCIF otherwise. */
export function structureText(s: Structure): { data: Uint8Array; ext: 'pdb' | 'cif'; atoms: number } {
  let atoms = 0;
  for (const c of s.chains) for (const r of c.residues) atoms += r.atoms.length;
  const usePdb = atoms + s.chains.length <= 99_999;
  const text = usePdb ? pdbString(s) : mmcifString(s);
  return { data: new TextEncoder().encode(text), ext: usePdb ? 'pdb' : 'cif', atoms };
}

export class StructureView extends Widget {
  /** Subsampling stride of the map sent to the front end (1 = full map). */
  readonly mapStride: number;

  constructor(input: StructureViewInput, params: Partial<StructureViewParams> = {}) {
    const p = { ...DEFAULT_STRUCTURE_VIEW_PARAMS, ...params };
    if (!input.model && !input.map && !input.reference) throw new InputError('STRUCTURE_VIEW_INPUT', 'StructureView: give a model, a map or a reference');
    const model = input.model ? structureText(input.model) : null;
    const reference = input.reference ? structureText(input.reference) : null;
    let mapState: Record<string, unknown> = { map: null, contour: null, contour_min: 0, contour_max: 1, contour_step: 0.01 };
    let stride = 1;
    if (input.map) {
      stride = Math.max(1, Math.ceil(Math.cbrt(input.map.data.length / p.maxMapVoxels)));
      const shown = subsample(input.map, stride);
      const s = Volume.stats(input.map);
      const lo = s.mean, hi = Math.max(s.mean + 1e-6, s.max);
      const contour = p.contour ?? Math.min(hi, s.mean + 3 * s.rms);
      mapState = { map: mrcBytes(shown), contour, contour_min: lo, contour_max: hi, contour_step: (hi - lo) / 200 };
    }
    super(
      { _model_name: 'AnyModel', _model_module: ANYWIDGET_MODULE, _model_module_version: ANYWIDGET_VERSION, _view_name: 'AnyView', _view_module: ANYWIDGET_MODULE, _view_module_version: ANYWIDGET_VERSION },
      {
        _esm: frontEndModule('structure-view'),
        _anywidget_id: 'cryoread.StructureView',
        ngl_lib: viewLibrary('ngl').modelId,
        model: model?.data ?? null,
        model_ext: model?.ext ?? null,
        model_atoms: model?.atoms ?? 0,
        reference: reference?.data ?? null,
        reference_ext: reference?.ext ?? null,
        reference_colour: p.referenceColour,
        colour_by: p.colourBy,
        ...mapState,
        height_px: p.heightPx,
        picked: null,
      },
    );
    this.mapStride = stride;
  }

  /** The last residue picked in the view, or null. */
  get picked(): PickedResidue | null {
    return this.get<PickedResidue | null>('picked');
  }

  protected override coerce(name: string, v: unknown): unknown {
    if (name === 'contour' && typeof v === 'number') {
      const lo = this.get<number | undefined>('contour_min'), hi = this.get<number | undefined>('contour_max');
      if (lo === undefined || hi === undefined) return v;
      return Math.max(lo, Math.min(hi, v));
    }
    return v;
  }
}
