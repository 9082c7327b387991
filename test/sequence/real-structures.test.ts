/**
 * Sequence assignment on real nucleic-acid geometry: backbone paths are made directly from the
 * C4' atoms of real structures (a perfect trace, broken where consecutive C4' are > 10 A apart),
 * base evidence from the true bases (all correct, or only 50 % correct), and the FASTA from the
 * structure's own chains. This isolates the sequence stage from detection and tracing; the
 * end-to-end oracle test lives with the pipeline.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readStructure } from '../../src/io/structure-file.js';
import { Structure } from '../../src/structure/model.js';
import { assignSequence, chainsFromAssignment } from '../../src/sequence/index.js';
import type { BackbonePath, BaseEvidence, TracedNode } from '../../src/trace/types.js';
import type { Vec3 } from '../../src/grid/volume.js';
import { Rng } from '../../src/util/random.js';
import { sharedDataOrSkip, sharedPath } from '../helpers/shared-data.js';

const CODE: Record<string, number> = { A: 0, U: 1, T: 1, C: 2, G: 3 };

interface Truth { chainId: string; seqIndex: number }

function pathsFromStructure(s: Structure, accuracy: number, seed: number) {
  const rng = new Rng(seed);
  const paths: BackbonePath[] = [];
  const truth: Truth[][] = [];
  const records: { chainId: string; sequence: string; moleculeType: 'rna' | 'dna' }[] = [];
  for (const chain of s.chains) {
    const nts = chain.residues.filter((r) => (r.kind === 'rna' || r.kind === 'dna') && r.base);
    if (nts.length < 6) continue;
    const moleculeType = nts.filter((r) => r.kind === 'dna').length > nts.length / 2 ? 'dna' : 'rna';
    records.push({ chainId: chain.id, sequence: nts.map((r) => (moleculeType === 'dna' && r.base === 'U' ? 'T' : moleculeType === 'rna' && r.base === 'T' ? 'U' : r.base!)).join(''), moleculeType });
    let nodes: TracedNode[] = [];
    let t: Truth[] = [];
    let prev: Vec3 | null = null;
    nts.forEach((r, k) => {
      const c4 = Structure.findAtom(r, "C4'");
      if (!c4) return;
      const p: Vec3 = [c4.x, c4.y, c4.z];
      if (prev && Math.hypot(p[0] - prev[0], p[1] - prev[1], p[2] - prev[2]) > 10 && nodes.length) {
        paths.push({ nodes, direction: 1, directionConfidence: 1, cost: 0 });
        truth.push(t);
        nodes = [];
        t = [];
      }
      prev = p;
      const code = CODE[r.base!];
      const call = rng.next() < accuracy ? code : (code + 1 + rng.int(3)) % 4;
      const e: BaseEvidence = [0.1, 0.1, 0.1, 0.1];
      e[call] = 0.7;
      nodes.push({ sugarIndex: k, sugarA: p, phosphate5A: null, phosphate3A: null, baseA: null, baseEvidence: e });
      t.push({ chainId: chain.id, seqIndex: k });
    });
    if (nodes.length) { paths.push({ nodes, direction: 1, directionConfidence: 1, cost: 0 }); truth.push(t); }
  }
  return { paths, truth, records };
}

async function sequenceRecall(file: string, accuracy: number, seed: number): Promise<number> {
  const s = readStructure(file);
  const { paths, truth, records } = pathsFromStructure(s, accuracy, seed);
  const a = await assignSequence(paths, records);
  const chains = chainsFromAssignment(paths, a);
  // Identical chains (homodimers, self-complementary duplexes) are interchangeable: a residue is
  // right when it got the right position in a record with the same sequence as its true chain.
  const seqOf = new Map(records.map((r) => [r.chainId, r.sequence]));
  const got = new Map<string, string>();
  for (const c of chains.seqOnly) for (const r of c.residues) got.set(r.sugarA.join(','), `${seqOf.get(c.chainId) ?? c.chainId}:${r.seqNum}`);
  let ok = 0, total = 0;
  paths.forEach((p, pi) => p.nodes.forEach((n, k) => {
    total++;
    if (got.get(n.sugarA.join(',')) === `${seqOf.get(truth[pi][k].chainId)}:${truth[pi][k].seqIndex + 1}`) ok++;
  }));
  return ok / total;
}

const CASES = [
  'cryoread_6v5b_drna.pdb', // 78-nt RNA (the example)
  'rnapolis_1JJP.cif', // DNA duplex 2 x 14
  'rnapolis_1a9n.cif', // protein-RNA complex
  'rp_rp13_13_solution_0_rpr.pdb', // ZMP riboswitch, 60 nt
];

for (const name of CASES) {
  test(`sequence recall on real geometry: ${name}`, async (t) => {
    const dir = sharedDataOrSkip(t);
    if (!dir) return;
    const file = sharedPath(dir, 'structures', name);
    const perfect = await sequenceRecall(file, 1, 11);
    assert.ok(perfect >= 0.95, `perfect base evidence: recall ${perfect.toFixed(3)}`);
    const noisy = await sequenceRecall(file, 0.5, 12);
    assert.ok(noisy >= 0.8, `50 % correct base calls: recall ${noisy.toFixed(3)}`);
  });
}
