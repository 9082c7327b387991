/**
 * Model registry: every `models/<name>/model.json` is a model. Chosen by name (or folder path), or
 * by map resolution like CryoREAD §1, except that an explicit name is never silently overridden
 * (CryoREAD replaces -M by the 0-3 A / 5-10 A model from the resolution alone; here a name wins and
 * a resolution outside its range only adds a warning).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModelError } from '../util/errors.js';
import { MODEL_CARD_FILE, readModelCard, type ModelCard } from './model-card.js';
import { DetectionModel } from './onnx-model.js';

export interface ModelEntry {
  name: string;
  /** Absolute folder path. */
  dir: string;
  card: ModelCard;
}

export interface LoadModelOptions {
  /** Folder holding one sub-folder per model. @default <package>/models, or $CRYOREAD_MODELS_DIR */
  modelsDir?: string;
  /** Map resolution (A): picks the model whose range holds it when no name is given. */
  resolutionA?: number;
  /** Intra-op threads per onnxruntime session. @default os.availableParallelism() */
  threads?: number;
  /** onnxruntime CPU memory arena (faster by a few %, ~1 GB more resident memory). @default false */
  memoryArena?: boolean;
}

/** `<package root>/models` (this file sits in src/detect/ or dist/detect/), unless $CRYOREAD_MODELS_DIR is set. */
export function defaultModelsDir(): string {
  if (process.env.CRYOREAD_MODELS_DIR) return resolve(process.env.CRYOREAD_MODELS_DIR);
  return fileURLToPath(new URL('../../models/', import.meta.url));
}

/** Every model folder (a sub-folder with model.json) under `modelsDir`, sorted by name. Bad cards throw. */
export function listModels(modelsDir: string = defaultModelsDir()): ModelEntry[] {
  if (!existsSync(modelsDir)) return [];
  const out: ModelEntry[] = [];
  for (const name of readdirSync(modelsDir).sort()) {
    const dir = resolve(modelsDir, name);
    if (!statSync(dir).isDirectory() || !existsSync(join(dir, MODEL_CARD_FILE))) continue;
    out.push({ name, dir, card: readModelCard(dir) });
  }
  return out;
}

const inRange = (card: ModelCard, r: number): boolean => r >= card.resolutionRangeA[0] && r <= card.resolutionRangeA[1];
const rangeText = (e: ModelEntry): string => `${e.name} (${e.card.resolutionRangeA.join('-')} A${e.card.placeholder ? ', placeholder' : ''})`;

/**
 * Picks a model entry. With `nameOrDir`: that folder path (when it holds model.json) or that name under
 * modelsDir. Without: among the models whose resolution range holds `resolutionA`, trained before
 * placeholder, then models no other card supersedes ("supersedes" in model.json), then the narrowest range, then by name (a map finer than every range gets the models
 * with the finest lower limit, and a warning); with no resolution, trained first, then the widest
 * range, then by name.
 */
export function selectModel(nameOrDir: string | undefined, opts: LoadModelOptions = {}): { entry: ModelEntry; warnings: string[] } {
  const modelsDir = opts.modelsDir ?? defaultModelsDir();
  const r = opts.resolutionA;
  if (r !== undefined && !(r > 0 && Number.isFinite(r))) {
    throw new ModelError('MODEL_RESOLUTION', `loadDetectionModel: resolutionA = ${r} must be a positive resolution in Angstroms`);
  }
  const warnings: string[] = [];
  let entry: ModelEntry;
  if (nameOrDir !== undefined) {
    const asDir = isAbsolute(nameOrDir) || nameOrDir.includes('/') || nameOrDir.includes('\\') ? resolve(nameOrDir) : resolve(modelsDir, nameOrDir);
    if (!existsSync(join(asDir, MODEL_CARD_FILE))) {
      const names = listModels(modelsDir).map((e) => e.name);
      const file = join(asDir, MODEL_CARD_FILE);
      throw new ModelError('MODEL_NOT_FOUND', `${file}: model "${nameOrDir}" not found; available in ${modelsDir}: ${names.join(', ') || 'none'}`, file);
    }
    entry = { name: basename(asDir), dir: asDir, card: readModelCard(asDir) };
    if (r !== undefined && !inRange(entry.card, r)) {
      warnings.push(`model ${entry.name} was trained for ${entry.card.resolutionRangeA.join('-')} A maps but the map is at ${r} A; kept because it was asked for by name`);
    }
  } else {
    const all = listModels(modelsDir);
    if (all.length === 0) {
      throw new ModelError('MODEL_NONE', `${modelsDir}: no model folders (each needs model.json, stage1.onnx, stage2.onnx); give modelsDir or install the models`, modelsDir);
    }
    const width = (e: ModelEntry) => e.card.resolutionRangeA[1] - e.card.resolutionRangeA[0];
    const byTrained = (a: ModelEntry, b: ModelEntry) => Number(a.card.placeholder) - Number(b.card.placeholder);
    // a card may name the models it replaces (model.json "supersedes": ["cryoread-ts-v1"]): those rank after it
    const supersededBy = (e: ModelEntry) => all.some((o) => o !== e && Array.isArray(o.card.extra.supersedes) && (o.card.extra.supersedes as unknown[]).includes(e.name));
    const bySuccession = (a: ModelEntry, b: ModelEntry) => Number(supersededBy(a)) - Number(supersededBy(b));
    if (r !== undefined) {
      let fit = all.filter((e) => inRange(e.card, r));
      const finest = Math.min(...all.map((e) => e.card.resolutionRangeA[0]));
      if (fit.length === 0 && r < finest) {
        // A map finer than every model's range: the models that reach furthest towards it. A finer
        // map holds at least the detail a model trained at `finest` saw; CryoREAD would stop here.
        fit = all.filter((e) => e.card.resolutionRangeA[0] === finest);
        warnings.push(`the map (${r} A) is finer than every detection model's range (finest ${finest} A): using the nearest, ${fit.map(rangeText).join(' / ')}; detection was not trained on this much detail`);
      }
      if (fit.length === 0) {
        throw new ModelError('MODEL_RESOLUTION', `${modelsDir}: no model covers ${r} A (have ${all.map(rangeText).join(', ')}); name a model explicitly to use it anyway`, modelsDir);
      }
      fit.sort((a, b) => byTrained(a, b) || bySuccession(a, b) || width(a) - width(b) || a.name.localeCompare(b.name));
      entry = fit[0];
    } else {
      all.sort((a, b) => byTrained(a, b) || bySuccession(a, b) || width(b) - width(a) || a.name.localeCompare(b.name));
      entry = all[0];
    }
  }
  if (entry.card.placeholder) warnings.push(`model ${entry.name} has placeholder (randomly initialised) weights: its probabilities are meaningless`);
  return { entry, warnings };
}

/** Selects a model (see `selectModel`) and opens its two onnxruntime sessions. */
export async function loadDetectionModel(nameOrDir?: string, opts: LoadModelOptions = {}): Promise<DetectionModel> {
  const { entry, warnings } = selectModel(nameOrDir, opts);
  const model = await DetectionModel.open(entry.dir, entry.card, { threads: opts.threads, memoryArena: opts.memoryArena });
  model.warnings.push(...warnings);
  return model;
}
