/**
 * Kernel-side state of the NodePlot, StructureView, ThresholdTuner and DataTable widgets (no kernel:
 * a widget keeps state and observers outside one), the tables/CSV module, and the pure parts of
 * their views (slice overlay, counts, hover text, sorting, CSV).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeSet } from '../../src/cluster/node-set.js';
import { clusterNodes } from '../../src/cluster/cluster-nodes.js';
import { ProbabilityMaps, PROBABILITY_CHANNELS } from '../../src/grid/probability-maps.js';
import { Volume } from '../../src/grid/volume.js';
import { parseMrc } from '../../src/io/mrc.js';
import { parsePdb } from '../../src/io/pdb.js';
import type { Structure } from '../../src/structure/model.js';
import type { BackbonePath, TracedNode } from '../../src/trace/types.js';
import { staticBundle } from '../../src/notebook/show.js';
import { nodeColumns, pathColumns, residueColumns, metricColumns, toCsv, writeCsv, nodeTable, tableOf, fragmentColumns } from '../../src/notebook/tables.js';
import { NodePlot, StructureView, ThresholdTuner, DataTable, viewLibrary, structureText, cropBox, pathPolyline } from '../../kernel-ext/src/index.js';
import { renderTunerSlice, passingCounts } from '../../widgets/src/threshold-tuner.js';
import { hoverTexts } from '../../widgets/src/node-plot.js';
import { sortedRows, csvText } from '../../widgets/src/data-table.js';
import type { SequenceAssignment } from '../../src/sequence/types.js';

function nodes(points: [number, number, number][], density = 0.5): NodeSet {
  const ns = NodeSet.create(points.length);
  points.forEach((p, i) => { ns.x[i] = p[0]; ns.y[i] = p[1]; ns.z[i] = p[2]; ns.density[i] = density + i * 0.1; ns.seedCount[i] = 10 + i; });
  return ns;
}

function tracedNode(i: number, withP: boolean): TracedNode {
  return { sugarIndex: i, sugarA: [i * 6, 0, 0], phosphate5A: withP ? [i * 6 - 3, 1, 0] : null, phosphate3A: withP ? [i * 6 + 3, 1, 0] : null, baseA: null, baseEvidence: [0.1, 0.7, 0.1, 0.1] };
}

function path(n: number): BackbonePath {
  return { nodes: Array.from({ length: n }, (_, i) => tracedNode(i, true)), direction: -1, directionConfidence: 0.4, cost: 12.5 };
}

/** Grid 24^3 at 1 A, origin (10, 20, 30), Gaussian blobs: sugar at (6,6,6) and (16,16,16) voxels, phosphate at (11,11,11). */
function blobs(): { density: Volume; prob: ProbabilityMaps } {
  const n = 24;
  const frame = { shape: [n, n, n] as [number, number, number], voxelSizeA: [1, 1, 1] as [number, number, number], originA: [10, 20, 30] as [number, number, number] };
  const density = Volume.create(frame);
  const ch: Partial<Record<(typeof PROBABILITY_CHANNELS)[number], Float32Array>> = {};
  for (const c of PROBABILITY_CHANNELS) ch[c] = new Float32Array(n ** 3);
  const put = (c: 'sugar' | 'phosphate' | 'base', cx: number, s: number) => {
    for (let z = 0; z < n; z++) for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) {
      const g = Math.exp(-((x - cx) ** 2 + (y - cx) ** 2 + (z - cx) ** 2) / (2 * s * s));
      const o = (z * n + y) * n + x;
      ch[c]![o] = Math.max(ch[c]![o], 0.9 * g);
      density.data[o] += g;
    }
  };
  put('sugar', 6, 1.5); put('sugar', 16, 1.5); put('phosphate', 11, 1.5); put('base', 11, 2);
  return { density, prob: ProbabilityMaps.create(frame, ch) };
}

