/**
 * refineWithEngine: one entry for every refinement engine (reference section 21):
 *   builtin   our real-space refinement (refine-model.ts), always available;
 *   phenix    one phenix.real_space_refine run;
 *   coot      one Coot per-residue refinement run;
 *   cryoread  CryoREAD's protocol: Phenix, Coot, Phenix (external.ts).
 * An external engine whose program is missing: one note naming it and where it was looked for, and
 * the built-in engine runs instead. A program that fails, times out or writes nothing: the last good
 * cycle is kept and the steps say so. The input structure is never modified.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Structure } from '../structure/model.js';
import type { Volume } from '../grid/volume.js';
import { writeMrc } from '../io/mrc.js';
import { readStructure } from '../io/structure-file.js';
import { AbortError, InputError } from '../util/errors.js';
import { report, throwIfAborted, type StageContext } from '../util/progress.js';
import { refineModel, type RefineParams, type RefineResult } from './refine-model.js';
import { findCoot, findPhenix, runExternalProtocol, PHENIX_PROGRAM, COOT_PROGRAM, type ExternalStep, type ToolSearch } from './external.js';

export const REFINE_ENGINES = ['builtin', 'phenix', 'coot', 'cryoread'] as const;
export type RefineEngine = (typeof REFINE_ENGINES)[number];

export interface EngineParams extends Partial<RefineParams> {
  engine: RefineEngine;
  resolutionA: number;
  /** Where tools are looked for (--phenix, --coot, environment). */
  tools?: ToolSearch;
  /** Per-program time limit in seconds (0 = none). @default 3600 */
  toolTimeoutS?: number;
  /** Folder for Refine_cycle*.pdb, the map copy, scripts and logs (default: a new temporary folder). */
  workDir?: string;
  /** Remove OP3 after the first Phenix run (the build pipeline does). @default false */
  removeOP3?: boolean;
}

export interface EngineResult {
  structure: Structure;
  /** Engine asked for, and the one that produced `structure`. */
  requested: RefineEngine;
  used: RefineEngine;
  notes: string[];
  /** External programs' steps (empty for builtin). */
  steps: ExternalStep[];
  /** Built-in engine details (per-iteration metrics) when it ran. */
  builtin: RefineResult | null;
  /** Cycle file of the result for external engines (Refine_cycleN.pdb). */
  finalCyclePath: string | null;
  workDir: string | null;
  seconds: number;
}

/** Smallest positive voxel value (CryoREAD sets Coot's contour there). */
function smallestPositive(v: Volume): number {
  let m = Infinity;
  for (let i = 0; i < v.data.length; i++) { const x = v.data[i]; if (x > 0 && x < m) m = x; }
  return Number.isFinite(m) ? m : 0;
}

export async function refineWithEngine(structure: Structure, volume: Volume, params: EngineParams, ctx?: StageContext): Promise<EngineResult> {
  const t0 = performance.now();
  const { engine, tools, toolTimeoutS = 3600, workDir: wd, removeOP3 = false, ...builtinParams } = params;
  if (!(REFINE_ENGINES as readonly string[]).includes(engine)) throw new InputError('REFINE_ENGINE', `refine: engine '${engine}' unknown; use one of ${REFINE_ENGINES.join(', ')}`);
  const notes: string[] = [];
  const builtin = async (): Promise<EngineResult> => {
    const r = await refineModel(structure, volume, builtinParams, ctx);
    return { structure: r.structure, requested: engine, used: 'builtin', notes: [...notes, ...r.notes], steps: [], builtin: r, finalCyclePath: null, workDir: null, seconds: (performance.now() - t0) / 1000 };
  };
  if (engine === 'builtin') return builtin();
  const phenix = engine === 'coot' ? null : findPhenix(tools);
  const coot = engine === 'phenix' ? null : findCoot(tools);
  const missing = [phenix && !phenix.path ? `${PHENIX_PROGRAM} not found (looked in ${phenix.searched.join(', ')})` : null, coot && !coot.path ? `${COOT_PROGRAM} not found (looked in ${coot.searched.join(', ')})` : null].filter(Boolean) as string[];
  if (missing.length) {
    notes.push(`${missing.join('; ')}: the built-in engine ran instead of '${engine}'`);
    return builtin();
  }
  const workDir = wd ?? mkdtempSync(join(tmpdir(), 'cryoread-refine-'));
  mkdirSync(workDir, { recursive: true });
  const mapPath = join(workDir, 'refine_map.mrc');
  writeMrc(mapPath, volume, { labels: ['cryoread-ts refinement map'] });
  throwIfAborted(ctx, 'refine/external');
  let n = 0;
  const plan = engine === 'cryoread' ? 3 : 1;
  const res = await runExternalProtocol({
    engine, workDir, model: structure, mapPath, resolutionA: params.resolutionA, phenix: phenix?.path ?? null, coot: coot?.path ?? null,
    timeoutS: toolTimeoutS, removeOP3, contour: smallestPositive(volume), signal: ctx?.signal,
    onStep: (s) => report(ctx, 'refine/external', ++n, plan, s.message),
  });
  if (ctx?.signal?.aborted) throw new AbortError('refine/external');
  for (const s of res.steps) if (s.status !== 'ok') notes.push(s.message);
  if (res.finalCycle === 0) notes.push(`no refinement cycle succeeded: the result is the unrefined model`);
  const refined = readStructure(res.finalPath);
  return {
    structure: refined, requested: engine, used: engine, notes, steps: res.steps, builtin: null,
    finalCyclePath: res.finalPath, workDir, seconds: (performance.now() - t0) / 1000,
  };
}
