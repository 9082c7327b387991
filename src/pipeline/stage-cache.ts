/**
 * Per-stage resume cache (`cryoread build --resume`): each finished stage's result is stored in
 * DIR/.cache/<stage>-<key>.v8 (node:v8 serialisation: typed arrays and nested plain objects
 * round-trip exactly). A stage's key is a SHA-256 chained over the stages before it:
 *   key(stage) = H(key(previous stage), stage name, JSON of the stage's parameters)
 *   key(start) = H(program version + hash of its code, cache format, bytes of every input file, model file bytes)
 * so changing a clustering parameter changes the cluster key and every later key, while the
 * detection key (and its cached maps) stays valid. Files are written atomically; one file per stage
 * is kept (the newest). An unreadable cache file is ignored and recomputed.
 *
 * CryoREAD's resume reuses whatever files are in the output folder, whatever changed; ours never does.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../util/atomic-write.js';

/** Bump when the stored shape of a stage result changes. */
export const CACHE_FORMAT = 1;

/** What runPipeline needs from a cache (see `StageCache`). */
export interface PipelineCache {
  /** Key of the inputs (files, program version, models): the start of the chain. */
  readonly baseKey: string;
  /** Reuse stored results (`--resume`); when false the cache is only written. */
  readonly read: boolean;
  load(stage: string, key: string): unknown | undefined;
  save(stage: string, key: string, value: unknown): void;
}

/** SHA-256 (hex) of several parts, each length-prefixed so that boundaries count. */
export function hashParts(parts: readonly (string | Uint8Array)[]): string {
  const h = createHash('sha256');
  for (const p of parts) {
    const b = typeof p === 'string' ? Buffer.from(p, 'utf8') : p;
    h.update(`${b.length}:`);
    h.update(b);
  }
  return h.digest('hex');
}

/** SHA-256 (hex) of a file's bytes, read in 16 MiB chunks. */
export function hashFile(path: string): string {
  const h = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(16 << 20);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      h.update(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}

/** JSON with object keys sorted (stable across property order). */
export function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) && !ArrayBuffer.isView(x)
    ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, (x as Record<string, unknown>)[k]]))
    : x));
}

/** Key of one stage from the previous key and the stage's parameters. */
export function stageKey(previousKey: string, stage: string, params: unknown): string {
  return hashParts([previousKey, stage, stableJson(params ?? null)]);
}

let versionCache: string | null = null;

/** Every file under `dir` (sorted, recursive) into the hash: path and bytes. */
function hashTree(h: ReturnType<typeof createHash>, dir: string, rel = ''): void {
  for (const e of readdirSync(join(dir, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const r = join(rel, e.name);
    if (e.isDirectory()) hashTree(h, dir, r);
    else if (e.isFile() && /\.(ts|js|json)$/.test(e.name)) { h.update(`${r}\n`); h.update(readFileSync(join(dir, r))); }
  }
}

/**
 * Program version for cache keys: package name@version plus a hash of the program's own code (the
 * src/ or dist/ folder this file runs from), so that a changed stage in a development checkout never
 * reuses results of the old code under the same version number.
 */
export function programVersion(): string {
  if (versionCache) return versionCache;
  let v = 'cryoread-ts@unknown';
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name?: string; version?: string };
    v = `${pkg.name}@${pkg.version}`;
  } catch {
    // keep 'unknown'
  }
  try {
    const h = createHash('sha256');
    hashTree(h, fileURLToPath(new URL('..', import.meta.url)));
    v += `+${h.digest('hex').slice(0, 16)}`;
  } catch {
    // no code folder to hash (bundled): the version alone
  }
  versionCache = v;
  return v;
}

/** Base key from input files, model files (hashed by content) and the program version. */
export function cacheBaseKey(inputFiles: readonly string[], modelFiles: readonly string[]): string {
  return hashParts([programVersion(), `format ${CACHE_FORMAT}`,
    ...inputFiles.map((f) => `input ${hashFile(f)}`), ...modelFiles.filter((f) => existsSync(f)).map((f) => `model ${hashFile(f)}`)]);
}

/** File-backed cache in one folder. */
export class StageCache implements PipelineCache {
  constructor(readonly dir: string, readonly baseKey: string, readonly read: boolean) {}

  private file(stage: string, key: string): string {
    return join(this.dir, `${stage}-${key.slice(0, 32)}.v8`);
  }

  load(stage: string, key: string): unknown | undefined {
    if (!this.read) return undefined;
    const f = this.file(stage, key);
    if (!existsSync(f)) return undefined;
    try {
      return deserialize(readFileSync(f));
    } catch {
      return undefined;
    }
  }

  save(stage: string, key: string, value: unknown): void {
    const f = this.file(stage, key);
    writeFileAtomic(f, serialize(value));
    for (const n of readdirSync(this.dir)) {
      if (n.startsWith(`${stage}-`) && n.endsWith('.v8') && join(this.dir, n) !== f) rmSync(join(this.dir, n), { force: true });
    }
  }

  /** Stages with a stored result (file names without key), for messages. */
  stored(): string[] {
    return existsSync(this.dir) ? readdirSync(this.dir).filter((n) => n.endsWith('.v8')).map((n) => n.replace(/-[0-9a-f]+\.v8$/, '')) : [];
  }
}
