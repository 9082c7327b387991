/**
 * The window alignment DP (src/sequence/align.ts) against exhaustive enumeration: on small random
 * cases (normal steps, long steps that call for residue skips, very long steps the gap penalty
 * tells apart by residue count, short steps of spurious nodes; FASTA N; global and local; with and
 * without jumps and end-skip costs; each sequence in both orientations) every alignment the scoring
 * model allows is enumerated and scored from the rules written out again in align-enumerate.ts
 * (match 100 p, gap penalty on the distance to the last assigned node with the residues skipped,
 * node-skip penalties, residue-skip penalties per run growing 4x past min(3, floor(0.15 L)) and 20x
 * when the two nodes are < 8 A apart, jumps, end skips). The DP's best score must equal the best
 * enumerated score (1e-9) in every case, and the mapping it traces back must score what it reports.
 * The enumerator shares only the published match and gap penalty functions with the DP.
 * Deterministic seeds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignSpan } from '../../src/sequence/align.js';
import { exhaustiveBest, randomCase, scoreMapping, SMALL, type CaseShape } from './align-enumerate.js';
import { Rng } from '../../src/util/random.js';

const TOL = 1e-9;

function compare(shape: CaseShape, cases: number, seed: number) {
  const r = new Rng(seed);
  const rng = () => r.next();
  const c = { compared: 0, withJumps: 0, local: 0, optimal: 0, usedResidueSkips: 0, longRuns: 0, failures: [] as string[] };
  for (let t = 0; t < cases; t++) {
    const { span, codes: fwd, opts } = randomCase(rng, shape);
    for (const [orientation, codes] of [[1, fwd], [-1, fwd.slice().reverse()]] as const) {
      const dp = alignSpan(span, codes, opts);
      const ex = exhaustiveBest(span, codes, opts);
      const what = `case ${t}/${orientation} (L ${span.length}, N ${codes.length}, ${JSON.stringify(opts)})`;
      const threshold = opts.local ? 0 : -1000; // the DP reports only alignments above this
      if (!(ex > threshold)) {
        if (dp.length > 0) c.failures.push(`${what}: DP reports ${dp[0].score} although the optimum ${ex} is below its floor`);
        continue;
      }
      c.compared++;
      if (opts.jumpPenalty !== undefined) c.withJumps++;
      if (opts.local) c.local++;
      if (dp.length === 0) { c.failures.push(`${what}: DP found nothing, optimum ${ex}`); continue; }
      if (Math.abs(dp[0].score - ex) > TOL) { c.failures.push(`${what}: DP ${dp[0].score}, optimum ${ex}`); continue; }
      c.optimal++;
      for (const cand of dp) {
        if (cand.score > ex + TOL) c.failures.push(`${what}: candidate ${cand.score} above the optimum ${ex}`);
        // without jumps a mapping determines the alignment: its score must be what the DP reports
        if (opts.jumpPenalty === undefined) {
          const s = scoreMapping(span, codes, opts, cand.mapping);
          if (Math.abs(s - cand.score) > TOL) c.failures.push(`${what}: mapping ${Array.from(cand.mapping)} scores ${s}, DP says ${cand.score}`);
        }
      }
      const m = Array.from(dp[0].mapping).filter((x) => x >= 0);
      let run = 0;
      for (let q = 1; q < m.length; q++) if (m[q] > m[q - 1] + 1) { c.usedResidueSkips++; run = Math.max(run, m[q] - m[q - 1] - 1); }
      if (run >= 4) c.longRuns++;
    }
  }
  return c;
}

const summary = (c: ReturnType<typeof compare>) => JSON.stringify({ ...c, failures: c.failures.length, first: c.failures.slice(0, 3) });


/** Every compared case reached the exhaustive optimum (the failures listed, if any). */
function assertAllOptimal(c: ReturnType<typeof compare>): void {
  assert.deepEqual(c.failures, [], summary(c));
  assert.equal(c.optimal, c.compared);
}

test('alignSpan without residue skips (node skips, jumps, end skips, local/global, geometric penalties): DP optimum = exhaustive optimum', (t) => {
  const c = compare({ ...SMALL, residueSkipPenalty: 1e7 }, 300, 20261202);
  t.diagnostic(summary(c));
  assert.ok(c.compared >= 400 && c.withJumps >= 100 && c.local >= 160, `coverage: ${summary(c)}`);
  assertAllOptimal(c);
});

test('alignSpan with residue skips (small cases, jumps): DP optimum = exhaustive optimum in every case', (t) => {
  const c = compare(SMALL, 400, 7);
  t.diagnostic(summary(c));
  assert.ok(c.compared >= 500 && c.withJumps >= 150 && c.usedResidueSkips >= 50, `coverage: ${summary(c)}`);
  assertAllOptimal(c);
});

test('alignSpan with long runs of skipped residues (cheap skips, more residues than nodes): runs beyond the saturated state are exact', (t) => {
  const c = compare({ nodes: [3, 4], residues: [8, 11], residueSkipPenalty: 1, jumps: 0.15 }, 200, 11);
  t.diagnostic(summary(c));
  assert.ok(c.compared >= 300 && c.longRuns >= 20, `coverage: ${summary(c)}`);
  assertAllOptimal(c);
});

test('alignSpan on 7-8 nodes (first residue of a run at the plain penalty, the next ones 4x): exact', (t) => {
  const c = compare({ nodes: [7, 8], residues: [6, 8], residueSkipPenalty: 10, jumps: 0 }, 120, 3);
  t.diagnostic(summary(c));
  assert.ok(c.compared >= 150 && c.usedResidueSkips >= 30, `coverage: ${summary(c)}`);
  assertAllOptimal(c);
});

test('alignSpan with a node ~900 A away (more than 254 states per cell, 16-bit back-pointers): exact', () => {
  const r = new Rng(5);
  const rng = () => r.next();
  let compared = 0;
  for (let t = 0; t < 30; t++) {
    const { span, codes, opts } = randomCase(rng, { nodes: [3, 4], residues: [3, 6], residueSkipPenalty: 8, jumps: 0.3 });
    const last = span.length - 1;
    span.positionsA[3 * last] += 900;
    const dp = alignSpan(span, codes, opts);
    const ex = exhaustiveBest(span, codes, opts);
    if (!(ex > (opts.local ? 0 : -1000))) continue;
    compared++;
    assert.ok(dp.length > 0 && Math.abs(dp[0].score - ex) <= TOL, `case ${t}: DP ${dp[0]?.score}, optimum ${ex}`);
  }
  assert.ok(compared >= 15, `compared ${compared}`);
});
