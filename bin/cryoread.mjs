#!/usr/bin/env node
// Runs the compiled CLI from dist/ when it exists (after `npm run build`), else the TypeScript
// sources through tsx, so a fresh `npm ci` clone works without a build step.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist', 'cli.js');
let cli;
if (existsSync(dist) && process.env.CRYOREAD_FROM_SOURCE !== '1') {
  cli = await import(pathToFileURL(dist).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(pathToFileURL(join(root, 'src', 'cli.ts')).href);
}
const code = await cli.main(process.argv.slice(2));
process.exitCode = code;