describe('NodePlot kernel model', () => {
  it('sends nodes by class and paths as Float32Array buffers, hover probabilities, and shares one plotly.js model', () => {
    const { prob } = blobs();
    const sugar = nodes([[16, 26, 36], [26, 36, 46]]);
    const plot = new NodePlot({ nodes: { sugar, phosphate: nodes([[21, 31, 41]]) }, paths: [path(3)], probabilities: prob });
    const classes = plot.get<{ name: string; count: number; x: Float32Array; probabilities: Float32Array }[]>('classes');
    assert.deepEqual(classes.map((c) => [c.name, c.count]), [['phosphate', 1], ['sugar', 2]]);
    // Sugar node 0 sits on the first sugar blob's centre (voxel 6,6,6): p_sugar 0.9 there.
    const k = PROBABILITY_CHANNELS.length;
    assert.ok(Math.abs(classes[1].probabilities[PROBABILITY_CHANNELS.indexOf('sugar')] - 0.9) < 1e-6);
    assert.equal(classes[1].probabilities.length, 2 * k);
    const full = plot.fullState();
    assert.ok(full.bufferPaths.some((p) => p.join('/') === 'classes/1/x'));
    assert.ok(full.bufferPaths.some((p) => p.join('/') === 'paths/0/z'));
    const lib = viewLibrary('plotly');
    assert.equal(plot.get('plotly_lib'), lib.modelId);
    assert.ok(String(lib.get('source')).length > 1_000_000, 'plotly.js bundled, not fetched');
    assert.match(String(lib.get('source')), /scatter3d/);
    const again = new NodePlot({ paths: [path(2)] });
    assert.equal(again.get('plotly_lib'), lib.modelId, 'one library model per kernel');
    assert.ok(!full.bufferPaths.some((p) => p[0] === '_esm'));
  });
  it('draws a path through P(5\'), sugars and 3\' phosphates, and validates the sequence letters', () => {
    const line = pathPolyline(path(3));
    assert.deepEqual(Array.from(line.x), [-3, 0, 3, 6, 9, 12, 15]);
    assert.deepEqual(Array.from(line.sugarIndex), [1, 3, 5]);
    assert.throws(() => new NodePlot({ paths: [path(3)], pathSequences: ['AC'] }), /2 letters for 3 nodes/);
    assert.throws(() => new NodePlot({}), /give nodes/);
  });
  it('keeps a valid selection and notifies observers', () => {
    const plot = new NodePlot({ nodes: { sugar: nodes([[0, 0, 0]]) } });
    const seen: unknown[] = [];
    plot.observe('selected', (c) => seen.push(c.new));
    plot.set('selected', [{ class: 'sugar', index: 0 }, { class: 'nope', index: 1 }, { class: 'A', index: 1.5 }]);
    assert.deepEqual(plot.selected, [{ class: 'sugar', index: 0 }]);
    assert.equal(seen.length, 1);
  });
  it('hover text names the node and its class probabilities', () => {
    const t = hoverTexts('sugar', 1, new Float32Array([0.42]), new Float32Array([0.9, 0.1]), ['sugar', 'phosphate']);
    assert.equal(t[0], '<b>sugar 0</b><br>density 0.420<br>sugar 0.90 phosphate 0.10');
  });
});

const PDB = [
  "ATOM      1  P     G A   1      10.000  20.000  30.000  1.00 25.00           P",
  "ATOM      2  C4'   G A   1      11.000  21.000  31.000  1.00 25.00           C",
  "ATOM      3  P     C A   2      14.000  20.000  30.000  1.00 60.00           P",
  "ATOM      4  C4'   C A   2      15.000  21.000  31.000  1.00 60.00           C",
  'END',
].join('\n');

function bigStructure(atoms: number): Structure {
  const perRes = 20;
  const residues = Array.from({ length: Math.ceil(atoms / perRes) }, (_, r) => ({
    name: 'A', originalName: 'A', seqNum: (r % 9999) + 1, insCode: '', kind: 'rna' as const,
    atoms: Array.from({ length: perRes }, (_, a) => ({ name: a === 0 ? 'P' : `C${a}`, element: a === 0 ? 'P' : 'C', x: r * 0.1, y: a, z: 0, occupancy: 1, bFactor: 30, hetero: false })),
  }));
  const chains = [];
  for (let i = 0; i < residues.length; i += 9999) chains.push({ id: String.fromCharCode(65 + chains.length), residues: residues.slice(i, i + 9999) });
  return { chains } as Structure;
}

