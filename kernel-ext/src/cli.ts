/**
 * `cryoread-kernel` command: `kernel` (started by Jupyter), `install`, `uninstall`.
 * This is the only file of kernel-ext that prints.
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { installKernelSpec, uninstallKernelSpec, DEFAULT_KERNEL_NAME } from './install.js';

const USAGE = `Usage:
  cryoread-kernel install [--user | --prefix P] [--name N] [--json]   write the kernelspec "CryoREAD (TypeScript)"
  cryoread-kernel uninstall [--user | --prefix P] [--name N] [--json] remove it
  cryoread-kernel kernel --config-path FILE [--js]                     run the kernel (Jupyter does this)`;

/** The launcher script Jupyter should start (bin/cryoread-kernel.mjs next to this package). */
export const LAUNCHER_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'cryoread-kernel.mjs');

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE + '\n');
    return command ? 0 : 2;
  }
  if (command === 'kernel') {
    const { values } = parseArgs({ args: rest, options: { 'config-path': { type: 'string' }, js: { type: 'boolean', default: false } } });
    if (!values['config-path']) {
      process.stderr.write('cryoread-kernel kernel: --config-path FILE is required (Jupyter passes {connection_file})\n');
      return 2;
    }
    const { startKernel } = await import('./launcher.js');
    await startKernel({ configPath: values['config-path'], jsKernel: values.js });
    return -1; // keep running: the sockets hold the event loop open
  }
  if (command === 'install' || command === 'uninstall') {
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: { user: { type: 'boolean', default: false }, prefix: { type: 'string' }, name: { type: 'string', default: DEFAULT_KERNEL_NAME }, json: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } } });
    } catch (e) {
      process.stderr.write(`cryoread-kernel ${command}: ${(e as Error).message}\n${USAGE}\n`);
      return 2;
    }
    const v = parsed.values;
    if (v.help) {
      process.stdout.write(USAGE + '\n');
      return 0;
    }
    const where = { user: v.user, prefix: v.prefix, name: v.name };
    if (command === 'install') {
      const r = installKernelSpec({ ...where, launcherPath: LAUNCHER_PATH });
      process.stdout.write(v.json ? JSON.stringify({ name: r.name, dir: r.dir, kernel_json: r.kernelJson }) + '\n' : `installed kernelspec "${r.name}" in ${r.dir}\n`);
      return 0;
    }
    const dir = uninstallKernelSpec(where);
    process.stdout.write(v.json ? JSON.stringify({ name: v.name, dir: dir ?? null, removed: dir !== undefined }) + '\n' : dir ? `removed ${dir}\n` : `no kernelspec "${v.name}" found\n`);
    return dir ? 0 : 1;
  }
  process.stderr.write(`cryoread-kernel: unknown command "${command}"\n${USAGE}\n`);
  return 2;
}
