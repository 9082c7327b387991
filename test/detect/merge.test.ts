import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { detectWithRunner } from '../../src/detect/detect.js';
import { planBoxes, type BoxStart } from '../../src/detect/tiling.js';
import { STAGE2_INPUT_THRESHOLD } from '../../src/detect/params.js';
import { AbortError, InputError } from '../../src/util/errors.js';
import type { ProgressEvent } from '../../src/util/progress.js';
import { PointwiseRunner, ShiftRunner, SHIFT1, SHIFT2, baseFn, chainFn } from './fake-runners.js';
import { simulatedPrepared } from './maps.js';
import { cropFromBox, padToBox } from './brute-force.js';
import { PROBABILITY_CHANNELS } from '../../src/grid/probability-maps.js';

const BOX = 16, STRIDE = 8;

test('pointwise runner: merged maps equal the per-voxel function on covered voxels, UT = max(U, T), channel order kept', async (t) => {
  const sim = simulatedPrepared(t, 'rnatools_6TNA.pdb');
  if (!sim) return;
  const p = sim.prepared;
  const runner = new PointwiseRunner(BOX);
  const events: ProgressEvent[] = [];
  const r = await detectWithRunner(p, runner, { boxSize: BOX, strideVoxels: STRIDE, batchSize: 3 }, { onProgress: (e) => events.push(e) });
  const { kept } = planBoxes(p.normalised.data, p.normalised.shape, p.contourNormalised, BOX, STRIDE);
  assert.equal(r.boxes.stage1, kept.length);
  assert.equal(runner.calls.boxes1, kept.length);
  assert.equal(runner.calls.stage1, Math.ceil(kept.length / 3));
  assert.equal(runner.calls.boxes2, r.boxes.stage2);
  assert.ok(r.boxes.stage2 > 0.5 * kept.length && r.boxes.stage2 <= kept.length, `stage 2 ran ${r.boxes.stage2} of ${kept.length}`);
  assert.deepEqual([...r.probabilities.shape], [...p.normalised.shape]);
  assert.deepEqual([...r.probabilities.originA], [...p.normalised.originA]);

  const covered = coverage(p.normalised.shape, kept, BOX);
  const d = p.normalised.data;
  let checked = 0, worst = 0;
  for (let i = 0; i < d.length; i++) {
    const s1 = r.stage1;
    if (!covered[i]) {
      assert.equal(s1.chain.sugar[i], 0);
      assert.equal(r.probabilities.channels.sugar[i], 0);
      continue;
    }
    const want = [chainFn(0, d[i]), chainFn(1, d[i]), chainFn(2, d[i]), chainFn(3, d[i]), baseFn(0, d[i]), Math.max(baseFn(1, d[i]), baseFn(4, d[i])), baseFn(2, d[i]), baseFn(3, d[i])];
    const got = [s1.chain.sugar[i], s1.chain.phosphate[i], s1.chain.base[i], s1.chain.protein[i], s1.base.A[i], s1.base.UT[i], s1.base.C[i], s1.base.G[i]];
    for (let k = 0; k < 8; k++) worst = Math.max(worst, Math.abs(got[k] - want[k]));
    // stage 2 copies by name, so wherever a stage-2 box ran, the stage-2 map equals the stage-1 map of that name
    const ch = r.probabilities.channels;
    if (ch.sugar[i] > 0) {
      const pairs = [[ch.phosphate[i], got[1]], [ch.base[i], got[2]], [ch.protein[i], got[3]], [ch.A[i], got[4]], [ch.UT[i], got[5]], [ch.C[i], got[6]], [ch.G[i], got[7]]];
      for (const [a, b] of pairs) worst = Math.max(worst, Math.abs(a - b));
      checked++;
    }
  }
  assert.ok(worst < 1e-6, `max |merged - pointwise| = ${worst}`);
  assert.ok(checked > 10000, `${checked} voxels checked through stage 2`);

  const s1 = events.filter((e) => e.stage === 'detect/stage1'), s2 = events.filter((e) => e.stage === 'detect/stage2');
  assert.deepEqual(s1.at(-1), { stage: 'detect/stage1', done: kept.length, total: kept.length, message: undefined });
  assert.equal(s2.at(-1)?.done, kept.length);
  for (const list of [s1, s2]) for (let k = 1; k < list.length; k++) assert.ok(list[k].done >= list[k - 1].done);
});

