/**
 * bench/build: time of the post-detection stages (cluster, trace, sequence, build) and peak memory.
 *   npx tsx bench/build.ts [--skip-large]
 * Cases:
 * - the bundled example (example/6v5b_sim_3.7A.mrc + its FASTA) with oracle probabilities from
 *   6V5B chain D (needs ../shared/data): goal <= 5 s after detection;
 * - a ~3000-nt oracle case: E. coli 23S rRNA, the union of the four disjoint segment sets
 *   occupancy_RNA1-4.pdb (2871 nt), no map (1 A grid around the atoms): goal <= 120 s, peak RSS <= 4 GB.
 * Prints one table per case (stage, seconds, nodes, residues) and a summary table.
 * Measured on the shared 2-core machine (load ~3): example 2.6 s after detection (coverage 0.987,
 * C4' RMSD 0.79 A); 23S 36 s (cluster 31 s, trace 2.6 s, build 2.8 s), peak RSS 1.2 GB, coverage 0.998.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readMrc } from '../src/io/mrc.js';
import { readFasta } from '../src/io/fasta.js';
import { readStructure } from '../src/io/structure-file.js';
import { runPipeline } from '../src/pipeline/run-pipeline.js';
import { assignSequenceStage } from '../src/pipeline/sequence-hook.js';
import { summaryTable } from '../src/pipeline/progress-format.js';
import { evaluateModel } from '../src/evaluate/index.js';
import type { Structure } from '../src/structure/model.js';
import type { PipelineInput, PipelineResult } from '../src/pipeline/types.js';

const shared = [process.env.CRYOREAD_SHARED_DATA, resolve(process.cwd(), '..', 'shared', 'data')].find((d) => d && existsSync(join(d, 'MANIFEST.md')));
const POST_DETECTION = new Set(['cluster', 'trace', 'sequence', 'build']);
const rows: string[][] = [];

function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

async function runCase(name: string, input: PipelineInput, reference: Structure | null, goalS: number): Promise<PipelineResult> {
  const t0 = performance.now();
  const result = await runPipeline(input, { timeBudgetS: 0 });
  const wallS = (performance.now() - t0) / 1000;
  const post = result.timings.filter((t) => POST_DETECTION.has(t.stage)).reduce((s, t) => s + t.seconds, 0);
  process.stdout.write(`\n## ${name}\n${summaryTable(result.timings)}\n`);
  const m = reference && result.structure ? evaluateModel(result.structure, reference) : null;
  rows.push([name, post.toFixed(2), String(goalS), wallS.toFixed(2), peakRssMb().toFixed(0),
    m ? m.coverage.toFixed(3) : '', m ? m.precision.toFixed(3) : '', m ? m.rmsdA.toFixed(2) : '', m ? m.clashesPer1000.toFixed(1) : '']);
  return result;
}

function merged(structures: Structure[]): Structure {
  return { chains: structures.flatMap((s, i) => s.chains.map((c) => ({ ...c, id: `${i + 1}${c.id}` }))), source: 'occupancy_RNA1-4 (23S rRNA)' };
}

async function main(): Promise<void> {
  if (!shared) {
    process.stdout.write('bench/build needs ../shared/data (oracle structures); set CRYOREAD_SHARED_DATA\n');
    return;
  }
  const ref6v5b = readStructure(join(shared, 'structures', 'cryoread_6v5b_drna.pdb'));
  await runCase('example 6V5B (78 nt), oracle + FASTA', {
    map: readMrc('example/6v5b_sim_3.7A.mrc').volume, mapSource: 'example/6v5b_sim_3.7A.mrc',
    oracle: { structure: ref6v5b }, fasta: readFasta('example/21051.fasta'), sequenceStage: assignSequenceStage,
  }, ref6v5b, 5);
  if (!process.argv.includes('--skip-large')) {
    const big = merged([1, 2, 3, 4].map((i) => readStructure(join(shared, 'structures', `occupancy_RNA${i}.pdb`))));
    await runCase('23S rRNA (2871 nt), oracle, no map', { oracle: { structure: big } }, big, 120);
  }
  const head = ['case', 'post-detection s', 'goal s', 'wall s', 'peak RSS MB', 'coverage', 'precision', "C4' RMSD", 'clashes/1000'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  process.stdout.write(`\n${fmt(head)}\n${w.map((n) => '-'.repeat(n)).join('  ')}\n${rows.map(fmt).join('\n')}\n`);
}

await main();
