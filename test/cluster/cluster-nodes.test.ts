import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterNodes, editProbabilities, defaultClusterParams, NodeSet, GaussianKernel } from '../../src/cluster/index.js';
import { kernelFields, sampleFields } from '../../src/cluster/kernel-grid.js';
import { ProbabilityMaps } from '../../src/grid/probability-maps.js';
import { Volume, type GridFrame } from '../../src/grid/volume.js';
import { sharedDataOrSkip, sharedPath } from '../helpers/shared-data.js';
import { readStructure } from '../../src/io/structure-file.js';
import { oracleProbabilities, gridForStructure } from '../../src/simulate/index.js';

/** Gaussian blob of peak `amp` and sigma `sigmaA` centred at a Cartesian point (A). */
function addBlob(pm: ProbabilityMaps, ch: 'sugar' | 'phosphate' | 'base' | 'A', c: [number, number, number], sigmaA: number, amp = 1): void {
  const [nz, ny, nx] = pm.shape;
  const arr = pm.channels[ch];
  for (let z = 0; z < nz; z++) for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
    const p = Volume.indexToAngstrom(pm, x, y, z);
    const d2 = (p[0] - c[0]) ** 2 + (p[1] - c[1]) ** 2 + (p[2] - c[2]) ** 2;
    const o = Volume.offset(pm, x, y, z);
    arr[o] = Math.max(arr[o], amp * Math.exp(-d2 / (2 * sigmaA * sigmaA)));
  }
}

test('mean shift finds blob centres in Cartesian A on an anisotropic grid with an origin', async () => {
  const frame: GridFrame = { shape: [20, 24, 28], voxelSizeA: [0.9, 1.1, 1.3], originA: [10, -20, 5] };
  const pm = ProbabilityMaps.create(frame);
  const centres: [number, number, number][] = [[17.3, -9.2, 15.1], [27.0, -6.5, 19.6]];
  addBlob(pm, 'sugar', centres[0], 1.2);
  addBlob(pm, 'sugar', centres[1], 1.2, 0.8);
  const before = pm.channels.sugar.slice();
  const r = await clusterNodes(pm, null);
  assert.deepEqual(pm.channels.sugar, before, "the caller's maps are not modified");
  const s = r.nodes.sugar;
  assert.equal(s.count, 2);
  for (let k = 0; k < 2; k++) {
    const d = Math.hypot(s.x[k] - centres[k][0], s.y[k] - centres[k][1], s.z[k] - centres[k][2]);
    assert.ok(d < 0.15, `node ${k} is ${d.toFixed(3)} A from its blob centre`);
  }
  // Density normalised to d / max + 0.01; the stronger blob has the top density, the other 0.8 of it.
  assert.ok(Math.abs(s.density[0] - 1.01) < 1e-6);
  assert.ok(Math.abs(s.density[1] - (0.8 + 0.01)) < 0.01, `weaker blob density ${s.density[1]}`);
  const edited = r.editedProbabilities.channels.sugar;
  let seeds = 0;
  for (const v of edited) if (v > 0) seeds++;
  assert.equal(s.seedCount[0] + s.seedCount[1], seeds, 'every seed of a blob is owned by its node');
  assert.equal(r.seeds.sugar.voxel.length, seeds);
  assert.equal(r.nodes.phosphate.count, 0);
});

test('points closer than the merge distance merge into the denser one; weak points are dropped', async () => {
  const frame: GridFrame = { shape: [16, 16, 24], voxelSizeA: [1, 1, 1], originA: [0, 0, 0] };
  const pm = ProbabilityMaps.create(frame);
  const[ a, b, c] = [[6, 8, 8], [12, 8, 8], [19, 8, 8]] as [number, number, number][];
  addBlob(pm, 'phosphate', a, 0.7, 1);
  addBlob(pm, 'phosphate', b, 0.7, 0.9);
  addBlob(pm, 'phosphate', c, 0.7, 0.12); // weak: density fraction < 0.05 after the 0.1 threshold
  const far = await clusterNodes(pm, null, { mergeDistanceA: 2 });
  assert.equal(far.nodes.phosphate.count, 2, 'two strong blobs 6 A apart stay separate, the weak one is dropped');
  const near = await clusterNodes(pm, null, { mergeDistanceA: 7 });
  assert.equal(near.nodes.phosphate.count, 1);
  assert.ok(Math.abs(near.nodes.phosphate.x[0] - a[0]) < 0.1, 'the denser point absorbs the other');
});

