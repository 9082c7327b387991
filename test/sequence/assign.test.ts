import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assignSequence, chainsFromAssignment, alignSpan } from '../../src/sequence/index.js';
import type { BackbonePath, BaseEvidence, TracedNode } from '../../src/trace/types.js';
import type { Vec3 } from '../../src/grid/volume.js';
import { Rng } from '../../src/util/random.js';

// EMD-21051 / PDB 6V5B chain D sequence (78 nt), the CryoREAD example.
const SEQ = 'GACAUACUUGUUCCACUCUAGCAGCACGUAAAUAUUGGCACCAAUAUUACUGUGCUGCUUUAGUGUGACAGGGAUACA';
const CODE: Record<string, number> = { A: 0, U: 1, T: 1, C: 2, G: 3 };

/** C4'-like points on an A-form-like helix: consecutive distance ~5.8 A. */
function helixPoint(k: number, offset: Vec3 = [0, 0, 0]): Vec3 {
  const t = (k * 32.7 * Math.PI) / 180;
  return [offset[0] + 9 * Math.cos(t), offset[1] + 9 * Math.sin(t), offset[2] + 2.8 * k];
}

function evidenceFor(code: number, correct: boolean, rng: Rng): BaseEvidence {
  const call = correct ? code : (code + 1 + rng.int(3)) % 4;
  const e: BaseEvidence = [0.1, 0.1, 0.1, 0.1];
  e[call] = 0.7;
  return e;
}

/** A path whose node k is residue `residues[k]` (0-based) of SEQ; truth kept for scoring. */
function makePath(residues: number[], opts: { accuracy?: number; seed?: number; offset?: Vec3 } = {}): { path: BackbonePath; truth: number[] } {
  const rng = new Rng(opts.seed ?? 1);
  const nodes: TracedNode[] = residues.map((r, k) => {
    const p = helixPoint(r, opts.offset);
    const correct = rng.next() < (opts.accuracy ?? 1);
    return { sugarIndex: k, sugarA: p, phosphate5A: null, phosphate3A: null, baseA: null, baseEvidence: evidenceFor(CODE[SEQ[r]], correct, rng) };
  });
  return { path: { nodes, direction: 1, directionConfidence: 1, cost: 0 }, truth: residues };
}

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a }, (_, i) => a + i);
}

/** Fraction of true residues whose node got the right residue number in the seq-only chains. */
function recall(paths: { path: BackbonePath; truth: number[] }[], chains: ReturnType<typeof chainsFromAssignment>): number {
  let ok = 0, total = 0;
  const bySugar = new Map<string, number>();
  for (const c of chains.seqOnly) if (c.chainId === '3') for (const r of c.residues) bySugar.set(r.sugarA.join(','), r.seqNum);
  for (const { path, truth } of paths) {
    path.nodes.forEach((n, k) => {
      total++;
      if (bySugar.get(n.sugarA.join(',')) === truth[k] + 1) ok++;
    });
  }
  return ok / total;
}

const RECORDS = [{ chainId: '3', sequence: SEQ, moleculeType: 'rna' as const }];

test('one path over the whole sequence with perfect base evidence is assigned completely', async () => {
  const p = makePath(range(0, 78));
  const a = await assignSequence([p.path], RECORDS);
  assert.equal(a.mode, 'strict');
  const chains = chainsFromAssignment([p.path], a);
  assert.equal(recall([p], chains), 1);
  assert.equal(chains.final.length, 1);
  assert.equal(chains.final[0].chainId, '3');
  assert.deepEqual(chains.final[0].residues.map((r) => r.letter).join(''), SEQ);
});

test('noisy base typing (50 % correct calls) still gives sequence recall >= 0.8', async () => {
  const paths = [makePath(range(0, 40), { accuracy: 0.5, seed: 3 }), makePath(range(40, 78), { accuracy: 0.5, seed: 4, offset: [40, 0, 0] })];
  const a = await assignSequence(paths.map((p) => p.path), RECORDS);
  const r = recall(paths, chainsFromAssignment(paths.map((p) => p.path), a));
  assert.ok(r >= 0.8, `recall ${r}`);
});

test('a path traced 3\'->5\' is aligned in orientation -1 and numbered along the sequence', async () => {
  const p = makePath(range(10, 60).reverse(), { seed: 5 });
  const a = await assignSequence([p.path], RECORDS);
  assert.ok(a.fragments.length >= 1);
  assert.equal(a.fragments[0].orientation, -1);
  const chains = chainsFromAssignment([p.path], a);
  assert.equal(recall([p], chains), 1);
  const nums = chains.seqOnly[0].residues.map((r) => r.seqNum);
  assert.deepEqual(nums, range(11, 61));
});

