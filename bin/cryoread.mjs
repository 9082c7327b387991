#!/usr/bin/env node
// Runs the TypeScript sources through tsx in a source checkout (so an edit is never hidden by a
// stale build), and the compiled dist/ when the sources are absent (an installed package).
// CRYOREAD_FROM_DIST=1 forces dist/ (after `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src', 'cli.ts');
const dist = join(root, 'dist', 'cli.js');
let cli;
if (existsSync(src) && process.env.CRYOREAD_FROM_DIST !== '1') {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(pathToFileURL(src).href);
} else {
  cli = await import(pathToFileURL(dist).href);
}
const code = await cli.main(process.argv.slice(2));
if (code === 130) {
  // Interrupted: end by SIGINT itself (the shell reports 130), which the kernel carries out at once;
  // process.exit would first wait for an onnxruntime batch still running in native code (its thread
  // pool is joined at exit). Fallback where SIGINT is ignored (background jobs): exit(130).
  const { exitInterrupted } = await import(pathToFileURL(existsSync(src) && process.env.CRYOREAD_FROM_DIST !== '1' ? join(root, 'src', 'cli', 'interrupt.ts') : join(root, 'dist', 'cli', 'interrupt.js')).href);
  exitInterrupted();
} else {
  process.exitCode = code;
}