test('section 8 edits: thresholds, base-type argmax rule, density mask, on a copy', () => {
  const frame: GridFrame = { shape: [1, 1, 6], voxelSizeA: [1, 1, 1], originA: [0, 0, 0] };
  const f = (...v: number[]) => Float32Array.from(v);
  const pm = ProbabilityMaps.create(frame, {
    sugar: f(0.05, 0.1, 0.11, 0.9, NaN, 0.5),
    phosphate: f(0.2, 0.09, 0.5, 0.5, 0.5, 0.5),
    base: f(0.3, 0.3, 0.2, 0.9, 0.25, 0.3),
    A: f(0.6, 0.3, 0.9, 0.55, 0.3, 0.005),
    UT: f(0.7, 0.2, 0.1, 0.6, 0.1, 0.004),
    C: f(0.1, 0.4, 0, 0, 0, 0),
    G: f(0, 0, 0, 0, 0, 0),
  });
  const density = Volume.create(frame, f(1, 1, 1, 1, 1, 0));
  const e = editProbabilities(pm, density, defaultClusterParams).channels;
  const round = (a: Float32Array) => Array.from(a, (v) => +v.toFixed(3));
  assert.deepEqual(round(e.sugar), [0, 0, 0.11, 0.9, 0, 0]);
  assert.deepEqual(round(e.phosphate), [0.2, 0, 0.5, 0.5, 0.5, 0]);
  assert.deepEqual(round(e.base), [0.3, 0.3, 0, 0.9, 0, 0]);
  // voxel 0: UT is argmax, A (0.6 >= 0.5) kept; voxel 1: C argmax, A/UT < 0.5 removed;
  // voxel 2: no base (0.2 < 0.25); voxel 3: both >= 0.5 kept; voxel 4: base exactly 0.25 is "base", A argmax kept;
  // voxel 5: masked by density.
  assert.deepEqual(round(e.A), [0.6, 0, 0, 0.55, 0.3, 0]);
  assert.deepEqual(round(e.UT), [0.7, 0, 0, 0.6, 0, 0]);
  assert.deepEqual(round(e.C), [0, 0.4, 0, 0, 0, 0]);
  assert.equal(pm.channels.sugar[0], Math.fround(0.05), 'input untouched');
});

test('kernel density matches a direct sum over the CryoREAD window', () => {
  const frame: GridFrame = { shape: [15, 15, 15], voxelSizeA: [1, 1, 1], originA: [0, 0, 0] };
  const data = new Float32Array(15 ** 3);
  for (let i = 0; i < data.length; i++) data[i] = ((i * 7919) % 101) / 100;
  const k = new GaussianKernel(frame, 3);
  const p = [7.3, 6.6, 8.1];
  let direct = 0;
  for (let z = Math.floor(p[2] - 6); z < Math.floor(p[2] + 7); z++) for (let y = Math.floor(p[1] - 6); y < Math.floor(p[1] + 7); y++) for (let x = Math.floor(p[0] - 6); x < Math.floor(p[0] + 7); x++) {
    if (x < 0 || y < 0 || z < 0 || x >= 15 || y >= 15 || z >= 15) continue;
    const d2 = (x - p[0]) ** 2 + (y - p[1]) ** 2 + (z - p[2]) ** 2;
    direct += Math.exp(-d2 / 1.5) * data[Volume.offset(frame, x, y, z)];
  }
  const got = k.density(data, p[0], p[1], p[2]);
  assert.ok(Math.abs(got - direct) / direct < 1e-6, `${got} vs ${direct}`);
});

