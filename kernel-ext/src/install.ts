/**
 * Writes or removes the kernelspec `<prefix>/share/jupyter/kernels/<name>/kernel.json` directly
 * (no Python needed). Jupyter finds it through its data path (JUPYTER_PATH, ~/.local/share/jupyter,
 * /usr/local/share/jupyter, /usr/share/jupyter).
 */
import { mkdirSync, rmSync, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../../src/util/atomic-write.js';

export const DEFAULT_KERNEL_NAME = 'cryoread';
export const KERNEL_DISPLAY_NAME = 'CryoREAD (TypeScript)';

export interface InstallOptions {
  /** Install under `<prefix>/share/jupyter/kernels`. Wins over `user`. */
  prefix?: string;
  /** Install into the per-user data dir. @default false (system dir as root, user dir otherwise) */
  user?: boolean;
  /** Kernelspec name (directory name). @default 'cryoread' */
  name?: string;
  /** Absolute path of the launcher script put in argv. */
  launcherPath: string;
  /** Node executable put in argv. @default process.execPath */
  nodePath?: string;
}

export interface InstallResult {
  name: string;
  /** Directory holding kernel.json. */
  dir: string;
  kernelJson: Record<string, unknown>;
}

/** Per-user Jupyter data dir (jupyter_core's rule for Linux/macOS/Windows). */
function userDataDir(): string {
  if (process.env.JUPYTER_DATA_DIR) return process.env.JUPYTER_DATA_DIR;
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Jupyter');
  if (process.platform === 'win32') return join(process.env.APPDATA ?? homedir(), 'jupyter');
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'jupyter');
}

/** Where the kernelspec goes for these options. */
export function kernelSpecDir(options: Pick<InstallOptions, 'prefix' | 'user' | 'name'>): string {
  const name = options.name ?? DEFAULT_KERNEL_NAME;
  if (options.prefix) return join(resolve(options.prefix), 'share', 'jupyter', 'kernels', name);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (options.user || !isRoot) return join(userDataDir(), 'kernels', name);
  return join('/usr/local/share/jupyter/kernels', name);
}

export function kernelSpec(options: InstallOptions): Record<string, unknown> {
  return {
    argv: [options.nodePath ?? process.execPath, resolve(options.launcherPath), 'kernel', '--config-path', '{connection_file}'],
    display_name: KERNEL_DISPLAY_NAME,
    language: 'typescript',
    interrupt_mode: 'signal',
    metadata: { cryoread: { kernel: 'tslab + kernel-ext (comms, widgets)' } },
  };
}

export function installKernelSpec(options: InstallOptions): InstallResult {
  const dir = kernelSpecDir(options);
  mkdirSync(dir, { recursive: true });
  const kernelJson = kernelSpec(options);
  writeFileAtomic(join(dir, 'kernel.json'), JSON.stringify(kernelJson, null, 2) + '\n');
  return { name: options.name ?? DEFAULT_KERNEL_NAME, dir, kernelJson };
}

/** Removes the kernelspec directory; returns it, or undefined when nothing was there. */
export function uninstallKernelSpec(options: Pick<InstallOptions, 'prefix' | 'user' | 'name'>): string | undefined {
  const dir = kernelSpecDir(options);
  if (!existsSync(dir)) return undefined;
  rmSync(dir, { recursive: true, force: true });
  return dir;
}
