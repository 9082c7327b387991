/**
 * Issue 8 targets, end to end over the library: oracle probabilities of a known structure ->
 * cluster -> trace -> sequence assignment with the structure's own FASTA -> atoms -> evaluation.
 * - perfect base types: sequence recall >= 0.95;
 * - base-type channels correct for only 50 % of nucleotides (the rest a random wrong type):
 *   sequence recall >= 0.80 (mean over five draws of the wrong nucleotides);
 * both on >= 4 structures; a G-quadruplex is kept as a measured hard case below the target.
 * Sequence recall = reference nucleotides matched one-to-one by a model nucleotide of the same base
 * within 5 A (CryoREAD's definition, src/evaluate). Measured numbers are printed as diagnostics.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readStructure } from '../../src/io/structure-file.js';
import { runPipeline } from '../../src/pipeline/run-pipeline.js';
import { assignSequenceStage } from '../../src/pipeline/sequence-hook.js';
import { evaluateModel } from '../../src/evaluate/index.js';
import { Structure } from '../../src/structure/model.js';
import { sharedDataOrSkip, sharedPath } from '../helpers/shared-data.js';

// The 50 % case is a random draw of which nucleotides get a wrong type: one draw can leave a long
// path with a third of its calls right (1JJP seed 5: 5 of 15). The target is judged on the mean over
// NOISY_SEEDS draws (each run ~1-3 s); per-seed values are printed.
const NOISY_SEEDS = [1, 2, 3, 4, 5];

// guard: regression floor for the 50 % mean = measured mean minus a margin of ~0.05-0.1
const CASES = [
  { file: 'cryoread_6v5b_drna.pdb', what: '6V5B chain D, 78-nt RNA (the example)', target: true, guard: 0.9 }, // measured 1.000 each seed
  { file: 'rnapolis_1a9n.cif', what: 'protein-RNA complex, 2 x 24 nt + protein', target: true, guard: 0.88 }, // mean 0.963 (0.81-1.00)
  { file: 'rp_rp13_13_solution_0_rpr.pdb', what: 'ZMP riboswitch, 60 nt', target: true, guard: 0.9 }, // mean 0.987 (0.93-1.00)
  { file: 'rnatools_4W90_protein_rna.pdb', what: 'protein-RNA complex, 3-way junction, 101 nt', target: true, guard: 0.82 }, // mean 0.891 (0.81-0.93)
  // Hard case, outside the >= 4 structures of the target: a bimolecular G-quadruplex (G-G Hoogsteen
  // pairs, no Watson-Crick stems to borrow evidence from) of two identical low-complexity strands
  // (GGGAGGTTTGGGAT), traced into 3/10/15-node paths that cross between the strands. Mean 0.757 over
  // seeds 1-5 (0.54-0.89; 0.804 over seeds 1-10); switching the pair terms off lowers it (0.72 over
  // 1-10). The wrong placements score higher than the true ones on the evidence they are given.
  { file: 'rnapolis_1JJP.cif', what: 'bimolecular G-quadruplex DNA, 2 x 14 nt', target: false, guard: 0.68 },
];

async function recallWith(file: string, dir: string, baseTypeAccuracy: number, seed: number) {
  const reference = readStructure(sharedPath(dir, 'structures', file));
  const result = await runPipeline(
    { oracle: { structure: reference, options: { baseTypeAccuracy, seed } }, fasta: Structure.sequenceRecords(reference), sequenceStage: assignSequenceStage },
    { timeBudgetS: 2, seed: 1 },
  );
  assert.ok(result.structure, 'a model was built');
  return { m: evaluateModel(result.structure, reference), mode: result.sequence.mode };
}

for (const c of CASES) {
  test(`sequence targets with the FASTA: ${c.what} (${c.file})`, async (t) => {
    const dir = sharedDataOrSkip(t);
    if (!dir) return;
    const perfect = await recallWith(c.file, dir, 1, 5);
    t.diagnostic(`perfect base types: sequence recall ${perfect.m.sequenceRecall.toFixed(3)} precision ${perfect.m.sequencePrecision.toFixed(3)} coverage ${perfect.m.coverage.toFixed(3)} (${perfect.mode})`);
    assert.ok(perfect.m.sequenceRecall >= 0.95, `perfect: sequence recall ${perfect.m.sequenceRecall}`);
    const noisy: number[] = [];
    for (const seed of NOISY_SEEDS) noisy.push((await recallWith(c.file, dir, 0.5, seed)).m.sequenceRecall);
    const mean = noisy.reduce((a, b) => a + b, 0) / noisy.length;
    t.diagnostic(`50 % correct base types: sequence recall mean ${mean.toFixed(3)} over seeds ${NOISY_SEEDS.join(',')} (${noisy.map((r) => r.toFixed(3)).join(' ')})`);
    if (c.target) assert.ok(mean >= 0.8, `50 % correct: mean sequence recall ${mean.toFixed(3)} < 0.80`);
    assert.ok(mean >= c.guard, `50 % correct: mean sequence recall ${mean.toFixed(3)} (regression guard ${c.guard})`);
  });
}
