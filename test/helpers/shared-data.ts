/**
 * Locates ../shared/data (real structures and maps). Tests that need it call `sharedDataOrSkip(t)`:
 * without the folder they skip with a clear message, except in CI (CRYOREAD_REQUIRE_SHARED=1)
 * where a missing folder fails the test.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestContext } from 'node:test';

export function sharedDataDir(): string | null {
  const candidates = [process.env.CRYOREAD_SHARED_DATA, resolve(process.cwd(), '..', 'shared', 'data')].filter(Boolean) as string[];
  for (const c of candidates) if (existsSync(join(c, 'MANIFEST.md'))) return c;
  return null;
}

/** Returns the shared data folder, or skips the test (fails in CI) when it is absent. */
export function sharedDataOrSkip(t: TestContext): string | null {
  const dir = sharedDataDir();
  if (dir) return dir;
  const msg = 'needs ../shared/data (real structures and maps), which is absent';
  if (process.env.CRYOREAD_REQUIRE_SHARED === '1') throw new Error(`${msg}; CRYOREAD_REQUIRE_SHARED=1 makes this a failure`);
  t.skip(msg);
  return null;
}

export function sharedPath(dir: string, ...parts: string[]): string {
  return join(dir, ...parts);
}
