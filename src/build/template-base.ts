/**
 * Where a nucleotide's base is, from its backbone alone (not in the original): the nucleotide
 * templates (template.ts) superposed on the nucleotide's 5' phosphate, sugar point and 3' phosphate,
 * as build-atoms.ts places a nucleotide without a base anchor, and the mean of the four RNA templates'
 * base centroids (purine and pyrimidine alike). Used by phosphate re-threading (trace/rethread.ts) to
 * read a strand both ways: the base lands on a different side of the backbone for the two readings;
 * and by the template-frame base caller (trace/base-caller.ts), which reads the density around that point.
 */
import type { Vec3 } from '../grid/volume.js';
import { applyTransform, kabsch } from '../math/kabsch.js';
import { cross, dot, sub, unit } from '../math/rotation.js';
import { defaultBuildAtomsParams, type BuildAtomsParams } from './params.js';
import { nucleotideTemplate } from './template.js';

const TEMPLATES = (['A', 'C', 'G', 'U'] as const).map((n) => nucleotideTemplate(n));

/**
 * The template points re-threading's backbone points stand for: the centroid of the primed (sugar and
 * backbone) atoms, and phosphate nodes as phosphate-group (P, OP1, OP2) centroids.
 */
export const BACKBONE_POINT_ANCHORS = Object.freeze({ sugarAnchor: 'sugar-atoms', phosphateAnchor: 'phosphate-group' } as const);

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

/** Origin and orthonormal axes of a nucleotide's template frame (see templateBaseFrame). */
export interface BaseFrame {
  originA: Vec3;
  axes: [Vec3, Vec3, Vec3];
}

/**
 * A frame fixed to a nucleotide's base as the backbone predicts it: origin at the template base centroid
 * (nucleotideBaseCentroid with the re-threading anchors), e1 along the backbone (p5 -> p3), e2 from the
 * sugar point towards the base (normal to e1), e3 = e1 x e2. Null when the points are degenerate
 * (phosphates < 1 A apart, base on the backbone line).
 */
export function templateBaseFrame(p5: ArrayLike<number>, sugar: ArrayLike<number>, p3: ArrayLike<number>): BaseFrame | null {
  const a: Vec3 = [p5[0], p5[1], p5[2]], b: Vec3 = [p3[0], p3[1], p3[2]], s: Vec3 = [sugar[0], sugar[1], sugar[2]];
  const t = sub(b, a);
  if (Math.hypot(t[0], t[1], t[2]) < 1) return null;
  const e1 = unit(t);
  const origin = nucleotideBaseCentroid(a, s, b, BACKBONE_POINT_ANCHORS);
  const m = sub(origin, s), k = dot(m, e1);
  const n: Vec3 = [m[0] - k * e1[0], m[1] - k * e1[1], m[2] - k * e1[2]];
  if (Math.hypot(n[0], n[1], n[2]) < 0.5) return null;
  const e2 = unit(n);
  return { originA: origin, axes: [e1, e2, cross(e1, e2)] };
}
