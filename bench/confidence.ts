/**
 * bench/confidence: does the per-residue confidence (B-factor column) say which residues are right?
 * The whole pipeline (network detection, base caller, FASTA) on simulated maps, as
 * bench/heldout-pipeline makes them; each built residue is labelled correct when the evaluation
 * matches it one-to-one to a reference nucleotide of the same base within 5 A (sequence match,
 * CryoREAD's definition). The logistic confidence model of src/pipeline/residue-quality.ts is fitted
 * on maps of training structures and measured on the held-out ones (training/split.ts VALIDATION):
 * Pearson correlation of each feature, of the old confidence (detection/base probability) and of
 * the fitted confidence with correctness, plus the fitted weights to paste into CONFIDENCE_MODEL.
 *
 *   npx tsx bench/confidence.ts [--res 3.5,5] [--json out.json]
 *
 * Measured (2 shared cores, 15 min): fit maps 921 residues (189 correct), held-out 733 (299 correct).
 *   feature / score                 r fit   r held-out
 *   localCC                         0.202   0.091
 *   mapValue                        0.133   0.136
 *   sugarProb                       0.355   0.217
 *   baseProb                       -0.058   0.030
 *   baseCallProb                    0.107   0.140
 *   assigned                        0.360   0.083
 *   old confidence (B-factor)       0.387   0.139
 *   logistic fit on the fit maps    0.429   0.140
 *   shipped CONFIDENCE_MODEL        0.391   0.196
 * Held-out per structure, old -> shipped: 6V5B 0.160 -> 0.265, 1EHZ 0.145 -> 0.205, 4W90 0.112 ->
 * 0.185, rp14 0.046 -> 0.062, B-DNA bdl084 0.047 -> -0.004.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readStructure } from '../src/io/structure-file.js';
import { simulateMap } from '../src/simulate/simulate-map.js';
import { runPipeline } from '../src/pipeline/run-pipeline.js';
import { assignSequenceStage } from '../src/pipeline/sequence-hook.js';
import { residueQuality, confidenceFeatures, CONFIDENCE_MODEL, type ResidueQuality } from '../src/pipeline/residue-quality.js';
import { nucleotideTable } from '../src/evaluate/nucleotide-table.js';
import { centerMetrics } from '../src/evaluate/cryoread-metrics.js';
import { Structure } from '../src/structure/model.js';
import { VALIDATION } from '../training/split.js';

const { values } = parseArgs({ options: { res: { type: 'string', default: '3.5,5' }, json: { type: 'string' } } });
const shared = [process.env.CRYOREAD_SHARED_DATA, resolve(process.cwd(), '..', 'shared', 'data')].find((d) => d && existsSync(join(d, 'MANIFEST.md')));
if (!shared) { process.stdout.write('bench/confidence needs ../shared/data; set CRYOREAD_SHARED_DATA\n'); process.exit(0); }
const FIT = ['rnapolis_1ATO.pdb', 'rp_rp13_13_solution_0_rpr.pdb', 'rnapolis_1a9n.cif', 'biotite_1bna.cif', 'rp_rp01_1_solution_0_rpr.pdb'];
const resolutions = values.res!.split(',').map(Number);

interface Row { set: 'fit' | 'heldout'; file: string; res: number; q: ResidueQuality; oldConfidence: number; correct: number }
const rows: Row[] = [];

for (const [set, files] of [['fit', FIT], ['heldout', VALIDATION]] as const) {
  for (const file of files) {
    const reference = readStructure(join(shared, 'structures', file));
    for (const res of resolutions) {
      const map = simulateMap(reference, { resolutionA: res, voxelSizeA: 1.1, padA: 10, bFactor: 30, noiseSnr: 3, noiseColourA: 2.5, noiseColourFraction: 0.6, localAmplitudeJitter: 0.25, seed: 4242 + Math.round(res * 10) });
      const r = await runPipeline({ map, fasta: Structure.sequenceRecords(reference), sequenceStage: assignSequenceStage }, { resolutionA: res, seed: 1 });
      if (!r.structure || !r.prepared) continue;
      // The old confidence: the B-factor buildAtoms wrote (20 + 80 (1 - confidence)).
      const old = r.structure.chains.flatMap((c) => c.residues.map((x) => 1 - (x.atoms[0].bFactor - 20) / 80));
      const q = residueQuality(r.structure, { normalised: r.prepared.normalised, raw: r.prepared.raw, probabilities: r.probabilities, resolutionA: res }, { writeBFactors: false });
      const cm = centerMetrics(nucleotideTable(r.structure), nucleotideTable(reference), { cutoffA: 5, maxCutoffA: 10, compat: false });
      const correct = new Uint8Array(q.length);
      for (const [, j] of cm.matches) correct[j] = 1;
      q.forEach((x, k) => rows.push({ set, file, res, q: x, oldConfidence: old[k], correct: correct[k] }));
      process.stderr.write(`${set} ${file} ${res} A: ${q.length} residues, ${correct.reduce((a, b) => a + b, 0)} correct\n`);
    }
  }
}

function pearson(x: number[], y: number[]): number {
  const n = x.length, mx = x.reduce((a, b) => a + b, 0) / n, my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) ** 2; syy += (y[i] - my) ** 2; }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

/** Logistic regression by gradient descent (features are O(1)), L2 0.01. */
function fitLogistic(X: number[][], y: number[], iters = 4000, lr = 0.5): number[] {
  const d = X[0].length;
  const w = new Array(d).fill(0);
  for (let it = 0; it < iters; it++) {
    const g = new Array(d).fill(0);
    for (let i = 0; i < X.length; i++) {
      const z = X[i].reduce((a, v, k) => a + v * w[k], 0);
      const e = 1 / (1 + Math.exp(-z)) - y[i];
      for (let k = 0; k < d; k++) g[k] += e * X[i][k];
    }
    for (let k = 0; k < d; k++) w[k] -= lr * (g[k] / X.length + (k ? 0.01 * w[k] : 0));
  }
  return w;
}

