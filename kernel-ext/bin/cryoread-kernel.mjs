#!/usr/bin/env node
// cryoread-kernel: Jupyter kernel (tslab + comms/widgets) and kernelspec installer.
// Runs the TypeScript sources through tsx, so a fresh `npm ci` clone works without a build step.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const { register } = await import('tsx/esm/api');
register();
const cli = await import(pathToFileURL(join(here, '..', 'src', 'cli.ts')).href);
const code = await cli.main(process.argv.slice(2));
if (code >= 0) process.exitCode = code;
