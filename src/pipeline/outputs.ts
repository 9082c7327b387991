/**
 * Writes a pipeline result under an output folder with CryoREAD's names (reference section 2/20):
 *   CryoREAD.pdb + .cif            final model
 *   CryoREAD_noseq.pdb + .cif      geometry-only model (when a sequence stage assigned residues)
 *   CryoREAD_seqonly.pdb + .cif    assigned fragments only (idem)
 *   2nd_stage_detection/chain_{sugar,phosphate,A,UT,C,G,protein,base}_prob.mrc (+ 1st_stage_detection/)
 *   summary.json                   parameters, timings, counts, notes, file list
 * Every file is written under a temporary name and renamed (never a half-written CryoREAD.pdb).
 */
import { join } from 'node:path';
import { writeStructure } from '../io/structure-file.js';
import { writeMrc } from '../io/mrc.js';
import { resampleOntoFrame } from '../grid/resample.js';
import type { GridFrame } from '../grid/volume.js';
import { writeDetectionMaps, STAGE2_DIR } from '../detect/write-maps.js';
import { PROBABILITY_CHANNELS, ProbabilityMaps } from '../grid/probability-maps.js';
import { Structure } from '../structure/model.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { BuiltStructure } from '../build/build-atoms.js';
import type { PipelineParams } from './params.js';
import type { PipelineResult } from './types.js';
import { chainRemarks, chainReport, modelEntities } from './model-chains.js';
import { residueQualityCsv } from './residue-quality.js';

/** Splits a remark into lines of <= 68 characters at spaces (PDB REMARK text is 69 columns). */
function wrapRemark(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (const w of text.split(' ')) {
    if (cur && cur.length + 1 + w.length > 68) { out.push(cur); cur = ' ' + w; } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) out.push(cur);
  return out;
}
import { PACKAGE_VERSION } from '../util/version.js';

export const FINAL_MODEL_NAME = 'CryoREAD';

/** Writes the 8 stage-2 channels as `<dir>/chain_<channel>_prob.mrc`, on `outFrame` (the input map's grid) when given, else on the probability grid. */
export function writeProbabilityMaps(dir: string, prob: ProbabilityMaps, outFrame?: GridFrame): string[] {
  return PROBABILITY_CHANNELS.map((ch) => {
    const path = join(dir, `chain_${ch}_prob.mrc`);
    const v = ProbabilityMaps.channel(prob, ch);
    writeMrc(path, outFrame ? resampleOntoFrame(v, outFrame) : v, { labels: [`cryoread-ts ${ch} probability`], nstartFromOrigin: true });
    return path;
  });
}

function writeModel(outDir: string, stem: string, s: BuiltStructure, header: string[], result: PipelineResult, params: PipelineParams): string[] {
  const remarks = [...header, ...s.remarks, ...chainRemarks(chainReport(s))];
  const cifOpts = { blockName: stem, entities: modelEntities(s, result.fasta), ...modelFileInfo(params) };
  const pdb = writeStructure(join(outDir, `${stem}.pdb`), s, { remarks, fallbackToMmcif: true, ...cifOpts });
  const cif = join(outDir, `${stem}.cif`);
  return pdb === cif ? [cif] : [pdb, writeStructure(cif, s, { remarks, ...cifOpts })];
}

/** Method, resolution and software records of the model files. */
function modelFileInfo(params: PipelineParams) {
  return { method: 'ELECTRON MICROSCOPY', resolutionA: params.resolutionA, software: [{ name: 'cryoread-ts', version: PACKAGE_VERSION, classification: 'model building' }] };
}

export interface WriteOutputsOptions {
  /** Map file name for the summary. */
  mapSource?: string;
  /** Extra key/values for summary.json (e.g. evaluation metrics, CLI arguments). */
  extraSummary?: Record<string, unknown>;
  /** Write the stage-2 probability maps. @default true */
  writeMaps?: boolean;
}

export interface OutputFiles {
  files: string[];
  summaryPath: string;
  modelPath: string | null;
}

