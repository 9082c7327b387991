/**
 * The held-out tRNA (1EHZ, ../shared/data) in a simulated map the way the base caller and nucleic-acid classifier
 * tests read it: realistic noise, 1.1 A voxels, prepared as the pipeline prepares maps.
 */
import { readStructure } from '../../src/io/structure-file.js';
import { simulateMap } from '../../src/simulate/index.js';
import { prepareMap, type PreparedMap } from '../../src/grid/prepare.js';
import type { Structure } from '../../src/structure/model.js';
import { sharedPath } from './shared-data.js';

export async function simulatedTrna(sharedDir: string, resolutionA: number, seed: number): Promise<{ structure: Structure; prepared: PreparedMap }> {
  const structure = readStructure(sharedPath(sharedDir, 'structures', 'rna3db_1ehz.cif'));
  const map = simulateMap(structure, { resolutionA, voxelSizeA: 1.1, padA: 10, bFactor: 30, noiseSnr: 3, noiseColourA: 2.5, noiseColourFraction: 0.6, localAmplitudeJitter: 0.25, seed });
  return { structure, prepared: await prepareMap(map) };
}
