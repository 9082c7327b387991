/**
 * One training example: simulated density and class labels on the same grid (one flattening pass).
 */
import { Volume } from '../grid/volume.js';
import type { Structure } from '../structure/model.js';
import type { StageContext } from '../util/progress.js';
import { flattenAtoms } from './atom-classes.js';
import { labelMapsFromAtoms, type LabelMaps } from './labels.js';
import { addNoise, checkSimulateParams, DEFAULT_SIMULATE_PARAMS, simulationFrame, splatAtoms, type SimulateParams } from './simulate-map.js';

export interface TrainingSampleParams extends SimulateParams {
  /** Label radius around atoms (A), see LabelParams. @default 2 */
  labelRadiusA: number;
}

export interface TrainingSample {
  density: Volume;
  labels: LabelMaps;
}

export function simulateTrainingSample(structure: Structure, params: Partial<TrainingSampleParams> = {}, ctx?: StageContext): TrainingSample {
  const p: TrainingSampleParams = { ...DEFAULT_SIMULATE_PARAMS, labelRadiusA: 2, ...params };
  checkSimulateParams(p);
  const frame = simulationFrame(structure, p);
  const atoms = flattenAtoms(structure, p.includeWater);
  const data = splatAtoms(atoms, frame, p, ctx);
  addNoise(data, frame, p);
  const labels = labelMapsFromAtoms(atoms, frame, { radiusA: p.labelRadiusA }, ctx);
  return { density: Volume.create(frame, data), labels };
}
