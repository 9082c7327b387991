/**
 * Where a nucleotide's base is, from its backbone alone (not in the original): the nucleotide
 * templates (template.ts) superposed on the nucleotide's 5' phosphate, sugar point and 3' phosphate,
 * as build-atoms.ts places a nucleotide without a base anchor, and the mean of the four RNA templates'
 * base centroids (purine and pyrimidine alike). Used by phosphate re-threading (trace/rethread.ts) to
 * read a strand both ways: the base lands on a different side of the backbone for the two readings.
 */
import type { Vec3 } from '../grid/volume.js';
import { applyTransform, kabsch } from '../math/kabsch.js';
import { defaultBuildAtomsParams, type BuildAtomsParams } from './params.js';
import { nucleotideTemplate } from './template.js';

const TEMPLATES = (['A', 'C', 'G', 'U'] as const).map((n) => nucleotideTemplate(n));

/**
 * Base centroid of one nucleotide from its 5' phosphate, sugar point and 3' phosphate alone: the four
 * RNA templates superposed on those three points (sugar-atom centroid and phosphate-group anchors, as
 * rethread.ts places them; build weights), their base centroids averaged. Swapping p5 and p3 gives the
 * base of the same backbone read the other way round, which is how re-threading tells a strand's
 * direction (rethread.ts).
 */
export function nucleotideBaseCentroid(p5: ArrayLike<number>, sugar: ArrayLike<number>, p3: ArrayLike<number>, params: Partial<BuildAtomsParams> = {}): Vec3 {
  const p: BuildAtomsParams = { ...defaultBuildAtomsParams, ...params };
  const target: Vec3[] = [[sugar[0], sugar[1], sugar[2]], [p5[0], p5[1], p5[2]], [p3[0], p3[1], p3[2]]];
  const weights = [p.weightSugar, p.weightPhosphate, p.weightPhosphate];
  let x = 0, y = 0, z = 0;
  for (const t of TEMPLATES) {
    const a = t.anchors;
    const b = applyTransform(kabsch([a.sugar[p.sugarAnchor], a.phosphate[p.phosphateAnchor], a.nextPhosphate[p.phosphateAnchor]], target, weights), a.baseCentroid);
    x += b[0]; y += b[1]; z += b[2];
  }
  return [x / TEMPLATES.length, y / TEMPLATES.length, z / TEMPLATES.length];
}
