/** Publishes the kernel's display function and widget factories for src/notebook/show.ts. */
import type { CommManager } from './comm-manager.js';
import { DensitySlice } from './widgets/density-slice.js';
import { DataTable } from './widgets/data-table.js';
import { RUNTIME_KEY, type NotebookRuntime } from '../../src/notebook/show.js';

export function installNotebookRuntime(manager: CommManager): void {
  const rt: NotebookRuntime = {
    display: (bundle) => manager.display(bundle),
    widgets: {
      volume: (value, options) => new DensitySlice(value as never, options),
      table: (value, options) => new DataTable(value as never, options),
    },
  };
  (globalThis as Record<symbol, unknown>)[RUNTIME_KEY] = rt;
}
