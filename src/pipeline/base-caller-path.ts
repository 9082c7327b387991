/** Where a base-caller card named in PipelineParams.baseCaller lives. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultModelsDir } from '../detect/registry.js';

/**
 * A path (contains a slash or ends in .json) is used as given; a bare name is `<modelsDir>/<name>.json`
 * (modelsDir: the detection models folder, else the package's models/).
 */
export function baseCallerPath(nameOrPath: string, modelsDir: string | null): string {
  if (/[\\/]/.test(nameOrPath) || nameOrPath.endsWith('.json')) return resolve(nameOrPath);
  const inDir = join(modelsDir ?? defaultModelsDir(), `${nameOrPath}.json`);
  // A custom models folder without base callers still finds the package's own.
  return modelsDir && !existsSync(inDir) ? join(defaultModelsDir(), `${nameOrPath}.json`) : inDir;
}
