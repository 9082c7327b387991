/**
 * Geometry-only letter assignment, CryoREAD's "noseq" model (reference section 14): one chain per
 * traced path, residues 5' -> 3'.
 *
 * Per path (already ordered 5' -> 3' by traceBackbones), with m_i = max of the base evidence of node i
 * and d = distance (A) from the last used node q to node i: node 0 is used; node i is used iff
 * m_i - usePen >= -skipPen, where usePen = 10 (d - 7)^2 when d <= 4 or d >= 10 (else 0) and skipPen = 0
 * when skipping is "reasonable" (d + d(i, i+1) < 10, or d <= 4), else 10 (d - 7)^2. Sugar nodes too
 * close to the previous residue (extra nodes) are thereby skipped.
 * Fixes / choices: [bug] CryoREAD reads d(i, i+1) past the end for the last node; here the last node
 * has no "next" term. CryoREAD also runs the pass on the reversed path and keeps the better-scoring
 * order; here the order is the geometric 5' -> 3' one from tracing, so one pass.
 *
 * Letter = argmax of the evidence [A, U/T, C, G] (A when there is no evidence, like CryoREAD's argmax
 * of zeros). Chain ids: A-Z, a-z, 0-9, then two characters (AA, AB, ...) instead of repeating ids.
 * Residue numbers start at 1 per chain (CryoREAD: 2). phosphateA = the residue's 5' phosphate.
 * confidence = mean of (a) the sugar-node density clipped to [0, 1] (kernel-smoothed sugar probability
 * relative to the strongest node; 1 when unknown) and (b) base-type certainty: (max / sum of the
 * evidence - 0.25) / 0.75, 0 without evidence. Both parts come from the probability maps only.
 */
import type { CoarseChain, CoarseResidue, MoleculeType } from '../build/types.js';
import type { BackbonePath, TracedNode } from './types.js';

export interface NoSequenceParams {
  /** Letters and residue type. @default 'rna' (CryoREAD writes RNA letters at this stage) */
  moleculeType: MoleculeType;
}

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Chain id of the i-th chain (0-based): one character for the first 62, then two characters. */
export function chainIdFor(i: number): string {
  const n = ID_CHARS.length;
  if (i < n) return ID_CHARS[i];
  const k = i - n;
  if (k < n * n) return ID_CHARS[Math.floor(k / n)] + ID_CHARS[k % n];
  return ID_CHARS[Math.floor(k / (n * n)) % n] + ID_CHARS[Math.floor(k / n) % n] + ID_CHARS[k % n];
}

const dist = (a: TracedNode, b: TracedNode) => Math.hypot(a.sugarA[0] - b.sugarA[0], a.sugarA[1] - b.sugarA[1], a.sugarA[2] - b.sugarA[2]);
const pen = (d: number) => 10 * (d - 7) ** 2;

/** Which nodes of a path become residues (section 14 greedy pass). */
export function selectResidueNodes(nodes: readonly TracedNode[]): boolean[] {
  const used = nodes.map(() => false);
  if (!nodes.length) return used;
  used[0] = true;
  let q = 0;
  for (let i = 1; i < nodes.length; i++) {
    const d = dist(nodes[q], nodes[i]);
    const m = Math.max(...nodes[i].baseEvidence);
    const usePen = d <= 4 || d >= 10 ? pen(d) : 0;
    const reasonable = d <= 4 || (i + 1 < nodes.length && d + dist(nodes[i], nodes[i + 1]) < 10);
    const skipPen = reasonable ? 0 : pen(d);
    if (m - usePen >= -skipPen) { used[i] = true; q = i; }
  }
  return used;
}

function residueFor(node: TracedNode, seqNum: number, mt: MoleculeType): CoarseResidue {
  const ev = node.baseEvidence;
  let best = 0;
  for (let k = 1; k < 4; k++) if (ev[k] > ev[best]) best = k;
  const letters = mt === 'dna' ? (['A', 'T', 'C', 'G'] as const) : (['A', 'U', 'C', 'G'] as const);
  const sum = ev[0] + ev[1] + ev[2] + ev[3];
  const typeCertainty = sum > 0 ? Math.max(0, (ev[best] / sum - 0.25) / 0.75) : 0;
  const density = node.sugarDensity === undefined ? 1 : Math.min(1, Math.max(0, node.sugarDensity));
  return {
    seqNum,
    letter: letters[best],
    moleculeType: mt,
    phosphateA: node.phosphate5A ? [...node.phosphate5A] : null,
    sugarA: [...node.sugarA],
    baseA: node.baseA ? [...node.baseA] : null,
    confidence: 0.5 * density + 0.5 * typeCertainty,
    baseCallProbability: sum > 0 ? ev[best] / sum : null,
  };
}

export function assignNoSequence(paths: readonly BackbonePath[], params: Partial<NoSequenceParams> = {}): CoarseChain[] {
  const mt = params.moleculeType ?? 'rna';
  return paths.map((path, c) => {
    const used = selectResidueNodes(path.nodes);
    const residues: CoarseResidue[] = [];
    path.nodes.forEach((node, k) => { if (used[k]) residues.push(residueFor(node, residues.length + 1, mt)); });
    return { chainId: chainIdFor(c), residues };
  });
}
