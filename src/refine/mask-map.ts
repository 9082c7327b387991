/**
 * The refinement map of CryoREAD's pipeline, `mask_map.mrc` (reference section 7): the raw density,
 * zeroed where the protein probability is >= 0.6, where sugar + phosphate + base probability is
 * <= 0.1, or where the density is <= the contour. The probabilities live on the detection grid (1 A),
 * the density on its own grid: each density voxel reads them by trilinear interpolation at its
 * position (the original reads them on the same resampled grid). `--map-mask PROBDIR` reads the
 * channels written by `cryoread build` (chain_<channel>_prob.mrc).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Volume } from '../grid/volume.js';
import { ProbabilityMaps, type ProbabilityChannel } from '../grid/probability-maps.js';
import { readMrc } from '../io/mrc.js';
import { InputError } from '../util/errors.js';

export interface MaskMapParams {
  /** Density contour in map units. @default 0 */
  contour: number;
  /** Protein probability at or above which density is removed. @default 0.6 */
  proteinCutoff: number;
  /** Nucleic-acid (sugar + phosphate + base) probability at or below which density is removed. @default 0.1 */
  nucleicCutoff: number;
}
export const defaultMaskMapParams: MaskMapParams = { contour: 0, proteinCutoff: 0.6, nucleicCutoff: 0.1 };

type Channels = Pick<Record<ProbabilityChannel, Volume>, 'sugar' | 'phosphate' | 'base' | 'protein'>;

export function maskMap(raw: Volume, prob: ProbabilityMaps | Channels, params: Partial<MaskMapParams> = {}): Volume {
  const p = { ...defaultMaskMapParams, ...params };
  const ch: Channels = 'channels' in prob
    ? { sugar: ProbabilityMaps.channel(prob, 'sugar'), phosphate: ProbabilityMaps.channel(prob, 'phosphate'), base: ProbabilityMaps.channel(prob, 'base'), protein: ProbabilityMaps.channel(prob, 'protein') }
    : prob;
  const [nz, ny, nx] = raw.shape;
  const out = new Float32Array(raw.data.length);
  const pos: [number, number, number] = [0, 0, 0];
  for (let z = 0, o = 0; z < nz; z++) for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++, o++) {
    const v = raw.data[o];
    if (!(v > p.contour)) continue;
    Volume.indexToAngstrom(raw, x, y, z, pos);
    if (Volume.interpolateAngstrom(ch.protein, pos[0], pos[1], pos[2]) >= p.proteinCutoff) continue;
    const na = Volume.interpolateAngstrom(ch.sugar, pos[0], pos[1], pos[2]) + Volume.interpolateAngstrom(ch.phosphate, pos[0], pos[1], pos[2]) + Volume.interpolateAngstrom(ch.base, pos[0], pos[1], pos[2]);
    if (na <= p.nucleicCutoff) continue;
    out[o] = v;
  }
  return Volume.create(raw, out);
}

/** Reads chain_{sugar,phosphate,base,protein}_prob.mrc from DIR (or DIR/2nd_stage_detection). */
export function readMaskChannels(dir: string): Channels {
  const folder = existsSync(join(dir, 'chain_sugar_prob.mrc')) ? dir : join(dir, '2nd_stage_detection');
  const read = (name: string) => {
    const f = join(folder, `chain_${name}_prob.mrc`);
    if (!existsSync(f)) throw new InputError('MASK_PROB_MISSING', `--map-mask ${dir}: ${f} not found; give the output folder of cryoread build (or its 2nd_stage_detection folder)`, f);
    return readMrc(f).volume;
  };
  return { sugar: read('sugar'), phosphate: read('phosphate'), base: read('base'), protein: read('protein') };
}
