/**
 * The window alignment DP (src/sequence/align.ts) against exhaustive enumeration: on small random
 * cases (3-6 nodes, 3-6 residues; normal steps, long steps that force residue skips, short steps of
 * spurious nodes; FASTA N; global and local; with and without jumps and end-skip costs) every
 * alignment the scoring model allows is enumerated and scored from the rules written out again
 * here (match 100 p, gap penalty on the distance to the last assigned node with the residues
 * skipped, node-skip penalties, residue-skip penalties growing past 15 % of L and 20x when the two
 * nodes are < 8 A apart, jumps, end skips), and the DP's best score must equal the best enumerated
 * score. The enumerator shares only the three published penalty functions with the DP.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignSpan } from '../../src/sequence/align.js';
import { exhaustiveBest, randomCase } from './align-enumerate.js';
import { Rng } from '../../src/util/random.js';

function compare(residueSkips: boolean, cases: number, seed: number) {
  const r = new Rng(seed);
  const rng = () => r.next();
  let compared = 0, withJumps = 0, local = 0, equal = 0;
  const above: string[] = [], below: string[] = [];
  for (let t = 0; t < cases; t++) {
    const { span, codes, opts } = randomCase(rng, residueSkips);
    const dp = alignSpan(span, codes, opts);
    const ex = exhaustiveBest(span, codes, opts);
    const threshold = opts.local ? 0 : -1000; // the DP reports only alignments above this
    if (!(ex > threshold)) { assert.ok(dp.length === 0 || dp[0].score <= ex + 1e-2, `case ${t}: DP ${dp[0]?.score} above the optimum ${ex}`); continue; }
    assert.ok(dp.length > 0, `case ${t}: DP found nothing, exhaustive ${ex}`);
    compared++;
    if (opts.jumpPenalty !== undefined) withJumps++;
    if (opts.local) local++;
    // scores are float32 in the DP table (resolution ~1e-4 here)
    const tol = 1e-2 * Math.max(1, Math.abs(ex) / 100);
    const what = `case ${t} (L ${span.length}, N ${codes.length}, ${JSON.stringify(opts)}): DP ${dp[0].score.toFixed(3)}, optimum ${ex.toFixed(3)}`;
    if (dp[0].score > ex + tol) above.push(what);
    else if (dp[0].score < ex - tol) below.push(what);
    else equal++;
  }
  return { compared, withJumps, local, equal, above, below };
}

test('alignSpan without residue skips (node skips, jumps, end skips, local/global, geometric penalties): DP optimum = exhaustive optimum on 300 random cases', () => {
  const c = compare(false, 300, 20261202);
  assert.ok(c.compared >= 200 && c.withJumps >= 50 && c.local >= 80, `coverage: ${JSON.stringify({ ...c, above: c.above.length, below: c.below.length })}`);
  assert.deepEqual(c.above, [], 'no DP score above what an alignment can reach');
  assert.deepEqual(c.below, [], 'the DP finds the optimum');
});

// With residue skips the DP is not exact: the residues skipped since the last assigned node (gap
// penalty) and the count of skips so far (growing skip penalty) are carried from the best
// predecessor of a cell, not kept in the state, so a cell can keep a higher-scoring prefix with a
// worse future. Measured here: the DP reaches the optimum in ~90 % of random cases with skips (see
// the diagnostic); it never reports a score no alignment has. Making it exact needs those counts in
// the DP state (issue 14 notes).
test('alignSpan with residue skips: DP scores are always reachable (never above the exhaustive optimum); share of exact optima measured', (t) => {
  const c = compare(true, 300, 7);
  t.diagnostic(`exact optimum in ${c.equal} of ${c.compared} cases; below the optimum in ${c.below.length}; e.g. ${c.below.slice(0, 2).join(' | ')}`);
  assert.deepEqual(c.above, [], 'no DP score above what an alignment can reach');
  assert.ok(c.equal >= 0.75 * c.compared, `exact optimum in ${c.equal} of ${c.compared}`);
});
