/**
 * Second pass of sequence assignment (not in the original): traced stretches the assembly left without a
 * placement are aligned to the sequence nobody claimed, longest stretch first.
 *
 * Why: on maps we did not make about half of the traced nucleotides end the assembly unplaced (24
 * independent-generator maps: 1,631 of 3,196 path nodes in fragments), and an unplaced nucleotide is
 * built with the letter its base call argmaxes. Placed letters agree with the reference more often than
 * those calls even where the placement is doubtful (assigned fragments of the same maps: 0.65 vs 0.53;
 * among fragments whose placement barely beats the best other one, 0.55 vs 0.49), because a placement
 * uses the whole stretch's calls and the sequence's composition, and in the sequence left over the true
 * stretch has fewer rivals. Each stretch is re-aligned as a run over each whole record and orientation
 * with the claimed residues blocked (runs.ts realignRun: the same significance test as every fragment,
 * a score above what the nodes score at a random position of the record by a margin per node); the best
 * placement is kept and its residues claimed before the next stretch.
 */
import type { BackbonePath } from '../trace/types.js';
import { recordInterval, type BannedInterval } from './path-dp.js';
import { realignRun } from './runs.js';
import type { AssignedFragment, EncodedRecord, SequenceParams } from './types.js';

/** Stretches of consecutive path nodes no fragment covers (>= minNodes nodes), path by path, in path order. */
export function unplacedStretches(paths: readonly BackbonePath[], fragments: Iterable<AssignedFragment>, minNodes: number): { pathIndex: number; start: number; end: number }[] {
  const covered = paths.map((p) => new Uint8Array(p.nodes.length));
  for (const f of fragments) covered[f.pathIndex].fill(1, f.nodeStart, f.nodeStart + f.nodeCount);
  const stretches: { pathIndex: number; start: number; end: number }[] = [];
  covered.forEach((c, pathIndex) => {
    for (let k = 0; k < c.length;) {
      if (c[k]) { k++; continue; }
      let e = k;
      while (e < c.length && !c[e]) e++;
      if (e - k >= minNodes) stretches.push({ pathIndex, start: k, end: e });
      k = e;
    }
  });
  return stretches;
}

/**
 * Fragments for the unplaced stretches (>= minNodes nodes) of `paths`, given the assembly's `fragments`
 * (not modified); returns only the new ones.
 */
export function fillUnassigned(paths: readonly BackbonePath[], fragments: readonly AssignedFragment[], records: readonly EncodedRecord[], params: SequenceParams, minNodes: number): AssignedFragment[] {
  const claimed: BannedInterval[] = [];
  for (const f of fragments) {
    const rec = records.find((r) => r.recordIndex === f.recordIndex);
    if (rec) claimed.push({ recordIndex: f.recordIndex, interval: recordInterval(f, rec.codes.length) });
  }
  const stretches = unplacedStretches(paths, fragments, minNodes);
  stretches.sort((a, b) => b.end - b.start - (a.end - a.start) || a.pathIndex - b.pathIndex || a.start - b.start);
  const added: AssignedFragment[] = [];
  for (const s of stretches) {
    let best: AssignedFragment | null = null;
    for (const rec of records) {
      for (const orientation of [1, -1] as const) {
        const f = realignRun(paths[s.pathIndex], { pathIndex: s.pathIndex, recordIndex: rec.recordIndex, orientation, nodeStart: s.start, nodeEnd: s.end, resLo: 0, resHi: rec.codes.length - 1 }, rec, params, claimed);
        if (f && (!best || f.score > best.score)) best = f;
      }
    }
    if (!best) continue;
    added.push(best);
    const rec = records.find((r) => r.recordIndex === best!.recordIndex)!;
    claimed.push({ recordIndex: best.recordIndex, interval: recordInterval(best, rec.codes.length) });
  }
  return added;
}
