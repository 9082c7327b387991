/**
 * Opens the resume cache of a build (stage-cache.ts) in DIR/.cache: the base key covers the input
 * files' bytes, the program version and the bytes of the model files the parameters select (the
 * detection model's card and ONNX files, the base-caller card).
 */
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { selectModel } from '../detect/registry.js';
import { baseCallerPath } from './base-caller-path.js';
import { cacheBaseKey, StageCache } from './stage-cache.js';
import type { PipelineParams } from './params.js';

/** Model files whose bytes a build's results depend on. */
export function modelFilesFor(p: PipelineParams): string[] {
  const files: string[] = [];
  try {
    const { entry } = selectModel(p.detection.modelName ?? undefined, { resolutionA: p.resolutionA, ...(p.detection.modelsDir ? { modelsDir: p.detection.modelsDir } : {}) });
    files.push(...readdirSync(entry.dir).sort().map((n) => join(entry.dir, n)).filter((f) => statSync(f).isFile()));
  } catch {
    // Oracle runs need no model; a missing model fails in preflight or detection with its own message.
  }
  if (p.baseCaller) files.push(baseCallerPath(p.baseCaller, p.detection.modelsDir ?? null));
  return files;
}

export function openBuildCache(cacheDir: string, inputFiles: readonly string[], params: PipelineParams, read: boolean): StageCache {
  mkdirSync(cacheDir, { recursive: true });
  return new StageCache(cacheDir, cacheBaseKey(inputFiles, modelFilesFor(params)), read);
}