test('a path traced 3\'->5\' whose evidence depends on the reading: the reverse reading (baseEvidenceReverse) is what the reversed sequence is matched against', async () => {
  const p = makePath(range(10, 60).reverse(), { seed: 6 });
  const rng = new Rng(9);
  // The template-frame caller read forwards sees no base (wrong side of the backbone): random calls.
  const nodes = p.path.nodes.map((n) => ({ ...n, baseEvidence: evidenceFor(rng.int(4), true, rng), baseEvidenceReverse: n.baseEvidence }));
  const path = { ...p.path, nodes };
  const a = await assignSequence([path], RECORDS);
  assert.equal(a.fragments[0].orientation, -1);
  const chains = chainsFromAssignment([path], a);
  assert.ok(recall([{ path, truth: p.truth }], chains) >= 0.95);
  assert.deepEqual(chains.seqOnly[0].residues.map((r) => r.letter).join(''), SEQ.slice(10, 60), 'letters from the record');
  // Without the reverse reading the same path gets much less.
  const plain = { ...p.path, nodes: nodes.map(({ baseEvidenceReverse: _r, ...n }) => n) };
  const b = await assignSequence([plain], RECORDS);
  assert.ok(recall([{ path: plain, truth: p.truth }], chainsFromAssignment([plain], b)) < 0.5);
});

test('a missing nucleotide and a spurious node are absorbed by skips', async () => {
  const residues = range(0, 50).filter((r) => r !== 20);
  const p = makePath(residues, { seed: 6 });
  // insert a spurious node between residues 30 and 31 (midpoint, random base evidence)
  const i = residues.indexOf(31);
  const a0 = p.path.nodes[i - 1].sugarA, b0 = p.path.nodes[i].sugarA;
  const mid: Vec3 = [(a0[0] + b0[0]) / 2 + 0.5, (a0[1] + b0[1]) / 2, (a0[2] + b0[2]) / 2];
  p.path.nodes.splice(i, 0, { sugarIndex: 999, sugarA: mid, phosphate5A: null, phosphate3A: null, baseA: null, baseEvidence: [0.25, 0.25, 0.25, 0.25] });
  p.truth.splice(i, 0, -99);
  const a = await assignSequence([p.path], RECORDS);
  const chains = chainsFromAssignment([p.path], a);
  const r = recall([p], chains) * p.truth.length / (p.truth.length - 1); // the spurious node has no true residue
  assert.ok(r >= 0.95, `recall ${r}`);
  const nums = chains.seqOnly[0].residues.map((x) => x.seqNum);
  assert.ok(!nums.includes(21), 'missing residue 21 must not be invented');
});

test('strict rules keep two paths from claiming one stretch; soft rules allow it, and the model still holds each FASTA position once', async () => {
  const a1 = makePath(range(0, 40), { seed: 7 });
  const dup = makePath(range(10, 30), { seed: 8, offset: [0, 60, 0] });
  const strict = await assignSequence([a1.path, dup.path], RECORDS);
  const chainsStrict = chainsFromAssignment([a1.path, dup.path], strict);
  for (const c of chainsStrict.seqOnly) {
    const nums = c.residues.map((r) => r.seqNum);
    assert.equal(new Set(nums).size, nums.length, `no residue number twice in chain ${c.chainId}`);
  }
  // the duplicate path may get a weaker alternative elsewhere, but it may overlap the stretch
  // held by path 0 (record residues 0-39) by less than 20 % of the longer interval only
  for (const f of strict.fragments.filter((x) => x.pathIndex === 1)) {
    const lo = f.orientation === 1 ? f.interval[0] : 77 - f.interval[1];
    const hi = f.orientation === 1 ? f.interval[1] : 77 - f.interval[0];
    assert.ok(Math.max(0, Math.min(hi, 39) - Math.max(lo, 0) + 1) < 8, `overlap of [${lo}, ${hi}] with [0, 39]`);
  }
  const soft = await assignSequence([a1.path, dup.path], RECORDS, { ruleSoft: true });
  assert.equal(soft.mode, 'soft');
  assert.ok(soft.fragments.some((f) => f.pathIndex === 1));
  const chainsSoft = chainsFromAssignment([a1.path, dup.path], soft);
  // The lower-scoring fragment's nodes stay in the model, unassigned (CryoREAD put them in a
  // second chain with the same FASTA numbers: one nucleotide of the sequence modelled twice).
  const positions = chainsSoft.final.filter((c) => c.assigned).flatMap((c) => c.residues.map((r) => `${c.assigned!.recordIndex}:${r.seqNum}`));
  assert.equal(new Set(positions).size, positions.length, 'no FASTA position twice');
  const unassigned = chainsSoft.final.filter((c) => !c.assigned).reduce((n, c) => n + c.residues.length, 0);
  assert.ok(unassigned >= 15, `the duplicate path's nodes are kept as unassigned residues (${unassigned})`);
  assert.ok(chainsSoft.final.every((c) => c.assigned || c.numbering === 'by-bonds'));
});

