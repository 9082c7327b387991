/**
 * The tslab internals the launcher builds on. tslab is pinned to an exact version in package.json;
 * test/kernel-ext/hook-surface.test.ts checks that every name used here still exists.
 */
import { createRequire } from 'node:module';
import type * as JupyterModule from 'tslab/dist/jupyter.js';
import type * as ExecutorModule from 'tslab/dist/executor.js';
import type * as ConverterModule from 'tslab/dist/converter.js';

const requireFromHere = createRequire(import.meta.url);

export const tslabJupyter = requireFromHere('tslab/dist/jupyter') as typeof JupyterModule;
export const tslabExecutor = requireFromHere('tslab/dist/executor') as typeof ExecutorModule;
export const tslabConverter = requireFromHere('tslab/dist/converter') as typeof ConverterModule;
export const tslabVersion = (requireFromHere('tslab/package.json') as { version: string }).version;

/** The prototype methods the launcher overrides or wraps. */
export const HOOKED_SERVER_METHODS = ['handleShellMessage', 'handleExecute', 'publishStatus', 'init', 'close'] as const;
export const HOOKED_HANDLER_METHODS = ['handleExecute', 'handleExecuteImpl', 'handleKernel'] as const;
