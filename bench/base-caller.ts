/**
 * bench/base-caller: base-type accuracy on the pipeline's own traced nodes, detection evidence (as the
 * trace reads it) against the base caller, on maps of the held-out structures (training/split.ts
 * VALIDATION) simulated as bench/heldout-pipeline does. A node counts when its sugar point is within
 * 3 A of a nucleotide's sugar-atom centroid; its truth is that nucleotide's parent base. Also prints
 * how far the trace's base node lies from the nucleotide's base-atom centroid (median, A).
 *
 *   npx tsx bench/base-caller.ts [--model cryoread-ts-v1] [--base-caller base-caller-v1] [--res 3.5,5]
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readStructure } from '../src/io/structure-file.js';
import { simulateMap, baseTypeIndex } from '../src/simulate/index.js';
import { coarseFromStructure } from '../src/build/coarse.js';
import { runPipeline } from '../src/pipeline/run-pipeline.js';
import { baseCallerPath } from '../src/pipeline/base-caller-path.js';
import { callBases, readBaseCaller } from '../src/trace/base-caller.js';
import { NeighbourGrid } from '../src/grid/neighbour-grid.js';
import { VALIDATION } from '../training/split.js';

const { values } = parseArgs({ options: { model: { type: 'string', default: 'cryoread-ts-v1' }, 'base-caller': { type: 'string', default: 'base-caller-v1' }, res: { type: 'string', default: '3.5,5' } } });
const shared = [process.env.CRYOREAD_SHARED_DATA, resolve(process.cwd(), '..', 'shared', 'data')].find((d) => d && existsSync(join(d, 'MANIFEST.md')));
if (!shared) {
  process.stdout.write('bench/base-caller needs ../shared/data (held-out structures); set CRYOREAD_SHARED_DATA\n');
  process.exit(0);
}
const caller = readBaseCaller(baseCallerPath(values['base-caller']!, null));
const argmax = (e: readonly number[]) => e.indexOf(Math.max(...e));
const median = (a: number[]) => { const s = [...a].sort((x, y) => x - y); return s.length ? s[Math.floor(s.length / 2)] : NaN; };

const head = ['structure', 'res A', 'nodes', 'detection', 'caller', 'base node off (A)'];
const rows: (string | number)[][] = [];
let totN = 0, totDet = 0, totCall = 0;
for (const file of VALIDATION) {
  const reference = readStructure(join(shared, 'structures', file));
  // Sugar point = centroid of the primed atoms (what the pipeline's sugar nodes stand for), base = base-atom centroid.
  const truth = coarseFromStructure(reference, { sugarAnchor: 'sugar-atoms' }).flatMap((c) => c.residues).flatMap((r) => {
    const type = baseTypeIndex(r.letter);
    return r.baseA && type >= 0 ? [{ sugar: r.sugarA, base: r.baseA, type }] : [];
  });
  const grid = new NeighbourGrid({ count: truth.length, x: Float32Array.from(truth, (t) => t.sugar[0]), y: Float32Array.from(truth, (t) => t.sugar[1]), z: Float32Array.from(truth, (t) => t.sugar[2]) }, 3);
  for (const res of values.res!.split(',').map(Number)) {
    const map = simulateMap(reference, { resolutionA: res, voxelSizeA: 1.1, padA: 10, bFactor: 30, noiseSnr: 3, noiseColourA: 2.5, noiseColourFraction: 0.6, localAmplitudeJitter: 0.25, seed: 4242 + Math.round(res * 10) });
    // The trace's own paths: no caller, detected base anchors kept.
    const r = await runPipeline({ map }, { resolutionA: res, seed: 1, detection: { modelName: values.model! }, baseCaller: null, baseAnchors: 'detected' });
    const called = callBases(r.paths!, r.prepared!.normalised, caller).paths;
    let n = 0, det = 0, cal = 0;
    const off: number[] = [];
    r.paths!.forEach((p, pi) => p.nodes.forEach((node, k) => {
      const nb = grid.nearest(node.sugarA[0], node.sugarA[1], node.sugarA[2], 3);
      if (nb.index < 0) return;
      const t = truth[nb.index];
      n++;
      if (argmax(node.baseEvidence) === t.type) det++;
      if (argmax(called[pi].nodes[k].baseEvidence) === t.type) cal++;
      if (node.baseA) off.push(Math.hypot(node.baseA[0] - t.base[0], node.baseA[1] - t.base[1], node.baseA[2] - t.base[2]));
    }));
    totN += n; totDet += det; totCall += cal;
    rows.push([file.replace(/\.(pdb|cif)$/, '').slice(0, 34), res, n, (det / n).toFixed(3), (cal / n).toFixed(3), median(off).toFixed(2)]);
    process.stderr.write(`${file} ${res} A: ${n} nodes\n`);
  }
}
rows.push(['all', '', totN, (totDet / totN).toFixed(3), (totCall / totN).toFixed(3), '']);
const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
const fmt = (r: (string | number)[]) => r.map((c, i) => (i === 0 ? String(c).padEnd(w[i]) : String(c).padStart(w[i]))).join('  ');
process.stdout.write(`model: ${values.model}, base caller: ${caller.name} (nodes within 3 A of a nucleotide's sugar centroid; chance 0.25)\n${fmt(head)}\n${w.map((x) => '-'.repeat(x)).join('  ')}\n${rows.map(fmt).join('\n')}\n`);