describe('StructureView kernel model', () => {
  it('sends the model as PDB text, the map as MRC bytes, and clamps the contour', () => {
    const s = parsePdb(PDB);
    const { density } = blobs();
    const v = new StructureView({ model: s, map: density, reference: s });
    assert.equal(v.get('model_ext'), 'pdb');
    assert.match(new TextDecoder().decode(v.get<Uint8Array>('model')), /C4'/);
    const map = parseMrc(v.get<Uint8Array>('map'));
    assert.deepEqual(map.volume.shape, [24, 24, 24]);
    assert.deepEqual(map.volume.originA, [10, 20, 30]);
    assert.equal(v.mapStride, 1);
    v.set('contour', 1e9);
    assert.equal(v.get('contour'), v.get('contour_max'));
    assert.equal(viewLibrary('ngl').modelId, v.get('ngl_lib'));
    assert.ok(String(viewLibrary('ngl').get('source')).length > 500_000, 'NGL bundled');
    const small = new StructureView({ map: density }, { maxMapVoxels: 2000 });
    assert.equal(small.mapStride, 2);
    assert.deepEqual(parseMrc(small.get<Uint8Array>('map')).volume.shape, [12, 12, 12]);
  });
  it('loads large models: PDB up to 99,999 atoms, mmCIF above', () => {
    const big = structureText(bigStructure(60_000));
    assert.equal(big.ext, 'pdb');
    assert.equal(big.atoms, 60_000);
    const huge = structureText(bigStructure(120_000));
    assert.equal(huge.ext, 'cif');
    assert.equal(huge.atoms, 120_000);
    assert.ok(new TextDecoder().decode(huge.data).includes('_atom_site.Cartn_x'), 'mmCIF atom_site loop');
  });
});

describe('ThresholdTuner kernel model', () => {
  it('sends the density and quantised probabilities, returns params for the stages, counts like the cluster stage', async () => {
    const { density, prob } = blobs();
    const tuner = new ThresholdTuner(density, prob, { contour: 0.05, subBoxA: 0, debounceMs: 10 });
    assert.deepEqual(tuner.get('shape'), [24, 24, 24]);
    const chans = tuner.get<Record<string, Uint8Array>>('channels');
    assert.equal(chans.sugar[(6 * 24 + 6) * 24 + 6], Math.trunc(0.9 * 255));
    assert.deepEqual(tuner.params, { prepare: { contour: 0.05 }, cluster: { sugarThreshold: 0.1, phosphateThreshold: 0.1, baseThreshold: 0.25, bandwidthA: 3 } });
    let brute = 0;
    for (let i = 0; i < density.data.length; i++) if (density.data[i] >= 0.05 && prob.channels.sugar[i] > 0.1) brute++;
    const c = await tuner.refresh();
    assert.equal(c.sugarVoxels, brute);
    assert.equal(c.sugarNodes, 2);
    assert.equal(c.phosphateNodes, 1);
    const masked = Volume.create(density, density.data.map((d) => (d < 0.05 ? 0 : d)));
    const direct = await clusterNodes(prob, masked, tuner.params.cluster);
    assert.equal(c.sugarNodes, direct.nodes.sugar.count, 'whole-map sub-box = the cluster stage');
    assert.equal(tuner.get('busy'), false);
    assert.match(tuner.get<string>('status'), /2 sugar, 1 phosphate/);
    // Sliders: clamped, then a debounced recount.
    tuner.set('sugar_threshold', 1.7);
    assert.equal(tuner.params.cluster.sugarThreshold, 1);
    await new Promise<void>((resolve) => { const off = tuner.observe('counts', () => { off(); resolve(); }); });
    assert.equal(tuner.counts!.sugarVoxels, 0);
    assert.equal(tuner.counts!.sugarNodes, 0);
    tuner.close();
  });
  it('crops a sub-box keeping Angstrom positions', () => {
    const { density } = blobs();
    const b = cropBox(density, [2, 3, 4], [5, 6, 7]);
    assert.deepEqual(b.shape, [7, 6, 5]);
    assert.deepEqual(b.originA, [12, 23, 34]);
    assert.equal(b.data[0], density.data[(4 * 24 + 3) * 24 + 2]);
    const { prob } = blobs();
    const t = new ThresholdTuner(density, prob, { subBoxA: 10 });
    assert.deepEqual(t.subBoxSize, [10, 10, 10]);
    // Sugar mass centre is the grid centre (11, 11, 11): box starts at 6.
    assert.deepEqual(t.subBoxStart, [6, 6, 6]);
    assert.throws(() => new ThresholdTuner(Volume.create({ shape: [2, 2, 2], voxelSizeA: [1, 1, 1], originA: [0, 0, 0] }), prob), /pass the PreparedMap/);
  });
  it('view: overlays passing voxels inside the contour and counts them', () => {
    const density = new Float32Array([0, 1, 2, 3]);
    const prob = new Uint8Array([255, 255, 10, 200]);
    const img = renderTunerSlice(density, prob, [1, 2, 2], 0, 0, 3, 1, 0.5, [0, 255, 0]);
    assert.equal(img.passing, 2, 'voxels 1 and 3: inside contour and p > 0.5');
    const c = passingCounts(density, { sugar: prob, phosphate: prob, base: prob }, 1, { sugar: 0.5, phosphate: 0.01, base: 0.9 });
    assert.deepEqual(c, { density: 3, sugar: 2, phosphate: 3, base: 1 });
  });
});

describe('tables, CSV and DataTable', () => {
  it('builds node, path, residue, fragment and metric tables', async () => {
    const { prob } = blobs();
    const cols = nodeColumns({ sugar: nodes([[16, 26, 36]]), phosphate: nodes([[1, 2, 3], [4, 5, 6]]) }, prob);
    assert.deepEqual(cols.class, ['phosphate', 'phosphate', 'sugar']);
    assert.equal(cols.p_sugar[2], 0.9);
    const p = pathColumns([path(4)]);
    assert.deepEqual([p.chain[0], p.nodes[0], p.phosphates[0], p.lengthA[0], p.direction[0], p.argmaxBases[0]], ['A', 4, 5, 18, 'reversed', 'UUUU']);
    const r = residueColumns(parsePdb(PDB));
    assert.deepEqual(r.confidence, [0.938, 0.5]);
    const asg = { mode: 'strict', fragments: [{ pathIndex: 0, nodeStart: 1, nodeCount: 3, recordIndex: 0, orientation: -1, mapping: Int32Array.from([0, -1, 1]), score: 150, interval: [0, 1] }], records: [{ recordIndex: 0, chainId: 'X', moleculeType: 'rna', sequence: 'GGACU', codes: new Uint8Array() }] } as unknown as SequenceAssignment;
    const f = fragmentColumns(asg);
    // Reversed orientation: oriented residues 0..1 are record residues 5..4 (U, C).
    assert.deepEqual([f.from[0], f.to[0], f.letters[0], f.assigned[0]], [4, 5, 'U-C', 2]);
    const m = metricColumns({ coverage: 0.5, rmsdA: 2.25, counts: { referenceNucleotides: 10 }, params: {} } as never);
    assert.deepEqual(m, { metric: ['coverage', 'rmsdA', 'counts.referenceNucleotides'], value: [0.5, 2.25, 10] });
    const df = await nodeTable({ sugar: nodes([[16, 26, 36]]) });
    assert.deepEqual(df.shape, [1, 7]);
    assert.deepEqual(tableOf(df).rows[0].slice(0, 3), ['sugar', 0, 16]);
    const b = staticBundle(df);
    assert.match(b['text/html'], /<th>density<\/th>/);
    assert.match(b['text/plain'], /DataFrame 1 rows x 7 columns/);
  });
  it('writes RFC 4180 CSV atomically', () => {
    const t = { columns: ['a', 'b'], rows: [[1, 'x,y'], [2.5, 'say "hi"'], [null, 'z']] };
    assert.equal(toCsv(t), 'a,b\n1,"x,y"\n2.5,"say ""hi"""\n,z\n');
    assert.equal(csvText(t.columns, t.rows), toCsv(t), 'the view exports the same CSV');
    const dir = mkdtempSync(join(tmpdir(), 'csv-'));
    try {
      writeCsv(t, join(dir, 'out.csv'));
      assert.equal(readFileSync(join(dir, 'out.csv'), 'utf8'), toCsv(t));
      assert.deepEqual(readdirSync(dir), ['out.csv']);
      assert.throws(() => writeCsv(t, join(dir, 'out.txt')), /should end in \.csv/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('DataTable holds columns and rows; the view sorts numbers numerically', async () => {
    const df = await nodeTable({ sugar: nodes([[3, 0, 0], [1, 0, 0], [2, 0, 0]]) });
    const w = new DataTable(df, { title: 'sugar nodes', maxRows: 2 });
    assert.deepEqual(w.get('columns'), ['class', 'index', 'x', 'y', 'z', 'density', 'seeds']);
    assert.equal(w.get<unknown[]>('rows').length, 2);
    assert.equal(w.get('total_rows'), 3);
    assert.deepEqual(sortedRows([[10], [9], [null], [100]], 0, true).map((r) => r[0]), [9, 10, 100, null]);
    assert.deepEqual(sortedRows([['a2'], ['a10'], ['a1']], 0, false).map((r) => r[0]), ['a10', 'a2', 'a1']);
  });
});