test('shift runner: stage-1 average and stage-2 maximum equal a brute-force merge over the boxes holding each voxel', async (t) => {
  const sim = simulatedPrepared(t, 'rnatools_6TNA.pdb');
  if (!sim) return;
  const p = sim.prepared;
  const r = await detectWithRunner(p, new ShiftRunner(BOX), { boxSize: BOX, strideVoxels: STRIDE, batchSize: 5 });
  const v = p.normalised, [nz, ny, nx] = v.shape;
  const { kept } = planBoxes(v.data, v.shape, p.contourNormalised, BOX, STRIDE);
  const inBox = (s: BoxStart, x: number, y: number, z: number) => x >= s[0] && x < s[0] + BOX && y >= s[1] && y < s[1] + BOX && z >= s[2] && z < s[2] + BOX;
  const inGrid = (x: number, y: number, z: number) => x >= 0 && x < nx && y >= 0 && y < ny && z >= 0 && z < nz;
  /** Value a shifting box at `s` puts at voxel (x,y,z) from grid channel `src`: src at (x+dx, y+dy) if that is inside the box and the grid. */
  const shifted = (src: Float32Array, s: BoxStart, x: number, y: number, z: number, dx: number, dy: number) =>
    inBox(s, x + dx, y + dy, z) && inGrid(x + dx, y + dy, z) ? src[(z * ny + y + dy) * nx + x + dx] : 0;

  // Stage-2 boxes, chosen by the rule with brute-force counting.
  const s1in = [r.stage1.chain.sugar, r.stage1.chain.phosphate, r.stage1.chain.base, r.stage1.chain.protein, r.stage1.base.A, r.stage1.base.UT, r.stage1.base.C, r.stage1.base.G];
  const kept2 = kept.filter((s) => {
    let n = 0;
    for (let z = s[2]; z < Math.min(nz, s[2] + BOX); z++) for (let y = s[1]; y < Math.min(ny, s[1] + BOX); y++) for (let x = s[0]; x < Math.min(nx, s[0] + BOX); x++) {
      for (const c of s1in) if (c[(z * ny + y) * nx + x] > STAGE2_INPUT_THRESHOLD) n++;
    }
    return n / BOX ** 3 > 0.001;
  });
  assert.equal(r.boxes.stage2, kept2.length);

  let worst1 = 0, worst2 = 0, nonzero = 0;
  // Stage 2 maps input channel k to output k, so output 'protein' (index 6) comes from input C (index 6).
  const out2 = r.probabilities.channels;
  for (let z = 0; z < nz; z++) for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
    const i = (z * ny + y) * nx + x;
    let sum = 0, cnt = 0, mx = 0;
    for (const s of kept) {
      if (!inBox(s, x, y, z)) continue;
      sum += shifted(v.data, s, x, y, z, SHIFT1.dx, SHIFT1.dy);
      cnt++;
    }
    const want1 = cnt ? sum / cnt : 0; // chain sugar = scale 1/4
    worst1 = Math.max(worst1, Math.abs(r.stage1.chain.sugar[i] - want1 / 4));
    for (const s of kept2) if (inBox(s, x, y, z)) mx = Math.max(mx, shifted(s1in[6], s, x, y, z, SHIFT2.dx, SHIFT2.dy));
    worst2 = Math.max(worst2, Math.abs(out2.protein[i] - mx));
    if (mx > 0) nonzero++;
  }
  assert.ok(worst1 < 1e-6, `stage 1 average off by ${worst1}`);
  assert.ok(worst2 < 1e-6, `stage 2 maximum off by ${worst2}`);
  assert.ok(nonzero > 5000, `${nonzero} voxels with a stage-2 value`);
});