test('oracle maps of a DNA duplex (1BNA): one sugar and one phosphate node per nucleotide, every C4\' within 2.5 A of a sugar node', async (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const st = readStructure(sharedPath(dir, 'structures', 'biotite_1bna.cif'));
  const pm = oracleProbabilities(st, gridForStructure(st, { voxelSizeA: 1, padA: 6 }));
  const r = await clusterNodes(pm, null);
  const c4 = st.chains.flatMap((c) => c.residues.filter((res) => res.kind === 'dna').map((res) => res.atoms.find((a) => a.name === "C4'")!));
  assert.equal(c4.length, 24);
  // The oracle's sugar class is every primed atom: without the saddle-node filter mean shift leaves
  // extra nodes between O3' and the next O5' (on 6V5B: 141 sugar nodes for 78 nt).
  assert.equal(r.nodes.sugar.count, 24);
  assert.equal(r.nodes.phosphate.count, 22, '22 P atoms (the 5\' ends have none)');
  assert.ok(Math.abs(r.nodes.base.count - 24) <= 2, `base nodes ${r.nodes.base.count}`);
  const s = r.nodes.sugar;
  let within = 0;
  for (const a of c4) {
    let best = Infinity;
    for (let i = 0; i < s.count; i++) best = Math.min(best, Math.hypot(s.x[i] - a.x, s.y[i] - a.y, s.z[i] - a.z));
    if (best < 2.5) within++;
  }
  assert.equal(within, 24);
  const df = await NodeSet.toDataFrame(s);
  assert.deepEqual(df.columns, ['x', 'y', 'z', 'density', 'seedCount']);
  assert.equal(df.shape[0], s.count);
});

test('grid kernel fields equal the direct window sums at voxel centres (anisotropic voxels)', () => {
  const frame: GridFrame = { shape: [14, 15, 16], voxelSizeA: [0.9, 1.1, 1.25], originA: [0, 0, 0] };
  const data = new Float32Array(14 * 15 * 16);
  for (let i = 0; i < data.length; i++) data[i] = i % 7 === 0 ? ((i * 7919) % 101) / 100 : 0;
  const k = new GaussianKernel(frame, 3);
  const f = kernelFields(data, frame, k.coef, k.halfWindow)!;
  const direct = new Float64Array(4), grid = new Float64Array(4);
  for (const [x, y, z] of [[3, 4, 5], [8, 7, 6], [0, 14, 13], [15, 0, 0]]) {
    k.moments(data, x, y, z, direct);
    sampleFields(f, x, y, z, grid);
    assert.ok(Math.abs(grid[0] - direct[0]) < 1e-4 * Math.max(1, direct[0]), `S at ${x},${y},${z}`);
    // direct moments are sums of w v x; the fields hold sums of w v (x - q)
    assert.ok(Math.abs(grid[1] + x * direct[0] - direct[1]) < 1e-3 * Math.max(1, direct[1]));
    assert.ok(Math.abs(grid[2] + y * direct[0] - direct[2]) < 1e-3 * Math.max(1, direct[2]));
    assert.ok(Math.abs(grid[3] + z * direct[0] - direct[3]) < 1e-3 * Math.max(1, direct[3]));
  }
});

test('clusterNodes reports progress and honours an AbortSignal', async () => {
  const frame: GridFrame = { shape: [24, 24, 24], voxelSizeA: [1, 1, 1], originA: [0, 0, 0] };
  const pm = ProbabilityMaps.create(frame);
  addBlob(pm, 'sugar', [12, 12, 12], 2);
  const events: string[] = [];
  await clusterNodes(pm, null, {}, { onProgress: (e) => events.push(e.stage) });
  assert.ok(events.includes('cluster') && events.includes('cluster/sugar'), events.join(','));
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(clusterNodes(pm, null, {}, { signal: ac.signal }), (e: Error) => e.name === 'AbortError');
});
