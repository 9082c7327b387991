import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { DEFAULT_FRAME_SEARCH, frameFit, nucleotideFrameModel } from '../../src/trace/frame-fit.js';
import { featureCount, predictBaseType, readBaseCaller, searchedTemplateReading, templateFrameFeatures, templateReading, DEFAULT_TEMPLATE_GRID, type BaseCaller } from '../../src/trace/base-caller.js';
import { coarseFromStructure } from '../../src/build/coarse.js';
import { baseTypeIndex } from '../../src/simulate/index.js';
import { Volume, type Vec3 } from '../../src/grid/volume.js';
import { Rng } from '../../src/util/random.js';
import { sharedDataOrSkip } from '../helpers/shared-data.js';
import { simulatedTrna } from '../helpers/simulated-trna.js';

const V4 = fileURLToPath(new URL('../../models/base-caller-v4.json', import.meta.url));

test('nucleotide frame model: one value per grid point, standardised, cached, finite', () => {
  const m = nucleotideFrameModel(DEFAULT_TEMPLATE_GRID, 1.3);
  assert.equal(m.length, featureCount(DEFAULT_TEMPLATE_GRID));
  const mean = m.reduce((a, b) => a + b, 0) / m.length;
  const sd = Math.sqrt(m.reduce((a, b) => a + (b - mean) ** 2, 0) / m.length);
  assert.ok(Math.abs(mean) < 1e-5 && Math.abs(sd - 1) < 1e-4, `mean ${mean} sd ${sd}`);
  assert.ok(m.every(Number.isFinite));
  assert.equal(nucleotideFrameModel({ ...DEFAULT_TEMPLATE_GRID }, 1.3), m, 'same grid and width: the cached model');
  assert.notEqual(nucleotideFrameModel(DEFAULT_TEMPLATE_GRID, 1.8), m);
  assert.ok(Math.abs(frameFit(m, m) - 1) < 1e-5, 'the model fits itself perfectly');
});

test('frame fit and frame search on a held-out structure (1EHZ tRNA, 3.7 A simulated map): true frames fit better than displaced ones; searched calls from displaced points beat blind averaging', async (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const caller = readBaseCaller(V4);
  const { structure, prepared } = await simulatedTrna(dir, 3.7, 91);
  const density = prepared.normalised;
  const coarse = coarseFromStructure(structure, { sugarAnchor: 'sugar-atoms', phosphateAnchor: 'phosphate-group' }).flatMap((c) => c.residues);
  const model = nucleotideFrameModel(caller.grid, DEFAULT_FRAME_SEARCH.modelSigmaA);
  const rng = new Rng(5);
  const jit = (v: Vec3, sd: number): Vec3 => [v[0] + sd * rng.normal(), v[1] + sd * rng.normal(), v[2] + sd * rng.normal()];
  let n = 0, trueBetter = 0, searched = 0, blind = 0;
  const arg = (e: readonly number[]) => e.indexOf(Math.max(...e));
  coarse.forEach((r, i) => {
    const p5 = r.phosphateA, p3 = coarse[i + 1]?.phosphateA, type = baseTypeIndex(r.letter);
    if (!p5 || !p3 || type < 0) return;
    const exact = templateFrameFeatures(density, p5, r.sugarA, p3, caller.grid);
    if (!exact) return;
    // Points displaced as the trace displaces them on maps we did not make (~1.4 A median).
    const fits: number[] = [];
    for (let k = 0; k < 4; k++) {
      const f = templateFrameFeatures(density, jit(p5, 1), jit(r.sugarA, 1), jit(p3, 1), caller.grid);
      if (f) fits.push(frameFit(f, model));
    }
    n++;
    if (frameFit(exact, model) > fits.reduce((a, b) => a + b, 0) / fits.length) trueBetter++;
    for (let k = 0; k < 3; k++) {
      const a = jit(p5, 0.9), s = jit(r.sugarA, 0.9), b = jit(p3, 0.9);
      if (arg(searchedTemplateReading(caller, density, a, s, b, new Rng(k), DEFAULT_FRAME_SEARCH) ?? [0, 0, 0, 0]) === type) searched++;
      if (arg(templateReading(caller, density, a, s, b, new Rng(k)) ?? [0, 0, 0, 0]) === type) blind++;
    }
  });
  t.diagnostic(`${n} nucleotides: true frame fits better than displaced ones for ${(trueBetter / n).toFixed(3)}; calls from displaced points: searched ${(searched / (3 * n)).toFixed(3)}, blind averaging ${(blind / (3 * n)).toFixed(3)}`);
  assert.ok(n >= 70);
  assert.ok(trueBetter / n >= 0.8, `true frames fit better for ${(trueBetter / n).toFixed(3)}`);
  assert.ok(searched >= blind, `searched ${searched} vs blind ${blind}`);
});

test('searched reading: deterministic for a seed, normalised; with no jitter every frame is the traced one and the call is the single reading', () => {
  const n = featureCount(DEFAULT_TEMPLATE_GRID);
  const w = new Float32Array(4 * n);
  for (let k = 0; k < 4; k++) for (let i = 0; i < n; i += 5 + k) w[k * n + i] = 0.3;
  const caller: BaseCaller = { name: 't', frame: 'template', testTimeSamples: 8, testTimeJitterA: 0.7, grid: { ...DEFAULT_TEMPLATE_GRID }, neighbourMinA: 4, layers: [{ inSize: n, outSize: 4, weights: w, bias: new Float32Array(4) }], extra: {} };
  // A lumpy map: a few Gaussian blobs.
  const size = 40;
  const v = Volume.create({ shape: [size, size, size], voxelSizeA: [1, 1, 1], originA: [-20, -20, -20] });
  const blobs: Vec3[] = [[20, 20, 20], [23, 18, 21], [17, 24, 19], [21, 22, 25]];
  for (let z = 0; z < size; z++) for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) for (const b of blobs) v.data[(z * size + y) * size + x] += Math.exp(-((x - b[0]) ** 2 + (y - b[1]) ** 2 + (z - b[2]) ** 2) / 6);
  const p5: Vec3 = [-2.5, -4.5, 1], s: Vec3 = [0, 0, 0], p3: Vec3 = [3.5, -3, -1.5];
  const a = searchedTemplateReading(caller, v, p5, s, p3, new Rng(3), DEFAULT_FRAME_SEARCH)!;
  const b = searchedTemplateReading(caller, v, p5, s, p3, new Rng(3), DEFAULT_FRAME_SEARCH)!;
  assert.deepEqual(a, b);
  assert.ok(Math.abs(a.reduce((x, y) => x + y) - 1) < 1e-9);
  const still = searchedTemplateReading(caller, v, p5, s, p3, new Rng(3), { ...DEFAULT_FRAME_SEARCH, jitterA: 0 })!;
  const one = predictBaseType(caller, templateFrameFeatures(v, p5, s, p3, caller.grid)!);
  still.forEach((x, i) => assert.ok(Math.abs(x - one[i]) < 1e-5, `${still} vs ${one}`));
});
