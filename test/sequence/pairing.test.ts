/**
 * Base pairs from geometry (src/sequence/pairing.ts) and their use as sequence evidence.
 * Real geometry: the B-DNA dodecamer 1BNA (CGCGAATTCGCG, self-complementary) with one path per
 * strand, sugar node = C4', base anchor = centroid of the base atoms (what the base channel's
 * cluster is centred on).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readStructure } from '../../src/io/structure-file.js';
import { Structure } from '../../src/structure/model.js';
import { complementEvidence, detectBasePairs, withPairEvidence } from '../../src/sequence/pairing.js';
import { complementarity } from '../../src/sequence/pair-consistency.js';
import { assignSequence } from '../../src/sequence/index.js';
import type { BackbonePath, BaseEvidence, TracedNode } from '../../src/trace/types.js';
import type { Vec3 } from '../../src/grid/volume.js';
import { Rng } from '../../src/util/random.js';
import { sharedDataOrSkip, sharedPath } from '../helpers/shared-data.js';

const CODE: Record<string, number> = { A: 0, U: 1, T: 1, C: 2, G: 3 };
const BACKBONE = new Set(['P', 'OP1', 'OP2', 'OP3']);

function noisyEvidence(code: number, accuracy: number, rng: Rng): BaseEvidence {
  const call = rng.next() < accuracy ? code : (code + 1 + rng.int(3)) % 4;
  const e: BaseEvidence = [0.02, 0.02, 0.02, 0.02];
  e[call] = 0.94;
  return e;
}

function centroid(atoms: readonly { x: number; y: number; z: number }[]): Vec3 | null {
  return atoms.length ? ([0, 1, 2].map((d) => atoms.reduce((acc, a) => acc + [a.x, a.y, a.z][d], 0) / atoms.length) as Vec3) : null;
}

/** One path per nucleic-acid chain (5'->3'), base anchors at the base-atom centroids. */
function strandPaths(s: Structure, accuracy = 1, seed = 1): { paths: BackbonePath[]; bases: string[][] } {
  const rng = new Rng(seed);
  const paths: BackbonePath[] = [];
  const bases: string[][] = [];
  for (const chain of s.chains) {
    const nts = chain.residues.filter((r) => (r.kind === 'rna' || r.kind === 'dna') && r.base);
    if (!nts.length) continue;
    const nodes: TracedNode[] = nts.map((r, k) => {
      const c4 = Structure.findAtom(r, "C4'")!;
      const baseA = centroid(r.atoms.filter((a) => !a.name.includes("'") && !BACKBONE.has(a.name)));
      return { sugarIndex: k, sugarA: [c4.x, c4.y, c4.z], phosphate5A: null, phosphate3A: null, baseA, baseEvidence: noisyEvidence(CODE[r.base!], accuracy, rng) };
    });
    paths.push({ nodes, direction: 1, directionConfidence: 1, cost: 0 });
    bases.push(nts.map((r) => r.base!));
  }
  return { paths, bases };
}

test('detectBasePairs finds the Watson-Crick pairs of a B-DNA duplex and nothing else', (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const { paths } = strandPaths(readStructure(sharedPath(dir, 'structures', 'biotite_1bna.cif')));
  assert.equal(paths.length, 2);
  const pairs = detectBasePairs(paths);
  // residue i of strand A pairs with residue 11 - i of strand B
  const right = pairs.filter((q) => q.a.pathIndex !== q.b.pathIndex && q.a.node + q.b.node === 11);
  t.diagnostic(`${pairs.length} pairs, ${right.length} Watson-Crick`);
  assert.ok(right.length >= 10, `found ${right.length} of 12 pairs`);
  assert.equal(pairs.length, right.length, 'no spurious pair');
  // every node at most once
  const seen = new Set(pairs.flatMap((q) => [`${q.a.pathIndex}:${q.a.node}`, `${q.b.pathIndex}:${q.b.node}`]));
  assert.equal(seen.size, 2 * pairs.length);
});

test('detectBasePairs: an isolated pair is dropped unless stemsOnly is off; neighbours on a path never pair', () => {
  // two nodes facing each other 13 A apart, bases in between
  const node = (x: number, bx: number, k: number): TracedNode => ({ sugarIndex: k, sugarA: [x, 0, 0], phosphate5A: null, phosphate3A: null, baseA: [bx, 0, 0], baseEvidence: [1, 0, 0, 0] });
  const a: BackbonePath = { nodes: [node(0, 4, 0)], direction: 1, directionConfidence: 1, cost: 0 };
  const b: BackbonePath = { nodes: [node(13, 9, 1)], direction: 1, directionConfidence: 1, cost: 0 };
  assert.equal(detectBasePairs([a, b]).length, 0);
  const loose = detectBasePairs([a, b], { stemsOnly: false });
  assert.equal(loose.length, 1);
  // sugars at the typical distance, facing perfectly: cost = base-base 5 A vs typical 5.8 A
  assert.ok(Math.abs(loose[0].cost - 0.8) < 1e-6, `cost ${loose[0].cost}`);
  // the same two nodes one position apart on one path are neighbours, not partners
  const one: BackbonePath = { nodes: [node(0, 4, 0), node(13, 9, 1)], direction: 1, directionConfidence: 1, cost: 0 };
  assert.equal(detectBasePairs([one], { stemsOnly: false }).length, 0);
  // bases pointing away from each other: no pair
  const away: BackbonePath = { nodes: [node(13, 17, 1)], direction: 1, directionConfidence: 1, cost: 0 };
  assert.equal(detectBasePairs([a, away], { stemsOnly: false }).length, 0);
});

