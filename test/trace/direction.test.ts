import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideDirection, directionBreak, type DirectionInput } from '../../src/trace/direction.js';

/** An ideal-ish strand along +x: sugars every 6 A, the P between sugar k and k+1 0.75 A nearer sugar k, base off to +y. */
function strand(n: number, reverse: boolean): DirectionInput {
  const sugar: [number, number, number][] = [], prevP: ([number, number, number] | null)[] = [], nextP: ([number, number, number] | null)[] = [], base: [number, number, number][] = [];
  for (let k = 0; k < n; k++) {
    sugar.push([6 * k, 0, 0]);
    base.push([6 * k + 1, 4, 0]);
    // 5' side P of residue k (between k-1 and k), higher in z: (P5 - S) x (P3 - S) . (B - S) > 0
    prevP.push(k > 0 ? [6 * k - 3.4, 0, 2.5] : null);
    nextP.push(k < n - 1 ? [6 * k + 2.6, 0, 2.5] : null);
  }
  if (!reverse) return { sugar, prevP, nextP, base };
  return { sugar: sugar.reverse(), prevP: nextP.reverse(), nextP: prevP.reverse(), base: base.reverse() };
}

test('direction: forward and reversed strands are recognised with high confidence', () => {
  const f = decideDirection(strand(8, false));
  const r = decideDirection(strand(8, true));
  assert.equal(f.direction, 1);
  assert.equal(r.direction, -1);
  assert.ok(f.confidence > 0.5 && r.confidence > 0.5, `${f.confidence} ${r.confidence}`);
  assert.deepEqual(decideDirection({ sugar: [[0, 0, 0]], prevP: [null], nextP: [null], base: [null] }), { direction: 1, confidence: 0 });
});

test('directionBreak cuts at the joint of two antiparallel pieces, at the longest nearby link', () => {
  const score = Float64Array.from([1, 1.2, 0.9, 1, 1.1, -1, -0.8, -1.2, -1, -1]);
  const links = [6, 6, 6, 6, 6, 9, 6, 6, 6];
  assert.equal(directionBreak(score, links, 3, 1.5), 5, 'moved to the 9 A link, within 2 of the vote optimum (4)');
  assert.equal(directionBreak(Float64Array.from([1, 1, 1, 1, 1, 1]), [6, 6, 6, 6, 6], 3, 1.5), -1);
  assert.equal(directionBreak(Float64Array.from([1, 1, 1, -0.5, 1, 1]), [6, 6, 6, 6, 6], 3, 1.5), -1, 'a single contrary vote does not cut');
});
