/**
 * show(value): what a value looks like in a notebook. Inside the cryoread kernel with a widget
 * factory for the value (a Volume -> DensitySlice, a danfojs DataFrame -> sortable DataTable with a
 * CSV button), a live widget whose display bundle also carries
 * the static rendering (so GitHub and nbviewer show the PNG/HTML); otherwise the static rendering
 * alone: an HTML table for records and headers, a PNG of the middle slice for a Volume.
 *
 * Nothing here imports tslab or kernel-ext: the kernel publishes its display function and widget
 * factories on `globalThis` under `Symbol.for` keys (kernel-ext/src/runtime-hooks.ts).
 */
import { inspect } from 'node:util';
import { Volume } from '../grid/volume.js';
import { encodePng } from './png.js';
import { isDataFrame, tableOf } from './tables.js';

export type MimeBundle = Record<string, string>;

/** What the kernel publishes for this module. */
export interface NotebookRuntime {
  /** Publishes display_data in the running cell. */
  display(bundle: Record<string, unknown>): void;
  /** Widget factories by value kind; each returns an object with `display(fallback)`. */
  widgets: Partial<Record<'volume' | 'table', (value: unknown, options: Record<string, unknown>) => { display(fallback: Record<string, unknown>): unknown }>>;
}

export const RUNTIME_KEY = Symbol.for('cryoread.notebook-runtime');

export function notebookRuntime(): NotebookRuntime | undefined {
  return (globalThis as Record<symbol, unknown>)[RUNTIME_KEY] as NotebookRuntime | undefined;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function cell(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toPrecision(6);
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return escapeHtml(inspect(v, { breakLength: Infinity, maxArrayLength: 12 }));
  if (v !== null && typeof v === 'object') return escapeHtml(inspect(v, { breakLength: Infinity, depth: 1 }));
  return escapeHtml(String(v));
}

/** HTML table of an object's fields (name | value) or of an array of records (one row each). */
export function htmlTable(value: Record<string, unknown> | Record<string, unknown>[]): string {
  if (Array.isArray(value)) {
    const cols = [...new Set(value.flatMap((r) => Object.keys(r)))];
    const head = cols.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
    const rows = value.map((r) => `<tr>${cols.map((c) => `<td>${cell(r[c])}</td>`).join('')}</tr>`).join('');
    return `<table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
  }
  const rows = Object.entries(value).map(([k, v]) => `<tr><th style="text-align:left">${escapeHtml(k)}</th><td style="text-align:left">${cell(v)}</td></tr>`).join('');
  return `<table><tbody>${rows}</tbody></table>`;
}

/** PNG (base64) of slice `index` along z of a volume, grey from mean to mean + 5 rms. */
export function volumeSlicePng(v: Volume, index = Math.floor(v.shape[0] / 2)): string {
  const [, ny, nx] = v.shape;
  const s = Volume.stats(v);
  const lo = s.mean, hi = Math.min(s.max, s.mean + 5 * s.rms);
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  const px = new Uint8Array(nx * ny);
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) px[(ny - 1 - y) * nx + x] = Math.max(0, Math.min(255, (v.data[Volume.offset(v, x, y, index)] - lo) * scale));
  }
  return encodePng(nx, ny, px, 'grey').toString('base64');
}

function isVolume(v: unknown): v is Volume {
  const o = v as Volume;
  return !!o && o.data instanceof Float32Array && Array.isArray(o.shape) && o.shape.length === 3 && Array.isArray(o.voxelSizeA);
}

/** Rows of a DataFrame in its static rendering; the widget and the CSV export carry all. */
export const STATIC_TABLE_ROWS = 200;

/** The static rendering of a value as a MIME bundle. */
export function staticBundle(value: unknown): MimeBundle {
  if (isDataFrame(value)) {
    const t = tableOf(value);
    const rows = t.rows.slice(0, STATIC_TABLE_ROWS).map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i]])));
    const more = t.rows.length > rows.length ? `<p>first ${rows.length} of ${t.rows.length} rows</p>` : '';
    return { 'text/html': (rows.length ? htmlTable(rows) : `<table><thead><tr>${t.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead></table>`) + more, 'text/plain': `DataFrame ${t.rows.length} rows x ${t.columns.length} columns (${t.columns.join(', ')})` };
  }
  if (isVolume(value)) return { 'image/png': volumeSlicePng(value), 'text/plain': Volume.describe(value) };
  if (typeof value === 'string') return { 'text/plain': value };
  if (Array.isArray(value) && value.every((r) => r !== null && typeof r === 'object' && !Array.isArray(r))) return { 'text/html': htmlTable(value as Record<string, unknown>[]), 'text/plain': inspect(value) };
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) return { 'text/html': htmlTable(value as Record<string, unknown>), 'text/plain': inspect(value) };
  return { 'text/plain': inspect(value) };
}

export interface ShowOptions {
  /** Use a widget when the kernel offers one for this value. @default true */
  widget: boolean;
  /** Passed to the widget factory (e.g. DensitySlice params). */
  widgetOptions: Record<string, unknown>;
}

/**
 * Shows `value` in the running cell and returns nothing (so tslab prints nothing more). Returns
 * false when no cryoread kernel is there to publish it: then pass `staticBundle(value)` to tslab's
 * `display` yourself. To keep a handle on the widget, create it directly (e.g. `new DensitySlice(v)`).
 */
export function show(value: unknown, options: Partial<ShowOptions> = {}): void | false {
  const rt = notebookRuntime();
  if (!rt) return false;
  const bundle = staticBundle(value);
  const factory = isVolume(value) ? rt.widgets.volume : isDataFrame(value) ? rt.widgets.table : undefined;
  if (factory && options.widget !== false) factory(value, options.widgetOptions ?? {}).display(bundle);
  else rt.display(bundle);
}