const fit = rows.filter((r) => r.set === 'fit'), held = rows.filter((r) => r.set === 'heldout');
const w = fitLogistic(fit.map((r) => confidenceFeatures(r.q)), fit.map((r) => r.correct));
const conf = (r: Row, weights: readonly number[]) => 1 / (1 + Math.exp(-confidenceFeatures(r.q).reduce((a, v, k) => a + v * weights[k], 0)));
const table: string[][] = [['feature', 'r (fit maps)', 'r (held-out maps)']];
const names = CONFIDENCE_MODEL.features.slice(1);
names.forEach((name, k) => {
  const f = (set: Row[]) => pearson(set.map((r) => confidenceFeatures(r.q)[k + 1]), set.map((r) => r.correct));
  table.push([name, f(fit).toFixed(3), f(held).toFixed(3)]);
});
table.push(['old confidence (B-factor)', pearson(fit.map((r) => r.oldConfidence), fit.map((r) => r.correct)).toFixed(3), pearson(held.map((r) => r.oldConfidence), held.map((r) => r.correct)).toFixed(3)]);
table.push(['fitted confidence (these weights)', pearson(fit.map((r) => conf(r, w)), fit.map((r) => r.correct)).toFixed(3), pearson(held.map((r) => conf(r, w)), held.map((r) => r.correct)).toFixed(3)]);
table.push(['shipped CONFIDENCE_MODEL', pearson(fit.map((r) => conf(r, CONFIDENCE_MODEL.weights)), fit.map((r) => r.correct)).toFixed(3), pearson(held.map((r) => conf(r, CONFIDENCE_MODEL.weights)), held.map((r) => r.correct)).toFixed(3)]);
const wd = table.map((_, c) => 0).slice(0, 3).map((_, c) => Math.max(...table.map((r) => r[c].length)));
process.stdout.write(`\nresidues: fit ${fit.length} (${fit.filter((r) => r.correct).length} correct), held-out ${held.length} (${held.filter((r) => r.correct).length} correct); resolutions ${resolutions.join(', ')} A\n`);
for (const r of table) process.stdout.write(r.map((c, i) => (i ? c.padStart(wd[i]) : c.padEnd(wd[i]))).join('  ') + '\n');
process.stdout.write(`fitted weights [${CONFIDENCE_MODEL.features.join(', ')}]: [${w.map((x) => x.toFixed(3)).join(', ')}]\n`);
if (values.json) writeFileSync(values.json, JSON.stringify({ weights: w, rows: rows.map((r) => ({ set: r.set, file: r.file, res: r.res, correct: r.correct, oldConfidence: r.oldConfidence, ...r.q })) }, null, 1));