test('complementEvidence and withPairEvidence combine a node with its partner\'s complemented call', () => {
  assert.deepEqual(complementEvidence([1, 0, 0, 0], 0.3), [0, 1, 0, 0]); // A -> U
  assert.deepEqual(complementEvidence([0, 0, 0, 1], 0.3), [0, 0.3, 1, 0]); // G -> C (+ wobble U)
  assert.deepEqual(complementEvidence([0, 1, 0, 0], 0.3), [1, 0, 0, 0.3]); // U -> A (+ wobble G)
  const node = (e: BaseEvidence, k: number): TracedNode => ({ sugarIndex: k, sugarA: [k, 0, 0], phosphate5A: null, phosphate3A: null, baseA: null, baseEvidence: e });
  const paths: BackbonePath[] = [
    { nodes: [node([2, 0, 0, 2], 0), node([0, 0, 1, 0], 1)], direction: 1, directionConfidence: 1, cost: 0 },
    { nodes: [node([0, 0, 0, 5], 2)], direction: 1, directionConfidence: 1, cost: 0 },
  ];
  const pairs = [{ a: { pathIndex: 0, node: 0 }, b: { pathIndex: 1, node: 0 }, cost: 0 }];
  const counted = withPairEvidence(paths, pairs, 1, 0.3, false);
  // node 0: own [0.5, 0, 0, 0.5] + complement of G = C + 0.3 U
  assert.deepEqual([...counted[0].matchEvidence!.subarray(0, 4)].map((v) => +v.toFixed(3)), [0.5, 0.3, 1, 0.5]);
  assert.deepEqual([...counted[0].matchEvidence!.subarray(4, 8)], [0, 0, 1, 0]); // unpaired: normalised own
  // node of path 1: own G + complement of (A|G) = U + wobble of G... [0.5 U] + [0.5 C] + 0.3 x 0.5 U
  assert.deepEqual([...counted[1].matchEvidence!].map((v) => +v.toFixed(3)), [0, 0.65, 0.5, 1]);
  const norm = withPairEvidence(paths, pairs, 1, 0.3, true);
  const s = norm[1].matchEvidence!.reduce((a, v) => a + v, 0);
  assert.ok(Math.abs(s - 1) < 1e-6);
  assert.equal(paths[0].nodes[0].baseEvidence[0], 2, 'input not modified');
});

test('base pairs (partner evidence and pair consistency) raise sequence recall of a noisy short duplex (1BNA, 35 % correct calls, direction unknown)', async (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const s = readStructure(sharedPath(dir, 'structures', 'biotite_1bna.cif'));
  const records = s.chains
    .map((c) => c.residues.filter((r) => r.kind === 'dna' && r.base).map((r) => (r.base === 'U' ? 'T' : r.base!)).join(''))
    .filter((q) => q.length)
    .map((sequence, k) => ({ chainId: 'AB'[k], sequence, moleculeType: 'dna' as const }));
  let withPairs = 0, without = 0, total = 0;
  for (let seed = 1; seed <= 6; seed++) {
    const { paths } = strandPaths(s, 0.35, seed);
    for (const p of paths) p.directionConfidence = 0;
    for (const [weight, acc] of [[0, 'without'], [1, 'with']] as const) {
      const a = await assignSequence(paths, records, { pairEvidenceWeight: weight, pairConsistencyWeight: 100 * weight });
      let ok = 0;
      // the duplex is self-complementary: both records are CGCGAATTCGCG, any record counts
      for (const f of a.fragments) for (let k = 0; k < f.nodeCount; k++) {
        const m = f.mapping[k];
        if (m >= 0 && (f.orientation === 1 ? m : 11 - m) === f.nodeStart + k) ok++;
      }
      if (acc === 'with') withPairs += ok; else without += ok;
    }
    total += paths.reduce((n, p) => n + p.nodes.length, 0);
  }
  t.diagnostic(`right placements over 6 noisy duplexes: ${without}/${total} without base pairs, ${withPairs}/${total} with`);
  // measured: 61/144 without, 98/144 with
  assert.ok(withPairs >= 0.6 * total, `with pair evidence ${withPairs}/${total}`);
  assert.ok(withPairs >= without + 0.1 * total, `pair evidence helps: ${without} -> ${withPairs} of ${total}`);
});

