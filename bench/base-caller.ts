/**
 * bench/base-caller: base-type accuracy on the pipeline's own traced nodes, for one or more base callers,
 * read in each nucleotide's true direction (the node's reading whose 5' phosphate point is the nearer one
 * to the true 5' phosphate: sequence assignment reads a path that runs 3'->5' with baseEvidenceReverse).
 * A node counts when its sugar point lies within 2.5 A of a nucleotide's primed-atom centroid and it has
 * a phosphate point on both sides. Columns per caller: accuracy, purine/pyrimidine accuracy, and mean
 * log P(true base) (calibration: a uniform guess scores -1.386; the sequence aligner sums probabilities,
 * so overconfident wrong calls cost placements); the detection channels' own call as a baseline.
 *
 *   npx tsx bench/base-caller.ts [--set independent|own] [--base-caller base-caller-v4,base-caller-v3,path/to/card.json]
 *        [--res 3.7,4.5] [--detection-cache DIR] [--model cryoread-ts-v2] [--frame-search on|off|on,off]
 *
 * --frame-search: template-frame callers read in the best-fitting jittered frames (on, the pipeline's
 * default; src/trace/frame-fit.ts) or the traced frame with the card's blind test-time averaging (off);
 * "on,off" gives a column set for each.
 *
 * independent (default): maps of the held-out structures from gemmi's electron-scattering calculator
 * (bench/lib/independent-maps.ts, the real-density bench's set). own: the held-out structures simulated
 * by src/simulate (own generator; optimistic).
 */
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readStructure } from '../src/io/structure-file.js';
import { readMrc } from '../src/io/mrc.js';
import { simulateMap, baseTypeIndex } from '../src/simulate/index.js';
import { runPipeline } from '../src/pipeline/run-pipeline.js';
import { baseCallerPath } from '../src/pipeline/base-caller-path.js';
import { callBases, readBaseCaller, pathPhosphates } from '../src/trace/base-caller.js';
import { NeighbourGrid, pointSetFromArray } from '../src/grid/neighbour-grid.js';
import type { Structure } from '../src/structure/model.js';
import type { Vec3 } from '../src/grid/volume.js';
import { VALIDATION } from '../training/split.js';
import { readsForward } from '../training/traced-views.js';
import { coarseFromStructure } from '../src/build/coarse.js';
import { independentMaps, cachedDetection } from './lib/independent-maps.js';
import { DEFAULT_FRAME_SEARCH } from '../src/trace/frame-fit.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'cryoread-ts-v2' }, 'base-caller': { type: 'string', default: 'base-caller-v4' },
    set: { type: 'string', default: 'independent' }, 'frame-search': { type: 'string', default: 'on' }, res: { type: 'string', default: '3.7,4.5' }, 'detection-cache': { type: 'string' },
  },
});
const shared = [process.env.CRYOREAD_SHARED_DATA, resolve(process.cwd(), '..', 'shared', 'data')].find((d) => d && existsSync(join(d, 'MANIFEST.md')));
if (!shared) {
  process.stdout.write('bench/base-caller needs ../shared/data (held-out structures); set CRYOREAD_SHARED_DATA\n');
  process.exit(0);
}
if (values.set !== 'independent' && values.set !== 'own') throw new Error(`--set ${values.set}: give independent or own`);
const searches = values['frame-search']!.split(',').map((v) => {
  if (v !== 'on' && v !== 'off') throw new Error(`--frame-search ${v}: give on, off or on,off`);
  return v === 'on' ? DEFAULT_FRAME_SEARCH : null;
});
const callers = values['base-caller']!.split(',').flatMap((name) => {
  const card = readBaseCaller(baseCallerPath(name, null));
  return searches.map((frameSearch) => ({ card, frameSearch, label: searches.length > 1 ? `${card.name} ${frameSearch ? 'search' : 'blind'}` : card.name }));
});
const resolutions = values.res!.split(',').map(Number);
const MATCH_A = 2.5;

interface Truth { sugar: Vec3; p5: Vec3 | null; p3: Vec3 | null; type: number }
/** Per nucleotide with a base: primed-atom centroid, own P (5'), next nucleotide's P (3') when bonded (< 8 A from the sugar). */
function truthOf(reference: Structure): Truth[] {
  return coarseFromStructure(reference, { sugarAnchor: 'sugar-atoms', phosphateAnchor: 'P' }).flatMap((c) => c.residues.flatMap((r, k) => {
    const type = baseTypeIndex(r.letter), next = c.residues[k + 1]?.phosphateA ?? null;
    const p3 = next && Math.hypot(next[0] - r.sugarA[0], next[1] - r.sugarA[1], next[2] - r.sugarA[2]) < 8 ? next : null;
    return r.baseA && type >= 0 ? [{ sugar: r.sugarA, p5: r.phosphateA, p3, type }] : [];
  }));
}

const argmax = (e: readonly number[]) => e.indexOf(Math.max(...e));
const purine = (t: number) => t === 0 || t === 3;

