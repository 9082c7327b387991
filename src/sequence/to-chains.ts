/**
 * Turns a sequence assignment into chains for the atom builder.
 * - seq-only model: assigned residues only; chain id = FASTA record chain, residue number =
 *   position in the record (1-based), 5'->3' order from the alignment orientation.
 * - final model: the seq-only chains plus every unassigned stretch of a path (>= minUnassignedRun
 *   nodes) as its own chain with geometry-only letters (argmax of the base evidence), so nothing
 *   traced is dropped.
 * Orientation -1 means the geometric 5'->3' guess of the trace was wrong for that fragment: the
 * residue's 5' phosphate is then the node's `phosphate3A`.
 * Two fragments claiming one FASTA position (possible under soft rules, or when two paths cover one
 * stretch) never both keep it: the higher-scoring fragment is assigned, the other one's nodes are
 * left unassigned (geometry-only letters, own chain id). CryoREAD gave the second fragment a new
 * chain id with the same numbers, which put one nucleotide of the sequence twice in the model.
 * Assigned chains carry `assigned` (record index and chain id); unassigned ones do not.
 * Confidence (B-factor source) of an assigned residue = 0.5 + 0.5 x its normalised base
 * probability for the assigned letter; of an unassigned one = 0.5 x max normalised probability.
 */
import type { CoarseChain, CoarseResidue } from '../build/types.js';
import type { BackbonePath } from '../trace/types.js';
import { letterOf } from './records.js';
import { makeChainIdAllocator } from '../build/numbering.js';
import { unplacedStretches } from './fill.js';
import type { AssignedFragment, SequenceAssignment } from './types.js';

function normalised(e: readonly number[]): number[] {
  const s = e[0] + e[1] + e[2] + e[3];
  return s > 0 ? e.map((x) => x / s) : [0.25, 0.25, 0.25, 0.25];
}

/** Base code the evidence calls (argmax; A on ties, as CryoREAD's argmax). */
function calledBase(p: readonly number[]): number {
  let b = 0;
  for (let t = 1; t < 4; t++) if (p[t] > p[b]) b = t;
  return b;
}

function fragmentResidues(path: BackbonePath, f: AssignedFragment, assignment: SequenceAssignment): CoarseResidue[] {
  const rec = assignment.records.find((r) => r.recordIndex === f.recordIndex)!;
  const n = rec.codes.length;
  const out: CoarseResidue[] = [];
  for (let k = 0; k < f.nodeCount; k++) {
    const m = f.mapping[k];
    if (m < 0) continue;
    const pos = f.orientation === 1 ? m : n - 1 - m;
    const node = path.nodes[f.nodeStart + k];
    const p = normalised(f.orientation === -1 && node.baseEvidenceReverse ? node.baseEvidenceReverse : node.baseEvidence);
    // A FASTA N/X residue takes the base the evidence calls (confidence stays that of a guess).
    const known = rec.codes[pos] < 4;
    const code = known ? rec.codes[pos] : calledBase(p);
    out.push({
      seqNum: pos + 1,
      letter: letterOf(code, rec.moleculeType),
      moleculeType: rec.moleculeType,
      phosphateA: f.orientation === 1 ? node.phosphate5A : node.phosphate3A,
      sugarA: node.sugarA,
      baseA: node.baseA,
      confidence: known ? 0.5 + 0.5 * p[code] : 0.5 * p[code],
      baseCallProbability: p[code],
    });
  }
  return out.sort((a, b) => a.seqNum - b.seqNum);
}

export interface SequenceChains {
  seqOnly: CoarseChain[];
  final: CoarseChain[];
}

export function chainsFromAssignment(
  paths: readonly BackbonePath[],
  assignment: SequenceAssignment,
  opts: { minUnassignedRun?: number; defaultMoleculeType?: 'rna' | 'dna' } = {},
): SequenceChains {
  const minRun = opts.minUnassignedRun ?? 3;
  const recordChainIds = assignment.records.map((r) => r.chainId);
  const alloc = makeChainIdAllocator(recordChainIds);
  // group fragments per record chain, best score first so the best keeps the record's chain id
  const byChain = new Map<string, { residues: CoarseResidue[]; score: number; fragment: AssignedFragment }[]>();
  for (const f of [...assignment.fragments].sort((a, b) => b.score - a.score)) {
    const rec = assignment.records.find((r) => r.recordIndex === f.recordIndex)!;
    const list = byChain.get(rec.chainId) ?? [];
    list.push({ residues: fragmentResidues(paths[f.pathIndex], f, assignment), score: f.score, fragment: f });
    byChain.set(rec.chainId, list);
  }
  const seqOnly: CoarseChain[] = [];
  const placed = new Set<AssignedFragment>();
  for (const rec of assignment.records) {
    const list = byChain.get(rec.chainId);
    if (!list) continue;
    const mainUsed = new Set<number>();
    const main: CoarseResidue[] = [];
    for (const frag of list) {
      if (frag.residues.every((r) => !mainUsed.has(r.seqNum))) {
        for (const r of frag.residues) { mainUsed.add(r.seqNum); main.push(r); }
        placed.add(frag.fragment);
      }
    }
    main.sort((a, b) => a.seqNum - b.seqNum);
    if (main.length) seqOnly.push({ chainId: rec.chainId, residues: main, assigned: { recordIndex: rec.recordIndex, recordChainId: rec.chainId } });
  }
  // unassigned stretches
  const moleculeType = opts.defaultMoleculeType ?? (assignment.records.every((r) => r.moleculeType === 'dna') ? 'dna' : 'rna');
  const extra: CoarseChain[] = [];
  for (const { pathIndex, start, end } of unplacedStretches(paths, placed, minRun)) {
    const residues: CoarseResidue[] = [];
    for (let q = start; q < end; q++) {
      const node = paths[pathIndex].nodes[q];
      const p = normalised(node.baseEvidence);
      const b = calledBase(p);
      residues.push({ seqNum: q - start + 1, letter: letterOf(b, moleculeType), moleculeType, phosphateA: node.phosphate5A, sugarA: node.sugarA, baseA: node.baseA, confidence: 0.5 * p[b], baseCallProbability: p[b] });
    }
    extra.push({ chainId: alloc(), residues, numbering: 'by-bonds' });
  }
  return { seqOnly, final: [...seqOnly, ...extra] };
}