/** The JSON summary of a run (also returned so callers can print it). */
export function pipelineSummary(result: PipelineResult, params: PipelineParams, opts: WriteOutputsOptions = {}): Record<string, unknown> {
  const count = (s: Structure | null) => (s ? { chains: s.chains.length, residues: s.chains.reduce((n, c) => n + c.residues.length, 0), atoms: Structure.atomCount(s) } : null);
  return {
    tool: 'cryoread-ts build',
    map: opts.mapSource ?? null,
    resolutionA: params.resolutionA,
    detection: result.timings.some((t) => t.stage === 'oracle') ? 'oracle' : 'network',
    predictionOnly: params.predictionOnly,
    sequence: result.sequence,
    model: count(result.structure),
    noseqModel: count(result.noseqStructure),
    seqOnlyModel: count(result.seqOnlyStructure),
    chains: result.structure ? chainReport(result.structure) : null,
    quality: result.quality ? { ...result.quality.summary, confidence: 'B-factor = 20 + 80 (1 - confidence); confidence = logistic model of a correct residue (local map-model CC, map value, sugar/base detection, base-call probability, assigned); per residue in CryoREAD_residues.csv' } : null,
    // Searches stop on counts (deterministic); a wall-clock budget only when asked, and then this says whether it cut.
    search: result.trace ? { routing: { rounds: result.trace.routing.rounds, maxRounds: result.trace.routing.maxRounds, stoppedBy: result.trace.routing.stoppedBy ?? 'rounds' }, cutByTimeBudget: result.trace.routing.stoppedBy === 'time' } : null,
    nodes: result.clusters ? Object.fromEntries(Object.entries(result.clusters.nodes).map(([k, v]) => [k, v.count])) : null,
    paths: result.paths ? result.paths.map((p) => p.nodes.length) : null,
    timings: result.timings.map((t) => ({ ...t, seconds: Math.round(t.seconds * 1000) / 1000 })),
    notes: result.notes,
    params,
    ...opts.extraSummary,
  };
}

export function writePipelineOutputs(result: PipelineResult, params: PipelineParams, outDir: string, opts: WriteOutputsOptions = {}): OutputFiles {
  const files: string[] = [];
  if (opts.writeMaps ?? true) {
    // Network: both stages through src/detect; oracle: the 8 stage-2 channels under the same names.
    // On the input map's grid (resampled back from the 1 A working grid) when there was an input map.
    const onto = result.inputFrame ?? undefined;
    if (result.detection && result.prepared) files.push(...writeDetectionMaps(outDir, result.detection, result.prepared.normalised, onto));
    else files.push(...writeProbabilityMaps(join(outDir, STAGE2_DIR), result.probabilities, onto));
  }
  // Short lines: PDB REMARK text has 69 columns.
  const header = [
    `cryoread-ts de novo model${result.timings.some((t) => t.stage === 'oracle') ? ' (oracle probabilities)' : ''}`,
    `map: ${(opts.mapSource ?? '-').slice(-60)}`,
    result.sequence.used ? `sequence assigned from the FASTA (${result.sequence.mode} rules)` : 'built without sequence',
    ...(result.sequence.requested && !result.sequence.used ? ['FASTA given but not used: see notes in summary.json'] : []),
    ...(result.quality ? wrapRemark(`model quality: ${result.quality.summary.line}`) : []),
  ];
  let modelPath: string | null = null;
  if (result.structure) {
    const written = writeModel(outDir, FINAL_MODEL_NAME, result.structure, header, result, params);
    modelPath = written[0];
    files.push(...written);
  }
  if (result.noseqStructure) files.push(...writeModel(outDir, `${FINAL_MODEL_NAME}_noseq`, result.noseqStructure, ['geometry-only model (no sequence)'], result, params));
  if (result.seqOnlyStructure) files.push(...writeModel(outDir, `${FINAL_MODEL_NAME}_seqonly`, result.seqOnlyStructure, ['sequence-assigned fragments only'], result, params));
  if (result.quality) {
    // Per-residue reference-free quality (residue-quality.ts), one row per residue of CryoREAD.pdb.
    const csv = join(outDir, `${FINAL_MODEL_NAME}_residues.csv`);
    writeFileAtomic(csv, residueQualityCsv(result.quality.residues));
    files.push(csv);
  }
  const summaryPath = join(outDir, 'summary.json');
  files.push(summaryPath);
  const summary = { ...pipelineSummary(result, params, opts), files };
  writeFileAtomic(summaryPath, JSON.stringify(summary, null, 2) + '\n');
  return { files, summaryPath, modelPath };
}