const cases: { name: string; reference: Structure; resolutionA: number; map: () => ReturnType<typeof readMrc>['volume']; cache: string | null }[] = [];
if (values.set === 'independent') {
  for (const m of independentMaps(shared, resolutions)) {
    cases.push({ name: m.file.replace(/\.(pdb|cif)(\.gz)?$/, '').slice(0, 30), reference: readStructure(join(shared, 'structures', m.file)), resolutionA: m.resolutionA, map: () => readMrc(m.map).volume, cache: values['detection-cache'] ? join(values['detection-cache'], `${basename(m.map)}.${values.model}.detection.v8`) : null });
  }
} else {
  for (const file of VALIDATION) {
    const reference = readStructure(join(shared, 'structures', file));
    for (const res of resolutions) {
      cases.push({ name: file.replace(/\.(pdb|cif)$/, '').slice(0, 30), reference, resolutionA: res, cache: null, map: () => simulateMap(reference, { resolutionA: res, voxelSizeA: 1.1, padA: 10, bFactor: 30, noiseSnr: 3, noiseColourA: 2.5, noiseColourFraction: 0.6, localAmplitudeJitter: 0.25, seed: 4242 + Math.round(res * 10) }) });
    }
  }
}

const head = ['map', 'res A', 'nodes', 'detection', ...callers.flatMap((c) => [`${c.label} acc`, 'pur/pyr', 'log P'])];
const rows: (string | number)[][] = [];
const tot = { n: 0, det: 0, acc: callers.map(() => 0), pur: callers.map(() => 0), logp: callers.map(() => 0) };
for (const c of cases) {
  const truth = truthOf(c.reference);
  const grid = new NeighbourGrid(pointSetFromArray(truth.map((t) => t.sugar)), MATCH_A);
  // The trace's own paths (no caller: the calls below are the only difference between columns; no
  // nucleic-acid filter, so the node set does not depend on the classifier).
  const r = await runPipeline({ map: c.map() }, { resolutionA: c.resolutionA, seed: 1, detection: { modelName: values.model! }, baseCaller: null, naClassifier: null }, undefined, cachedDetection(c.cache));
  const paths = r.paths ?? [];
  const called = callers.map((c) => callBases(paths, r.prepared!.normalised, c.card, undefined, { frameSearch: c.frameSearch }).paths);
  let n = 0, det = 0;
  const acc = callers.map(() => 0), pur = callers.map(() => 0), logp = callers.map(() => 0);
  paths.forEach((p, pi) => {
    const q = pathPhosphates(p.nodes);
    p.nodes.forEach((node, k) => {
      const a = q[k], b = q[k + 1];
      if (!a || !b) return;
      const hit = grid.nearest(node.sugarA[0], node.sugarA[1], node.sugarA[2], MATCH_A);
      if (hit.index < 0) return;
      const t = truth[hit.index];
      const forward = readsForward(a, b, t.p5, t.p3);
      if (forward === null) return;
      const evidence = called.map((cp) => {
        const nd = cp[pi].nodes[k];
        return forward ? nd.baseEvidence : nd.baseEvidenceReverse ?? nd.baseEvidence;
      });
      n++;
      if (argmax(node.baseEvidence) === t.type) det++;
      evidence.forEach((e, i) => {
        const z = e[0] + e[1] + e[2] + e[3];
        if (argmax(e) === t.type) acc[i]++;
        if (purine(argmax(e)) === purine(t.type)) pur[i]++;
        logp[i] += Math.log(Math.max(e[t.type] / z, 1e-6));
      });
    });
  });
  tot.n += n; tot.det += det;
  callers.forEach((_, i) => { tot.acc[i] += acc[i]; tot.pur[i] += pur[i]; tot.logp[i] += logp[i]; });
  const f = (x: number, m: number) => (m ? (x / m).toFixed(3) : '-');
  rows.push([c.name, c.resolutionA, n, f(det, n), ...callers.flatMap((_, i) => [f(acc[i], n), f(pur[i], n), f(logp[i], n)])]);
  process.stderr.write(`${c.name} ${c.resolutionA} A: ${n} nodes\n`);
}
const f = (x: number) => (tot.n ? (x / tot.n).toFixed(3) : '-');
rows.push(['all', '', tot.n, f(tot.det), ...callers.flatMap((_, i) => [f(tot.acc[i]), f(tot.pur[i]), f(tot.logp[i])])]);
const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
const fmt = (r: (string | number)[]) => r.map((c, i) => (i === 0 ? String(c).padEnd(w[i]) : String(c).padStart(w[i]))).join('  ');
process.stdout.write(`set: ${values.set}, model: ${values.model}; traced nodes within ${MATCH_A} A of a nucleotide's sugar centroid, read in its true direction (chance 0.25, log P -1.386)\n${fmt(head)}\n${w.map((x) => '-'.repeat(x)).join('  ')}\n${rows.map(fmt).join('\n')}\n`);
