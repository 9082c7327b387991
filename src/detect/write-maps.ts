/**
 * Writes detection maps under CryoREAD's names (reference §2), as float32 MRC. With `outFrame` (the
 * input map's grid) each map is interpolated back onto that grid, so it overlays the input voxel for
 * voxel; the origin is written as ORIGIN and, when it is a whole number of voxels, also as NSTART
 * (Coot/CCP4 read NSTART, ChimeraX ORIGIN). Without, on the prepared 1 A grid. CryoREAD writes its
 * cropped, resampled grid.
 */
import { join } from 'node:path';
import { PROBABILITY_CHANNELS } from '../grid/probability-maps.js';
import { Volume, type GridFrame } from '../grid/volume.js';
import { writeMrc } from '../io/mrc.js';
import { resampleOntoFrame } from '../grid/resample.js';
import { InputError } from '../util/errors.js';
import { STAGE1_BASE_CHANNELS, STAGE1_CHAIN_CHANNELS, type DetectionResult } from './params.js';

export const STAGE1_DIR = '1st_stage_detection';
export const STAGE2_DIR = '2nd_stage_detection';

/**
 * Writes `outDir/2nd_stage_detection/chain_<class>_prob.mrc` (8 classes) and
 * `outDir/1st_stage_detection/chain_<class>_prob.mrc` (4) + `base_<A|UT|C|G>_prob.mrc` (4).
 * Returns the paths written, stage 2 first.
 */
export function writeDetectionMaps(outDir: string, result: DetectionResult, frame: GridFrame, outFrame?: GridFrame): string[] {
  const f = Volume.frameOf(frame);
  const n = f.shape[0] * f.shape[1] * f.shape[2];
  const pm = result.probabilities;
  if (pm.shape.some((d, i) => d !== f.shape[i])) {
    throw new InputError('DETECT_FRAME', `writeDetectionMaps: maps are ${[...pm.shape].reverse().join('x')} but the frame is ${[...f.shape].reverse().join('x')}; pass the prepared map's frame`);
  }
  const paths: string[] = [];
  const put = (path: string, data: Float32Array, label: string) => {
    if (data.length !== n) throw new InputError('DETECT_FRAME', `writeDetectionMaps: ${label} has ${data.length} voxels, frame has ${n}`);
    const v = Volume.create(f, data);
    writeMrc(path, outFrame ? resampleOntoFrame(v, outFrame) : v, { labels: [`cryoread-ts detection ${label} (${result.modelName})`], nstartFromOrigin: true });
    paths.push(path);
  };
  for (const c of PROBABILITY_CHANNELS) put(join(outDir, STAGE2_DIR, `chain_${c}_prob.mrc`), pm.channels[c], `stage2 ${c}`);
  for (const c of STAGE1_CHAIN_CHANNELS) put(join(outDir, STAGE1_DIR, `chain_${c}_prob.mrc`), result.stage1.chain[c], `stage1 ${c}`);
  for (const c of STAGE1_BASE_CHANNELS) put(join(outDir, STAGE1_DIR, `base_${c}_prob.mrc`), result.stage1.base[c], `stage1 base ${c}`);
  return paths;
}
