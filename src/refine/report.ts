/**
 * refineAndValidate: refine with any engine (engines.ts) and validate the model before and after
 * (validate.ts) against the same map: the record `cryoread refine` writes as OUT.json, `cryoread
 * build --refine` puts in summary.json, and a notebook can tabulate.
 */
import type { Structure } from '../structure/model.js';
import type { Volume } from '../grid/volume.js';
import type { StageContext } from '../util/progress.js';
import { refineWithEngine, type EngineParams, type EngineResult } from './engines.js';
import { validateModel, type ValidationSummary } from './validate.js';
import type { RefineCycle, RefineIteration } from './refine-model.js';
import type { ExternalStep } from './external.js';

export interface RefineReport {
  engine: { requested: string; used: string };
  resolutionA: number;
  notes: string[];
  steps: ExternalStep[];
  before: Omit<ValidationSummary, 'worstClashes'>;
  after: Omit<ValidationSummary, 'worstClashes'>;
  cycles: RefineCycle[];
  iterations: RefineIteration[];
  mapWeight: number | null;
  seconds: number;
}

function summary(s: Structure, map: Volume, resolutionA: number): Omit<ValidationSummary, 'worstClashes'> {
  const { worstClashes: _w, ...rest } = validateModel(s, map, { resolutionA }).summary;
  return rest;
}

export async function refineAndValidate(structure: Structure, map: Volume, params: EngineParams, ctx?: StageContext): Promise<{ result: EngineResult; report: RefineReport }> {
  const before = summary(structure, map, params.resolutionA);
  const result = await refineWithEngine(structure, map, params, ctx);
  const after = summary(result.structure, map, params.resolutionA);
  return {
    result,
    report: {
      engine: { requested: result.requested, used: result.used }, resolutionA: params.resolutionA, notes: result.notes, steps: result.steps,
      before, after, cycles: result.builtin?.cycles ?? [], iterations: result.builtin?.iterations ?? [], mapWeight: result.builtin?.mapWeight ?? null, seconds: result.seconds,
    },
  };
}

/** Before/after table of a report. */
export function formatRefineReport(r: RefineReport): string {
  const f = (x: number | null, d: number) => (x === null ? 'n/a' : x.toFixed(d));
  const rows: [string, string, string][] = [
    ['bond RMSD (A)', f(r.before.bondRmsdA, 4), f(r.after.bondRmsdA, 4)],
    ['bond outliers', String(r.before.bondOutliers), String(r.after.bondOutliers)],
    ['angle RMSD (deg)', f(r.before.angleRmsdDeg, 2), f(r.after.angleRmsdDeg, 2)],
    ['angle outliers', String(r.before.angleOutliers), String(r.after.angleOutliers)],
    ['clashes / 1000 atoms', f(r.before.clashesPer1000, 1), f(r.after.clashesPer1000, 1)],
    ['chirality errors', String(r.before.chiralityErrors), String(r.after.chiralityErrors)],
    ['chain breaks', String(r.before.chainBreaks), String(r.after.chainBreaks)],
    ['map CC (mask)', f(r.before.mapCC, 3), f(r.after.mapCC, 3)],
  ];
  const lines = [`engine ${r.engine.used}${r.engine.used !== r.engine.requested ? ` (asked: ${r.engine.requested})` : ''}, ${r.seconds.toFixed(1)} s`, `${''.padEnd(22)} ${'before'.padStart(8)} ${'after'.padStart(8)}`];
  for (const [k, b, a] of rows) lines.push(`${k.padEnd(22)} ${b.padStart(8)} ${a.padStart(8)}`);
  return lines.join('\n');
}
