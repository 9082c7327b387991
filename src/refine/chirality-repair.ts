/**
 * Chirality repair: a chiral centre whose signed volume has the wrong sign (a mirrored sugar carbon,
 * e.g. after a large per-atom perturbation) sits in a local minimum of the restraint energy, since
 * flipping it back means passing the centre through the plane of its three substituents against the
 * bond-angle terms. Here each inverted centre is reflected through that plane: the distances to the
 * three substituents are kept and the sign of the volume flips; the caller then minimises again.
 * Reference section 21 leaves chirality to Phenix (whose restraints hold it, and which flips nothing);
 * the explicit flip is ours (one chirality error was left on the perturbed-4W90 bench otherwise).
 * Deterministic.
 */
import { cross } from '../math/rotation.js';
import { chiralVolume } from './geometry-stats.js';
import type { RefineTopology } from './topology.js';

/** Centres (topo.chirals indices) whose signed volume has the opposite sign of the ideal. */
export function invertedChirals(topo: RefineTopology, xyz: Float64Array): number[] {
  const out: number[] = [];
  topo.chirals.forEach((c, k) => {
    if (!topo.movable[c.centre]) return;
    const v = chiralVolume(xyz, c.centre, c.a, c.b, c.c);
    if (Math.sign(v) !== Math.sign(c.ideal)) out.push(k);
  });
  return out;
}

/**
 * Reflects the centre atom of each inverted chiral centre (in place) through the plane of its three
 * substituents; a centre is skipped when the substituents are (nearly) collinear. Returns how many
 * centres were reflected.
 */
export function repairChirality(topo: RefineTopology, xyz: Float64Array): number {
  let fixed = 0;
  for (const k of invertedChirals(topo, xyz)) {
    const { centre, a, b, c } = topo.chirals[k];
    const p = (i: number, u: number) => xyz[3 * i + u];
    const u = [0, 1, 2].map((q) => p(b, q) - p(a, q)), w = [0, 1, 2].map((q) => p(c, q) - p(a, q));
    const n = cross(u, w);
    const len = Math.hypot(n[0], n[1], n[2]);
    if (len < 1e-6) continue;
    const h = ((p(centre, 0) - p(a, 0)) * n[0] + (p(centre, 1) - p(a, 1)) * n[1] + (p(centre, 2) - p(a, 2)) * n[2]) / (len * len);
    for (let q = 0; q < 3; q++) xyz[3 * centre + q] -= 2 * h * n[q];
    fixed++;
  }
  return fixed;
}
