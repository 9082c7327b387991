import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BaseEvidence, BackbonePath } from '../../src/trace/types.js';
import { fillUnassigned, unplacedStretches } from '../../src/sequence/fill.js';
import { encodeRecords } from '../../src/sequence/records.js';
import { defaultSequenceParams, type AssignedFragment } from '../../src/sequence/types.js';

const CODE: Record<string, number> = { A: 0, U: 1, C: 2, G: 3 };

/** A straight path (6 A steps, offset in y per path) whose calls favour `letters` with probability `p`. */
function path(letters: string, y: number, p = 0.85): BackbonePath {
  return {
    direction: 1, directionConfidence: 1, cost: 0,
    nodes: [...letters].map((l, k) => {
      const ev = [0, 0, 0, 0].map((_, b) => (b === CODE[l] ? p : (1 - p) / 3)) as BaseEvidence;
      return { sugarIndex: k, sugarA: [6 * k, y, 0], phosphate5A: null, phosphate3A: null, baseA: null, baseEvidence: ev };
    }),
  };
}

// 40 nt with no repeats of the 8-mers used below
const SEQ = 'GACUAGCUUAGGCAUCCGAUUGCAGGAUCCAUGCGUAACG';
const records = encodeRecords([{ chainId: 'A', sequence: SEQ, moleculeType: 'rna' }]);
const placed = (f: AssignedFragment) => [...f.mapping].filter((m) => m >= 0);

test('fillUnassigned: an unplaced stretch goes to its matching sequence when nobody claims it', () => {
  const paths = [path(SEQ.slice(0, 10), 0), path(SEQ.slice(20, 28), 20)];
  // the assembly placed path 0 at residues 0-9
  const claim: AssignedFragment = { pathIndex: 0, nodeStart: 0, nodeCount: 10, recordIndex: 0, orientation: 1, mapping: Int32Array.from({ length: 10 }, (_, k) => k), score: 850, interval: [0, 9] };
  const added = fillUnassigned(paths, [claim], records, defaultSequenceParams, 3);
  assert.equal(added.length, 1);
  assert.equal(added[0].pathIndex, 1);
  assert.equal(added[0].orientation, 1);
  assert.deepEqual(placed(added[0]), [20, 21, 22, 23, 24, 25, 26, 27]);
  // stretches shorter than minNodes are left alone
  assert.equal(fillUnassigned(paths, [claim], records, defaultSequenceParams, 9).length, 0);
});

test('fillUnassigned: claimed residues are never placed again; the longer stretch is placed first', () => {
  // two unplaced paths read the same stretch (20-29); the 10-node one is placed there, the 8-node one cannot be
  const paths = [path(SEQ.slice(20, 28), 0), path(SEQ.slice(20, 30), 20)];
  const added = fillUnassigned(paths, [], records, defaultSequenceParams, 3);
  const first = added.find((f) => f.pathIndex === 1)!;
  assert.deepEqual(placed(first), [20, 21, 22, 23, 24, 25, 26, 27, 28, 29]);
  for (const f of added.filter((g) => g.pathIndex === 0)) for (const m of placed(f)) assert.ok(m < 20 || m > 29, `residue ${m} placed twice`);
});

test('fillUnassigned: calls that say nothing place nothing', () => {
  const paths = [path('AAAAAAAAAA', 0, 0.25)];
  assert.deepEqual(fillUnassigned(paths, [], records, defaultSequenceParams, 3), []);
});

test('unplacedStretches: runs of nodes no fragment covers, at least minNodes long, in path order', () => {
  const paths = [path('ACGUACGUAC', 0), path('ACG', 20)];
  const f: AssignedFragment = { pathIndex: 0, nodeStart: 2, nodeCount: 3, recordIndex: 0, orientation: 1, mapping: Int32Array.from([0, 1, 2]), score: 0, interval: [0, 2] };
  assert.deepEqual(unplacedStretches(paths, [f], 2), [{ pathIndex: 0, start: 0, end: 2 }, { pathIndex: 0, start: 5, end: 10 }, { pathIndex: 1, start: 0, end: 3 }]);
  assert.deepEqual(unplacedStretches(paths, [f], 4), [{ pathIndex: 0, start: 5, end: 10 }]);
});
