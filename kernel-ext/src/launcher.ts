/**
 * Starts the cryoread kernel: tslab's executor and request handler, served by WidgetZmqServer.
 * Mirrors tslab's own `startKernel` (without its hand-off to another local tslab copy), and registers
 * tsx's require hook so cells can `import` the project's TypeScript sources.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { register as registerTsxCjs } from 'tsx/cjs/api';
import { setCommManager } from './comm-manager.js';
import { registerControlTarget } from './control-comm.js';
import { installImportMetaRewrite } from './import-meta.js';
import { installNotebookRuntime } from './runtime-hooks.js';
import { kernelLog, WidgetZmqServer } from './server.js';
import { tslabConverter, tslabExecutor, tslabJupyter } from './tslab-internals.js';

export interface KernelOptions {
  /** Path of the connection file Jupyter wrote ({connection_file}). */
  configPath: string;
  /** JavaScript instead of TypeScript cells. @default false */
  jsKernel?: boolean;
  /** Working directory for cells. @default $CRYOREAD_KERNEL_ROOT, else kernelRoot(process.cwd()) */
  rootDir?: string;
}

/**
 * The directory cells run in: the nearest ancestor of `startDir` holding package.json and
 * node_modules/tslab (the project root), else `startDir`. tslab compiles imported local .ts files
 * itself but only below its working directory (its rootDir), so a notebook in notebooks/ could not
 * import ../src/*.ts; running from the project root makes `./src/io/mrc.js` importable.
 */
export function kernelRoot(startDir: string): string {
  for (let dir = resolve(startDir); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'node_modules', 'tslab'))) return dir;
    if (dirname(dir) === dir) return startDir;
  }
}

type Converter = ReturnType<typeof tslabConverter.createConverter>;

function converterSet(isJS: boolean) {
  let node: Converter | undefined;
  let browser: Converter | undefined;
  return {
    get node() {
      return (node ??= tslabConverter.createConverter({ isJS, isBrowser: false }));
    },
    get browser() {
      return (browser ??= tslabConverter.createConverter({ isJS, isBrowser: true }));
    },
    close() {
      node?.close();
      browser?.close();
    },
  };
}

/** Starts serving; resolves once the sockets are bound. */
export async function startKernel(options: KernelOptions): Promise<WidgetZmqServer> {
  const jsKernel = options.jsKernel ?? false;
  const notebookDir = process.cwd();
  process.chdir(options.rootDir ?? process.env.CRYOREAD_KERNEL_ROOT ?? kernelRoot(notebookDir));
  (globalThis as Record<symbol, unknown>)[Symbol.for('cryoread.kernel-ext.notebook-dir')] = notebookDir;
  registerTsxCjs();
  installImportMetaRewrite();
  const convs = converterSet(jsKernel);
  void convs.node; // warm the Node converter, as tslab does
  const executor = tslabExecutor.createExecutor(process.cwd(), convs, { log: console.log, error: console.error });
  const handler = new tslabJupyter.JupyterHandlerImpl(executor, jsKernel);
  // Tell the server when a queued cell actually starts (Run All sends every request at once).
  const h = handler as unknown as { execCount: number; handleExecuteImpl: (req: unknown, ws: unknown, wdd: { onExecuteStart?: (n: number) => void }) => Promise<unknown> };
  const original = h.handleExecuteImpl.bind(handler);
  h.handleExecuteImpl = (req, ws, wdd) => {
    wdd.onExecuteStart?.(h.execCount + 1);
    return original(req, ws, wdd);
  };
  const server = new WidgetZmqServer(handler, options.configPath);
  setCommManager(server.comms);
  registerControlTarget(server.comms);
  installNotebookRuntime(server.comms);
  process.on('SIGINT', () => executor.interrupt());
  process.on('uncaughtException', (err) => kernelLog(`uncaught exception: ${err.stack ?? err}`));
  process.on('unhandledRejection', (reason) => kernelLog(`unhandled rejection: ${(reason as Error)?.stack ?? reason}`));
  await server.init();
  return server;
}