test('detectBasePairs: with only phosphates and sugar points (no base node), template anchors find the stems of 1EHZ', async (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const s = readStructure(sharedPath(dir, 'structures', 'rna3db_1ehz.cif'));
  const { paths, bases } = strandPaths(s);
  // what a re-threaded trace gives: each node between its own P and the next one's, no base anchor
  const nts = s.chains.flatMap((c) => c.residues.filter(Structure.isSequenceNucleotide));
  // the points re-threading places: phosphate-group centroids, primed-atom (sugar) centroids
  const P = nts.map((r) => centroid(r.atoms.filter((a) => ['P', 'OP1', 'OP2'].includes(a.name))));
  paths[0].nodes.forEach((n, k) => { n.baseA = null; n.sugarA = centroid(nts[k].atoms.filter((a) => a.name.includes("'")))!; n.phosphate5A = P[k]; n.phosphate3A = P[k + 1] ?? null; });
  assert.equal(detectBasePairs(paths).length, 0);
  const pairs = detectBasePairs(paths, { templateAnchors: true });
  const right = pairs.filter((q) => complementarity(CODE[bases[0][q.a.node]], CODE[bases[0][q.b.node]], 1) > 0);
  t.diagnostic(`${pairs.length} pairs, ${right.length} complementary`);
  // 1EHZ has 20 Watson-Crick / wobble pairs in its four stems
  assert.ok(pairs.length >= 14, `${pairs.length} pairs`);
  assert.ok(right.length >= 0.85 * pairs.length, `${right.length} of ${pairs.length} complementary`);
  // the sequence stage passes the option on (SequenceParams.pairTemplateAnchors)
  const records = Structure.sequenceRecords(s);
  const pairNote = (a: { notes: string[] }) => a.notes.find((n) => n.startsWith('base pairs from geometry')) ?? '';
  assert.match(pairNote(await assignSequence(paths, records)), new RegExp(`base pairs from geometry: ${pairs.length} `), 'template anchors by default');
  assert.equal(pairNote(await assignSequence(paths, records, { pairTemplateAnchors: false })), '');
});

test('template anchors fill in only where the trace has no base node; template-placed pairs carry their own evidence weight', async (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const s = readStructure(sharedPath(dir, 'structures', 'rna3db_1ehz.cif'));
  const { paths } = strandPaths(s);
  const nts = s.chains.flatMap((c) => c.residues.filter(Structure.isSequenceNucleotide));
  const P = nts.map((r) => centroid(r.atoms.filter((a) => ['P', 'OP1', 'OP2'].includes(a.name))));
  paths[0].nodes.forEach((n, k) => { n.phosphate5A = P[k]; n.phosphate3A = P[k + 1] ?? null; });
  // base nodes everywhere (as oracle maps give): the template is not used, no pair is marked templated
  const detected = detectBasePairs(paths, { templateAnchors: true });
  assert.deepEqual(detected.map((q) => [q.a, q.b]), detectBasePairs(paths).map((q) => [q.a, q.b]));
  assert.ok(detected.length >= 14 && detected.every((q) => !q.templated), `${detected.length} pairs`);
  // no base nodes (the network pipeline): every pair comes from template-placed bases
  paths[0].nodes.forEach((n) => { n.baseA = null; });
  const templated = detectBasePairs(paths, { templateAnchors: true });
  assert.ok(templated.length >= 14 && templated.every((q) => q.templated), `${templated.length} templated pairs`);
  // per-pair evidence weight: 0 for the templated pairs leaves every node's evidence its own
  const own = withPairEvidence(paths, templated, () => 0, 0, false);
  const mixed = withPairEvidence(paths, templated, (q) => (q.templated ? 1 : 0), 0, false);
  const node = templated[0].a;
  const sum = (e: Float32Array, k: number) => e[4 * k] + e[4 * k + 1] + e[4 * k + 2] + e[4 * k + 3];
  assert.ok(Math.abs(sum(own[node.pathIndex].matchEvidence!, node.node) - 1) < 1e-6);
  assert.ok(Math.abs(sum(mixed[node.pathIndex].matchEvidence!, node.node) - 2) < 1e-6, 'weight 1: own call plus the partner\'s complement');
  const records = Structure.sequenceRecords(s);
  const note = (await assignSequence(paths, records)).notes.find((n) => n.startsWith('base pairs from geometry')) ?? '';
  assert.match(note, new RegExp(`: ${templated.length} \\(${templated.length} with template-placed bases; evidence weight 1, 0 for template-placed; consistency weight 30\\)`));
});
