/**
 * ProbabilityMaps: the 8 stage-2 detection channels on one grid, in CryoREAD's stage-2 output order.
 */
import { inspect } from 'node:util';
import { GridFrame, Volume } from './volume.js';
import { InputError } from '../util/errors.js';

/** CryoREAD stage-2 output order: 0 sugar, 1 phosphate, 2 A, 3 UT, 4 C, 5 G, 6 protein, 7 base (any). */
export const PROBABILITY_CHANNELS = ['sugar', 'phosphate', 'A', 'UT', 'C', 'G', 'protein', 'base'] as const;
export type ProbabilityChannel = (typeof PROBABILITY_CHANNELS)[number];
/** The four base-type channels, in CryoREAD order. */
export const BASE_CHANNELS = ['A', 'UT', 'C', 'G'] as const;

export interface ProbabilityMaps extends GridFrame {
  /** One Float32Array per channel, [z][y][x] with x fastest, values in [0, 1]. */
  readonly channels: Record<ProbabilityChannel, Float32Array>;
}

export namespace ProbabilityMaps {
  export function create(frame: GridFrame, channels?: Partial<Record<ProbabilityChannel, Float32Array>>): ProbabilityMaps {
    const n = frame.shape[0] * frame.shape[1] * frame.shape[2];
    const ch = {} as Record<ProbabilityChannel, Float32Array>;
    for (const name of PROBABILITY_CHANNELS) {
      const a = channels?.[name] ?? new Float32Array(n);
      if (a.length !== n) throw new InputError('PROB_LENGTH', `ProbabilityMaps.create: channel ${name} has ${a.length} voxels, grid has ${n}`);
      ch[name] = a;
    }
    const pm = { ...Volume.frameOf(frame), channels: ch };
    Object.defineProperty(pm, inspect.custom, { value: () => describe(pm), enumerable: false });
    return pm;
  }
  /** One channel as a Volume sharing the same memory. */
  export function channel(pm: ProbabilityMaps, name: ProbabilityChannel): Volume {
    return Volume.create(pm, pm.channels[name]);
  }
  /** Deep copy (never mutate a caller's maps: copy first). */
  export function clone(pm: ProbabilityMaps): ProbabilityMaps {
    const ch = {} as Record<ProbabilityChannel, Float32Array>;
    for (const name of PROBABILITY_CHANNELS) ch[name] = pm.channels[name].slice();
    return create(pm, ch);
  }
  export function describe(pm: ProbabilityMaps): string {
    const [nz, ny, nx] = pm.shape;
    return `ProbabilityMaps ${nx}x${ny}x${nz} @${pm.voxelSizeA[0]} A, 8 channels (${PROBABILITY_CHANNELS.join(', ')})`;
  }
}
