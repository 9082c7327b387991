/** The package version from package.json (for _software records and summaries). */
import { readFileSync } from 'node:fs';

function readVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? '?';
  } catch {
    return '?';
  }
}

export const PACKAGE_VERSION: string = readVersion();
