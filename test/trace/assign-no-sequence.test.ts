import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assignNoSequence, chainIdFor, selectResidueNodes } from '../../src/trace/assign-no-sequence.js';
import type { BackbonePath, TracedNode, BaseEvidence } from '../../src/trace/types.js';

function node(x: number, ev: BaseEvidence, extra: Partial<TracedNode> = {}): TracedNode {
  return { sugarIndex: 0, sugarA: [x, 0, 0], phosphate5A: [x - 3, 1, 0], phosphate3A: [x + 3, 1, 0], baseA: [x, 5, 0], baseEvidence: ev, ...extra };
}
const path = (nodes: TracedNode[]): BackbonePath => ({ nodes, direction: 1, directionConfidence: 1, cost: 0 });

test('section 14: nodes every 6 A become residues, an extra node 2 A after a residue is skipped, the last node is handled', () => {
  const ev: BaseEvidence = [2, 0.1, 0, 0];
  const nodes = [node(0, ev), node(6, ev), node(8, ev), node(12, ev), node(18, [0, 0, 2.5, 0.2]), node(19.5, ev)];
  assert.deepEqual(selectResidueNodes(nodes), [true, true, false, true, true, false]);
  const [chain] = assignNoSequence([path(nodes)]);
  assert.equal(chain.chainId, 'A');
  assert.deepEqual(chain.residues.map((r) => r.seqNum), [1, 2, 3, 4]);
  assert.deepEqual(chain.residues.map((r) => r.letter).join(''), 'AAAC');
  assert.deepEqual(chain.residues[1].phosphateA, [3, 1, 0], "phosphateA is the residue's 5' P");
  assert.deepEqual(chain.residues[3].sugarA, [18, 0, 0]);
});

test('letters follow the molecule type; confidence is in [0, 1] and reflects density and base certainty', () => {
  const nodes = [
    node(0, [0, 3, 0, 0], { sugarDensity: 1.01 }),
    node(6, [1, 1, 1, 1], { sugarDensity: 0.5 }),
    node(12, [0, 0, 0, 0], { sugarDensity: 0.2 }),
  ];
  const [rna] = assignNoSequence([path(nodes)]);
  const [dna] = assignNoSequence([path(nodes)], { moleculeType: 'dna' });
  assert.equal(rna.residues.map((r) => r.letter).join(''), 'UAA');
  assert.equal(dna.residues.map((r) => r.letter).join(''), 'TAA');
  assert.equal(dna.residues[0].moleculeType, 'dna');
  const conf = rna.residues.map((r) => r.confidence);
  assert.ok(Math.abs(conf[0] - 1) < 1e-9, `certain type + full density -> 1, got ${conf[0]}`);
  assert.ok(Math.abs(conf[1] - 0.25) < 1e-9, `uniform evidence -> density part only, got ${conf[1]}`);
  assert.ok(Math.abs(conf[2] - 0.1) < 1e-9);
});

test('chain ids: A-Z, a-z, 0-9, then two characters (no repeats)', () => {
  assert.equal(chainIdFor(0), 'A');
  assert.equal(chainIdFor(25), 'Z');
  assert.equal(chainIdFor(26), 'a');
  assert.equal(chainIdFor(61), '9');
  assert.equal(chainIdFor(62), 'AA');
  assert.equal(chainIdFor(63), 'AB');
  const ids = new Set(Array.from({ length: 500 }, (_, i) => chainIdFor(i)));
  assert.equal(ids.size, 500);
  const paths = Array.from({ length: 70 }, () => path([node(0, [1, 0, 0, 0])]));
  const chains = assignNoSequence(paths);
  assert.equal(chains[69].chainId, 'AH');
  assert.ok(chains.every((c) => c.residues.length === 1 && c.residues[0].seqNum === 1));
});