test('fake runner, map that fits one 64^3 box: merged maps equal the runner applied once to the padded map', async (t) => {
  const sim = simulatedPrepared(t, 'x3dna_bdl084.pdb');
  if (!sim) return;
  const v = sim.prepared.normalised, b = 64, b3 = b ** 3;
  const runner = new ShiftRunner(b);
  const r = await detectWithRunner(sim.prepared, runner);
  assert.deepEqual(r.boxes, { stage1: 1, stage2: 1, total: 1 });
  const box = new Float32Array(b3);
  padToBox(v.data, v.shape, b, box, 0);
  const o1 = await runner.runStage1(box, 1);
  const s1 = [0, 1, 2, 3].map((c) => cropFromBox(o1.chain, c * b3, v.shape, b));
  const base = [0, 1, 2, 3, 4].map((c) => cropFromBox(o1.base, c * b3, v.shape, b));
  const ut = base[1].map((u, i) => Math.max(u, base[4][i]));
  const in8 = [...s1, base[0], ut, base[2], base[3]];
  const got1 = [r.stage1.chain.sugar, r.stage1.chain.phosphate, r.stage1.chain.base, r.stage1.chain.protein, r.stage1.base.A, r.stage1.base.UT, r.stage1.base.C, r.stage1.base.G];
  got1.forEach((g, k) => assert.deepEqual(g, in8[k], `stage-1 channel ${k}`));
  const box8 = new Float32Array(8 * b3);
  in8.forEach((m, c) => padToBox(m, v.shape, b, box8, c * b3));
  const o2 = await runner.runStage2(box8, 1);
  PROBABILITY_CHANNELS.forEach((name, k) => assert.deepEqual(r.probabilities.channels[name], cropFromBox(o2, k * b3, v.shape, b), name));
  assert.ok(r.probabilities.channels.sugar.some((x) => x > 0.1));
});

test('abort between batches, and parameter checks', async (t) => {
  const sim = simulatedPrepared(t, 'rnatools_6TNA.pdb');
  if (!sim) return;
  const ac = new AbortController();
  const runner = new PointwiseRunner(BOX);
  const run = detectWithRunner(sim.prepared, runner, { boxSize: BOX, strideVoxels: STRIDE, batchSize: 2 }, {
    signal: ac.signal,
    onProgress: (e) => { if (e.done >= 4) ac.abort(); },
  });
  await assert.rejects(run, AbortError);
  assert.equal(runner.calls.boxes1, 4, 'stopped after the batch that crossed the abort');
  await assert.rejects(detectWithRunner(sim.prepared, runner, { boxSize: 64 }), /boxSize = 64 but model pointwise-fake takes 16/);
  await assert.rejects(detectWithRunner(sim.prepared, runner, { boxSize: BOX, batchSize: 0 }), InputError);
  await assert.rejects(detectWithRunner(sim.prepared, runner, { boxSize: BOX, strideVoxels: 17 }), /strideVoxels = 17/);
});

test('a map with nothing above the contour runs no box and says so', async () => {
  const shape = [20, 20, 20] as const;
  const normalised = { data: new Float32Array(8000), shape, voxelSizeA: [1, 1, 1] as const, originA: [5, 6, 7] as const };
  const runner = new PointwiseRunner(BOX);
  const r = await detectWithRunner({ normalised, contourNormalised: 0.2 }, runner, { boxSize: BOX, strideVoxels: STRIDE });
  assert.deepEqual(r.boxes, { stage1: 0, stage2: 0, total: 8 });
  assert.equal(runner.calls.stage1, 0);
  assert.match(r.warnings[0], /no box has more than 0.1 %/);
  assert.ok(r.probabilities.channels.sugar.every((x) => x === 0));
  assert.match(inspect(r), /^DetectionResult 20x20x20 by pointwise-fake: boxes 0 \+ 0 of 8, [0-9.]+ s \(inference 0.0 s\), 1 warning\(s\)$/);
});

function coverage(shape: readonly [number, number, number], kept: BoxStart[], box: number): Uint8Array {
  const [nz, ny, nx] = shape;
  const c = new Uint8Array(nz * ny * nx);
  for (const [x0, y0, z0] of kept) {
    for (let z = z0; z < Math.min(nz, z0 + box); z++) for (let y = y0; y < Math.min(ny, y0 + box); y++) {
      c.fill(1, (z * ny + y) * nx + x0, (z * ny + y) * nx + Math.min(nx, x0 + box));
    }
  }
  return c;
}
