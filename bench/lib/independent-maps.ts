/**
 * Shared by the benches that judge on maps we did not make (real-density, base-caller): the
 * independent-generator maps (gemmi's electron-scattering density calculator, training/make-independent-maps.py)
 * of the held-out structures, made on first use into bench/data/independent (git-ignored), and a
 * detection stage that caches each map's detection result (node:v8) so reruns skip the network.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { detectStage } from '../../src/pipeline/stages.js';
import type { DetectionResult } from '../../src/detect/params.js';
import type { RunPipelineOptions } from '../../src/pipeline/run-pipeline.js';
import { writeFileAtomic } from '../../src/util/atomic-write.js';
import { VALIDATION, INDEPENDENT_TEST } from '../../training/split.js';

export interface IndependentMap {
  /** Reference structure file under shared/data/structures. */
  file: string;
  /** Map path. */
  map: string;
  resolutionA: number;
  /** 'all': a validation structure (no model trained on it); 'v2': held out from cryoread-ts-v2 only. */
  heldOutFrom: 'all' | 'v2';
}

/** The independent-generator maps of VALIDATION + INDEPENDENT_TEST at `resolutionsA`, made when missing. */
export function independentMaps(shared: string, resolutionsA: readonly number[]): IndependentMap[] {
  const dir = resolve('bench/data/independent');
  const files = [...VALIDATION, ...INDEPENDENT_TEST];
  const indexPath = join(dir, 'index.json');
  type Index = { maps: { file: string; resolutionA: number; map: string }[] };
  const have = existsSync(indexPath) ? (JSON.parse(readFileSync(indexPath, 'utf8')) as Index).maps : [];
  if (!files.every((f) => resolutionsA.every((r) => have.some((m) => m.file === f && m.resolutionA === r)))) {
    mkdirSync(dir, { recursive: true });
    process.stderr.write(`making independent-generator maps in ${dir} (gemmi) ...\n`);
    execFileSync('/usr/bin/python3', ['training/make-independent-maps.py', '--structures', join(shared, 'structures'), '--out', dir, '--files', files.join(','), '--resolutions', resolutionsA.join(',')], { stdio: ['ignore', 'inherit', 'inherit'] });
  }
  const index = JSON.parse(readFileSync(indexPath, 'utf8')) as Index;
  return index.maps
    .filter((m) => resolutionsA.includes(m.resolutionA) && files.includes(m.file))
    .map((m) => ({ file: m.file, map: join(dir, m.map), resolutionA: m.resolutionA, heldOutFrom: VALIDATION.includes(m.file) ? 'all' as const : 'v2' as const }));
}

/** Pipeline hooks whose detection is read from / written to `cacheFile` (null: no cache, no hooks). */
export function cachedDetection(cacheFile: string | null): RunPipelineOptions {
  if (!cacheFile) return {};
  return {
    detect: async (prepared, p, ctx) => {
      if (existsSync(cacheFile)) return deserialize(readFileSync(cacheFile)) as DetectionResult;
      const d = await detectStage(prepared, p, ctx);
      writeFileAtomic(cacheFile, serialize(d));
      return d;
    },
  };
}
