/**
 * Front-end modules of the widgets (anywidget ES modules) and of the big view libraries (plotly.js,
 * NGL), bundled from `widgets/src/` with esbuild the first time a kernel process needs them and kept
 * in memory: nothing is fetched from a CDN and no multi-megabyte generated file is committed.
 * (DensitySlice predates this and ships a committed generated module; see generated/.)
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { InputError } from '../../../src/util/errors.js';

export type FrontEndModule = 'node-plot' | 'structure-view' | 'threshold-tuner' | 'data-table' | 'plotly-lib' | 'ngl-lib';

const cache = new Map<FrontEndModule, string>();

/**
 * The repository root: the nearest ancestor of the working directory (the kernel runs cells in the
 * project root) that holds widgets/src; CRYOREAD_KERNEL_ROOT overrides.
 */
export function projectRoot(start = process.env.CRYOREAD_KERNEL_ROOT ?? process.cwd()): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'widgets', 'src', 'lib-loader.ts')) && existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new InputError('WIDGET_ROOT', `front-end modules: no widgets/src above ${start}; run the kernel in the cryoread-ts checkout or set CRYOREAD_KERNEL_ROOT`);
    dir = up;
  }
}

/** ES module text of `widgets/src/<name>.ts` (minified, dependencies bundled). */
export function frontEndModule(name: FrontEndModule): string {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  const root = projectRoot();
  const entry = join(root, 'widgets', 'src', `${name}.ts`);
  if (!existsSync(entry)) throw new InputError('WIDGET_MODULE', `front-end module ${entry} is missing`);
  // esbuild is a devDependency (npm ci installs it); resolve it from the project, not from this file.
  const req = createRequire(join(root, 'package.json'));
  let esbuild: typeof import('esbuild');
  try {
    esbuild = req('esbuild') as typeof import('esbuild');
  } catch {
    throw new InputError('WIDGET_BUNDLER', `front-end modules: esbuild not found under ${root}/node_modules; run \`npm ci\` (it is a devDependency)`);
  }
  const r = esbuild.buildSync({
    entryPoints: [entry], write: false, bundle: true, format: 'esm', target: 'es2020', minify: true,
    legalComments: 'none', logLevel: 'silent', absWorkingDir: root,
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    // Stylesheets that libraries import for features we do not bundle (plotly's map traces) are dropped.
    loader: { '.css': 'empty' },
  });
  const text = r.outputFiles[0].text;
  cache.set(name, text);
  return text;
}
