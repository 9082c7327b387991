/**
 * `cryoread build --refine`: refinement of the built model inside the build (reference section 21,
 * CryoREAD mode 0): the map is CryoREAD's mask map (section 7, from the run's probability maps), the
 * unrefined model is kept as CryoREAD_norefine.pdb/.cif, external engines leave Refine_cycle0..3.pdb
 * in the output folder (OP3 removed after the first Phenix run, as CryoREAD does), and the final
 * model replaces result.structure (so CryoREAD.pdb is the refined one). Without Phenix/Coot the
 * built-in engine runs (refine/engines.ts).
 */
import { join } from 'node:path';
import type { Volume } from '../grid/volume.js';
import { writeMrc } from '../io/mrc.js';
import { writeStructure } from '../io/structure-file.js';
import type { StageContext } from '../util/progress.js';
import { report } from '../util/progress.js';
import type { BuiltStructure } from '../build/build-atoms.js';
import { maskMap } from '../refine/mask-map.js';
import { refineAndValidate, type RefineReport } from '../refine/report.js';
import type { EngineParams } from '../refine/engines.js';
import type { PipelineParams } from './params.js';
import type { PipelineResult } from './types.js';

export const NOREFINE_MODEL_NAME = 'CryoREAD_norefine';

/** Refines result.structure in place of itself; returns the report for summary.json (without the per-iteration list). */
export async function refineBuiltModel(result: PipelineResult, map: Volume, params: PipelineParams, engine: Omit<EngineParams, 'resolutionA' | 'workDir'>, outDir: string, ctx?: StageContext): Promise<Omit<RefineReport, 'iterations'> & { iterations: number; files: string[] }> {
  const built = result.structure as BuiltStructure;
  report(ctx, 'pipeline/refine', 0, 1, 'start');
  const t0 = performance.now();
  const masked = maskMap(map, result.probabilities, { contour: params.prepare.contour ?? 0 });
  const files = [join(outDir, 'mask_map.mrc'), join(outDir, `${NOREFINE_MODEL_NAME}.pdb`)];
  writeMrc(files[0], masked, { labels: ['cryoread-ts mask map (refinement)'] });
  const norefine = writeStructure(files[1], built, { remarks: [...(built.remarks ?? []), 'unrefined model (cryoread build --refine)'], fallbackToMmcif: true });
  files[1] = norefine;
  const { result: r, report: rep } = await refineAndValidate(built, masked, { ...engine, resolutionA: params.resolutionA, workDir: outDir, removeOP3: true }, ctx);
  const refined = Object.assign(r.structure, {
    remarks: [...(built.remarks ?? []), `refined by cryoread-ts (engine ${r.used}) against mask_map.mrc at ${params.resolutionA} A`],
    removedResidues: built.removedResidues,
  }) as BuiltStructure;
  result.structure = refined;
  result.notes.push(...rep.notes.map((n) => `refine: ${n}`));
  result.timings.push({ stage: 'refine', seconds: (performance.now() - t0) / 1000, residues: refined.chains.reduce((n, c) => n + c.residues.length, 0) });
  report(ctx, 'pipeline/refine', 1, 1);
  return { ...rep, iterations: rep.iterations.length, files };
}
