/**
 * The whole pipeline with the shipped detection model and base caller on the bundled example map
 * (6V5B chain D simulated at 3.7 A) with its FASTA, as `npm start` runs it: every stage in order, the
 * base caller and template base placement in effect, and quality floors against the deposited
 * structure (measured values minus a margin, printed as diagnostics).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { readMrc } from '../../src/io/mrc.js';
import { readFasta } from '../../src/io/fasta.js';
import { readStructure } from '../../src/io/structure-file.js';
import { runPipeline } from '../../src/pipeline/run-pipeline.js';
import { assignSequenceStage } from '../../src/pipeline/sequence-hook.js';
import { evaluateModel } from '../../src/evaluate/index.js';
import { sharedDataOrSkip, sharedPath } from '../helpers/shared-data.js';

const EXAMPLE = fileURLToPath(new URL('../../example/', import.meta.url));

test('network pipeline on the bundled example: stages, base caller, template base placement, quality floors', { timeout: 600_000 }, async (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const reference = readStructure(sharedPath(dir, 'structures', 'cryoread_6v5b_drna.pdb'));
  const map = readMrc(`${EXAMPLE}6v5b_sim_3.7A.mrc`).volume;
  const r = await runPipeline({ map, fasta: readFasta(`${EXAMPLE}21051.fasta`), sequenceStage: assignSequenceStage }, { resolutionA: 3.7, seed: 1 });
  assert.deepEqual(r.timings.map((x) => x.stage), ['prepare', 'detect', 'cluster', 'trace', 'bases', 'sequence', 'build']);
  assert.ok(r.notes.some((n) => /^bases: base types of \d+ traced nodes read from the map by base-caller-v1/.test(n)), r.notes.join('\n'));
  assert.ok(r.paths!.every((p) => p.nodes.every((n) => n.baseA === null)), 'template base placement: no detected base anchors');
  assert.equal(r.sequence.mode, 'strict');
  const m = evaluateModel(r.structure!, reference);
  t.diagnostic(`coverage ${m.coverage.toFixed(3)} precision ${m.precision.toFixed(3)} sequence recall ${m.sequenceRecall.toFixed(3)} RMSD ${m.rmsdA.toFixed(2)} P recall ${m.pRecall3A.toFixed(3)} clashes/1000 ${m.clashesPer1000.toFixed(1)}`);
  // Measured 2026-11-30: 0.962 / 0.986 / 0.526 / 2.29 A / 0.667 / 53.
  assert.ok(m.coverage >= 0.9, `coverage ${m.coverage}`);
  assert.ok(m.precision >= 0.93, `precision ${m.precision}`);
  assert.ok(m.sequenceRecall >= 0.42, `sequence recall ${m.sequenceRecall} (detection evidence only: 0.41)`);
  assert.ok(m.rmsdA <= 2.7, `RMSD ${m.rmsdA}`);
  assert.ok(m.pRecall3A >= 0.55, `P recall ${m.pRecall3A}`);
  assert.ok(m.clashesPer1000 <= 90, `clashes ${m.clashesPer1000}`);
});
