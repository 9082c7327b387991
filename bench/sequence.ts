/**
 * bench/sequence: time and peak memory of sequence assignment with a FASTA (windows -> DP alignment
 * -> global assembly -> chains), on oracle probabilities, with perfect base types and with half of
 * the base-type calls wrong (what the network's base channels look like).
 *   npx tsx bench/sequence.ts [--skip-large]
 * Cases (need ../shared/data):
 * - the bundled example: example/6v5b_sim_3.7A.mrc frame, oracle from 6V5B chain D, example/21051.fasta;
 * - ~3000 nt: E. coli 23S rRNA = occupancy_RNA1-4.pdb (2871 nt in 4 disjoint segment sets), with
 *   its own sequence as the FASTA (one record per chain); goal <= 60 s and <= 4 GB.
 * Each case runs in its own child process, so "peak RSS" is that case's whole pipeline peak
 * (oracle, cluster, trace, sequence, build), an upper bound on the sequence stage's memory.
 * Prints a table: case, base types, sequence s, post-detection s, peak RSS MB, sequence recall,
 * sequence precision, coverage, assembly mode.
 * Measured 2026-11-30 on the 2-core machine while two training runs held ~1.7 cores (so times are
 * ~2x what a free machine gives):
 *   example, perfect:        sequence 0.55 s, post-detection 2.3 s, 222 MB, recall 0.987
 *   example, 50 % correct:   sequence 0.67 s, post-detection 2.3 s, 214 MB, recall 0.987
 *   23S, perfect:            sequence 35.7 s, post-detection 80 s, 1.09 GB, recall 0.842, precision 0.861
 *   23S, 50 % correct:       sequence 91 s,   post-detection 136 s, 1.18 GB, recall 0.470, precision 0.481
 *     (then 32 s, recall 0.496, once the integer program's 20 s limit bounded all its rounds
 *     together instead of each of its 4 solves)
 *   with jumps in whole-path alignments (junction crossings split into fragments):
 *   23S perfect recall 0.850 -> 0.918 (sequence 17 s), 50 % correct 0.496 -> 0.515 (35 s)
 *   exact alignment DP (issue 14: skipped nodes/residues in the DP state, residue skips growing
 *   per run), 2026-12-02, machine loaded (load 5-9 on 2 cores, so times are noisy):
 *     before: example 0.987 / 0.987; 23S perfect recall 0.936, precision 0.951 (sequence 41 s);
 *             23S 50 % correct recall 0.487, precision 0.497 (47 s)
 *     after:  example 0.987 / 0.987; 23S perfect recall 0.936, precision 0.949 (89 s under load);
 *             23S 50 % correct recall 0.480, precision 0.489 (47 s); the same with the run
 *             growth 2x instead of 4x or 8 free residues per run instead of 3
 *     bench/real-density --res 3.7 (CryoREAD-style seq recall, one-to-one seq recall), unchanged:
 *             rp_rp04 0.516 / 0.365, rp_rp10 0.376 / 0.287
 * Before this bench existed the 23S case (then with one FASTA record per segment, 102 records)
 * took 345 s and 4.0 GB in the sequence stage: every path brought a whole-path alignment against
 * every record (44k fragments); now the best 24 per path are kept.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readMrc } from '../src/io/mrc.js';
import { readFasta } from '../src/io/fasta.js';
import { readStructure } from '../src/io/structure-file.js';
import { runPipeline } from '../src/pipeline/run-pipeline.js';
import { assignSequenceStage } from '../src/pipeline/sequence-hook.js';
import { evaluateModel } from '../src/evaluate/index.js';
import { Structure } from '../src/structure/model.js';
import { rrna23sRecord } from './lib/rrna23s.js';
import type { PipelineInput } from '../src/pipeline/types.js';

const shared = [process.env.CRYOREAD_SHARED_DATA, resolve(process.cwd(), '..', 'shared', 'data')].find((d) => d && existsSync(join(d, 'MANIFEST.md')));
const POST_DETECTION = new Set(['cluster', 'trace', 'sequence', 'build']);

interface CaseSpec { name: string; large: boolean; baseTypeAccuracy: number; goalS: number }
const CASES: CaseSpec[] = [
  { name: 'example 6V5B (78 nt)', large: false, baseTypeAccuracy: 1, goalS: 5 },
  { name: 'example 6V5B (78 nt)', large: false, baseTypeAccuracy: 0.5, goalS: 5 },
  { name: '23S rRNA (2871 nt)', large: true, baseTypeAccuracy: 1, goalS: 60 },
  { name: '23S rRNA (2871 nt)', large: true, baseTypeAccuracy: 0.5, goalS: 60 },
];

/** Runs one case in this process and prints one JSON line. */
async function runOne(c: CaseSpec, dir: string): Promise<void> {
  let input: PipelineInput, reference: Structure;
  if (!c.large) {
    reference = readStructure(join(dir, 'structures', 'cryoread_6v5b_drna.pdb'));
    input = {
      map: readMrc('example/6v5b_sim_3.7A.mrc').volume, mapSource: 'example/6v5b_sim_3.7A.mrc',
      oracle: { structure: reference, options: { baseTypeAccuracy: c.baseTypeAccuracy, seed: 5 } },
      fasta: readFasta('example/21051.fasta'), sequenceStage: assignSequenceStage,
    };
  } else {
    const parts = [1, 2, 3, 4].map((i) => readStructure(join(dir, 'structures', `occupancy_RNA${i}.pdb`)));
    reference = { chains: parts.flatMap((s, i) => s.chains.map((ch) => ({ ...ch, id: `${i + 1}${ch.id}` }))), source: 'occupancy_RNA1-4 (23S rRNA)' };
    input = { oracle: { structure: reference, options: { baseTypeAccuracy: c.baseTypeAccuracy, seed: 5 } }, fasta: [rrna23sRecord(reference)], sequenceStage: assignSequenceStage };
  }
  const result = await runPipeline(input, { seed: 1 });
  const m = evaluateModel(result.structure!, reference);
  const seqS = result.timings.find((t) => t.stage === 'sequence')?.seconds ?? NaN;
  const postS = result.timings.filter((t) => POST_DETECTION.has(t.stage)).reduce((s, t) => s + t.seconds, 0);
  process.stdout.write(JSON.stringify({ seqS, postS, rssMb: process.resourceUsage().maxRSS / 1024, recall: m.sequenceRecall, precision: m.sequencePrecision, coverage: m.coverage, mode: result.sequence.mode, nt: m.counts.referenceNucleotides }) + '\n');
}