test('DNA records give DNA letters and protein records are skipped with a note', async () => {
  const dnaSeq = SEQ.replace(/U/g, 'T').slice(0, 30);
  const p = makePath(range(0, 30), { seed: 9 });
  const a = await assignSequence([p.path], [{ chainId: 'P', sequence: 'MKVLAAGIVG', moleculeType: 'protein' }, { chainId: 'B', sequence: dnaSeq, moleculeType: 'dna' }]);
  assert.ok(a.notes.some((n) => n.includes("'P' is protein")));
  const chains = chainsFromAssignment([p.path], a);
  assert.equal(chains.seqOnly[0].chainId, 'B');
  assert.equal(chains.seqOnly[0].residues.map((r) => r.letter).join(''), dnaSeq);
  assert.ok(chains.seqOnly[0].residues.every((r) => r.moleculeType === 'dna'));
});

test('alignSpan: memory-light top-K traceback returns distinct candidates best first', () => {
  const L = 12;
  const probabilities = new Float32Array(4 * L);
  const positionsA = new Float32Array(3 * L);
  for (let k = 0; k < L; k++) {
    probabilities[4 * k + CODE[SEQ[30 + k]]] = 1;
    const p = helixPoint(k);
    positionsA.set(p, 3 * k);
  }
  const codes = Uint8Array.from(SEQ, (c) => CODE[c]);
  const c = alignSpan({ probabilities, positionsA, length: L }, codes, { topK: 5, residueSkipPenalty: 25 });
  assert.ok(c.length >= 2);
  assert.deepEqual(c[0].interval, [30, 41]);
  assert.equal(c[0].score, 1200);
  for (let i = 1; i < c.length; i++) assert.ok(c[i].score <= c[i - 1].score);
});

test('FASTA N/X keep their place: numbering follows the record, the base comes from the evidence; whitespace and case are ignored', async () => {
  const p = makePath(range(0, 78));
  // residues 30..34 (0-based) unknown in the FASTA; lower case and line breaks as files have them
  const masked = SEQ.slice(0, 30) + 'NNXNN' + SEQ.slice(35);
  const fasta = `${masked.slice(0, 40).toLowerCase()}\n ${masked.slice(40)}\n`;
  const a = await assignSequence([p.path], [{ chainId: '3', sequence: fasta, moleculeType: 'rna' }]);
  assert.ok(a.notes.some((n) => n.includes('5 residues of unknown base')), a.notes.join('; '));
  const chains = chainsFromAssignment([p.path], a);
  assert.equal(recall([p], chains), 1, 'every node keeps its FASTA number');
  assert.equal(chains.final[0].residues.map((r) => r.letter).join(''), SEQ, 'unknown residues take the called base');
  const unknown = chains.final[0].residues.filter((r) => r.seqNum >= 31 && r.seqNum <= 35);
  assert.equal(unknown.length, 5);
  assert.ok(unknown.every((r) => r.confidence <= 0.5), 'a called base of an N is reported with at most 0.5 confidence');
});

test('a path traced across a junction (two stretches of the record) is split at the jump and both parts are numbered right', async () => {
  // nodes 0-11 are residues 55-66, then the trace runs on into residues 10-39 (a junction crossing)
  const residues = [...range(55, 67), ...range(10, 40)];
  const p = makePath(residues, { seed: 3 });
  // the crossing is where the two strands come close: put node 6 ~6 A after node 5, as a trace would
  const shift = p.path.nodes[12].sugarA.map((v, i) => p.path.nodes[11].sugarA[i] + (i === 0 ? 6 : 0) - v);
  for (let k = 12; k < p.path.nodes.length; k++) p.path.nodes[k].sugarA = p.path.nodes[k].sugarA.map((v, i) => v + shift[i]) as Vec3;
  const withJumps = await assignSequence([p.path], RECORDS);
  assert.equal(recall([p], chainsFromAssignment([p.path], withJumps)), 1);
  assert.ok(withJumps.fragments.length >= 2, 'one fragment per stretch');
  const contiguousOnly = await assignSequence([p.path], RECORDS, { jumpPenalty: 0 });
  assert.ok(recall([p], chainsFromAssignment([p.path], contiguousOnly)) < 1, 'without jumps the short head is misplaced (what the option fixes)');
});

test('whole-path placements: at most 24 per path however many records, the true one first', async () => {
  const { wholePathFragments } = await import('../../src/sequence/assemble.js');
  const { encodeRecords } = await import('../../src/sequence/records.js');
  const { defaultSequenceParams } = await import('../../src/sequence/types.js');
  const rng = new Rng(11);
  const decoys = Array.from({ length: 60 }, (_, i) => ({ chainId: `d${i}`, sequence: Array.from({ length: 78 }, () => 'ACGU'[Math.floor(rng.next() * 4)]).join(''), moleculeType: 'rna' as const }));
  const records = encodeRecords([...decoys, ...RECORDS]);
  const p = makePath(range(20, 50));
  const frags = wholePathFragments(p.path, 0, records, defaultSequenceParams);
  assert.ok(frags.length > 0 && frags.length <= 24, `${frags.length} placements`);
  const best = frags[0];
  assert.equal(records.find((r) => r.recordIndex === best.recordIndex)!.chainId, '3');
  assert.equal(best.mapping[0], 20);
});
