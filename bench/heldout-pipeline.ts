/**
 * bench/heldout-pipeline: the whole pipeline with a detection model on maps of the held-out
 * structures (training/split.ts VALIDATION, never trained on), simulated with settings the training
 * set did not use (voxel 1.1 A, B 30 A^2, SNR 3, 60 % coloured noise, seed 4242 + resolution), each
 * built with the structure's own sequence as FASTA and evaluated against it. This is the end-to-end
 * number a detection model is judged by (the model card quotes it).
 *
 *   npx tsx bench/heldout-pipeline.ts [--model cryoread-ts-v1] [--base-caller base-caller-v1|none] [--res 3.5,5] [--only FILE] [--oracle] [--json out.json]
 *
 * --oracle replaces detection by oracle probabilities (the same maps' upper bound for the later stages).
 * Prints one row per (structure, resolution): nucleotides, one-to-one coverage, precision, sequence recall
 * and C4' RMSD (each reference nucleotide paired with at most one model nucleotide), CryoREAD's coverage,
 * precision and sequence recall, P recall at 3 A, clashes per 1000 atoms, chains built, seconds; then the means.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readStructure } from '../src/io/structure-file.js';
import { simulateMap } from '../src/simulate/simulate-map.js';
import { runPipeline } from '../src/pipeline/run-pipeline.js';
import { assignSequenceStage } from '../src/pipeline/sequence-hook.js';
import { evaluateModel } from '../src/evaluate/index.js';
import { Structure } from '../src/structure/model.js';
import { VALIDATION } from '../training/split.js';

const { values } = parseArgs({ options: { model: { type: 'string', default: 'cryoread-ts-v1' }, res: { type: 'string', default: '3.5,5' }, only: { type: 'string' }, oracle: { type: 'boolean', default: false }, json: { type: 'string' }, 'base-caller': { type: 'string', default: 'base-caller-v1' } } });
const shared = [process.env.CRYOREAD_SHARED_DATA, resolve(process.cwd(), '..', 'shared', 'data')].find((d) => d && existsSync(join(d, 'MANIFEST.md')));
if (!shared) {
  process.stdout.write('bench/heldout-pipeline needs ../shared/data (held-out structures); set CRYOREAD_SHARED_DATA\n');
  process.exit(0);
}
const files = values.only ? [values.only] : VALIDATION;
const resolutions = values.res!.split(',').map(Number);
const head = ['structure', 'res A', 'nt', '1:1 cov', '1:1 prec', '1:1 seq rec', "1:1 C4' RMSD", 'CR cov', 'CR prec', 'CR seq rec', 'P rec 3A', 'clash/1000', 'chains', 'seconds'];
const rows: (string | number)[][] = [];
const records: Record<string, unknown>[] = [];
for (const file of files) {
  const reference = readStructure(join(shared, 'structures', file));
  const nt = Structure.nucleotides(reference).length;
  for (const res of resolutions) {
    const map = simulateMap(reference, { resolutionA: res, voxelSizeA: 1.1, padA: 10, bFactor: 30, noiseSnr: 3, noiseColourA: 2.5, noiseColourFraction: 0.6, localAmplitudeJitter: 0.25, seed: 4242 + Math.round(res * 10) });
    const t0 = performance.now();
    const result = await runPipeline(
      { map, mapSource: `${file} simulated at ${res} A`, fasta: Structure.sequenceRecords(reference), sequenceStage: assignSequenceStage, ...(values.oracle ? { oracle: { structure: reference } } : {}) },
      { resolutionA: res, seed: 1, detection: { modelName: values.model! }, baseCaller: values['base-caller'] === 'none' ? null : values['base-caller']! },
    );
    const seconds = (performance.now() - t0) / 1000;
    const m = result.structure ? evaluateModel(result.structure, reference) : null;
    const row = {
      structure: file, resolutionA: res, nucleotides: nt,
      coverage1: m?.oneToOne.coverage ?? 0, precision1: m?.oneToOne.precision ?? 0, sequenceRecall1: m?.oneToOne.sequenceRecall ?? 0, rmsd1: m?.oneToOne.rmsdA ?? NaN,
      coverage: m?.coverage ?? 0, precision: m?.precision ?? 0, sequenceRecall: m?.sequenceRecall ?? 0,
      rmsdA: m?.rmsdA ?? NaN, pRecall3A: m?.pRecall3A ?? 0, clashesPer1000: m?.clashesPer1000 ?? NaN, chains: result.structure?.chains.length ?? 0, seconds,
    };
    records.push(row);
    rows.push([file.replace(/\.(pdb|cif)$/, '').slice(0, 34), res, nt, row.coverage1.toFixed(3), row.precision1.toFixed(3), row.sequenceRecall1.toFixed(3), row.rmsd1.toFixed(2), row.coverage.toFixed(3), row.precision.toFixed(3), row.sequenceRecall.toFixed(3), row.pRecall3A.toFixed(3), row.clashesPer1000.toFixed(1), row.chains, seconds.toFixed(1)]);
    process.stderr.write(`${JSON.stringify(row)}\n`);
  }
}
const mean = (k: keyof (typeof records)[number]) => records.reduce((a, r) => a + (r[k] as number), 0) / Math.max(1, records.length);
rows.push(['mean', '', '', mean('coverage1').toFixed(3), mean('precision1').toFixed(3), mean('sequenceRecall1').toFixed(3), mean('rmsd1').toFixed(2), mean('coverage').toFixed(3), mean('precision').toFixed(3), mean('sequenceRecall').toFixed(3), mean('pRecall3A').toFixed(3), mean('clashesPer1000').toFixed(1), '', mean('seconds').toFixed(1)]);
const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
const fmt = (r: (string | number)[]) => r.map((c, i) => (i === 0 ? String(c).padEnd(w[i]) : String(c).padStart(w[i]))).join('  ');
process.stdout.write(`model: ${values.oracle ? 'oracle probabilities' : values.model}\n${fmt(head)}\n${w.map((n) => '-'.repeat(n)).join('  ')}\n${rows.map(fmt).join('\n')}\n`);
if (values.json) writeFileSync(values.json, JSON.stringify({ model: values.oracle ? 'oracle' : values.model, rows: records }, null, 1) + '\n');