async function main(): Promise<void> {
  if (!shared) {
    process.stdout.write('bench/sequence needs ../shared/data (oracle structures); set CRYOREAD_SHARED_DATA\n');
    return;
  }
  const only = process.argv.indexOf('--case');
  if (only >= 0) return runOne(CASES[Number(process.argv[only + 1])], shared);
  const rows: string[][] = [];
  const self = fileURLToPath(import.meta.url);
  for (const [i, c] of CASES.entries()) {
    if (c.large && process.argv.includes('--skip-large')) continue;
    const r = spawnSync(process.execPath, ['--import', 'tsx', self, '--case', String(i)], { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, CRYOREAD_SHARED_DATA: shared } });
    const line = r.stdout.trim().split('\n').pop() ?? '';
    if (r.status !== 0 || !line.startsWith('{')) { process.stderr.write(`case ${c.name} failed:\n${r.stderr}\n`); continue; }
    const j = JSON.parse(line);
    rows.push([c.name, c.baseTypeAccuracy === 1 ? 'perfect' : `${c.baseTypeAccuracy * 100} % correct`, j.seqS.toFixed(2), j.postS.toFixed(2), String(c.goalS), j.rssMb.toFixed(0), j.recall.toFixed(3), j.precision.toFixed(3), j.coverage.toFixed(3), j.mode]);
    process.stdout.write(`done: ${rows.at(-1)!.join(' | ')}\n`);
  }
  const head = ['case', 'base types', 'sequence s', 'post-detection s', 'goal s', 'peak RSS MB', 'seq recall', 'seq precision', 'coverage', 'mode'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => (i <= 1 || i === 9 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  process.stdout.write(`\n${fmt(head)}\n${w.map((n) => '-'.repeat(n)).join('  ')}\n${rows.map(fmt).join('\n')}\n`);
}

await main();
