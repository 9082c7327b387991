/** Prepared maps simulated from small structures in ../shared/data, shared by the detect tests. */
import type { TestContext } from 'node:test';
import { prepareMap, type PreparedMap } from '../../src/grid/prepare.js';
import { readStructure } from '../../src/io/structure-file.js';
import { simulateMap } from '../../src/simulate/index.js';
import type { Structure } from '../../src/structure/model.js';
import { sharedDataOrSkip, sharedPath } from '../helpers/shared-data.js';

const cache = new Map<string, { structure: Structure; prepared: PreparedMap }>();

/**
 * Simulated 4 A map of `file` (from ../shared/data/structures), prepared with raw contour 0.05
 * (about 0.1 in normalised units). Null (test skipped) without the shared data.
 */
export function simulatedPrepared(t: TestContext, file: string): { structure: Structure; prepared: PreparedMap } | null {
  const dir = sharedDataOrSkip(t);
  if (!dir) return null;
  let hit = cache.get(file);
  if (!hit) {
    const structure = readStructure(sharedPath(dir, 'structures', file));
    const volume = simulateMap(structure, { resolutionA: 4 });
    hit = { structure, prepared: prepareMap(volume, { contour: 0.05 }) };
    cache.set(file, hit);
  }
  return hit;
}
