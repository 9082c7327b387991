/**
 * DataTable view (anywidget module): a sortable table (click a header, again to reverse; the sort is
 * synced as `sort_column` / `sort_ascending`) and a CSV download button.
 */
import type { AfmModel } from './lib-loader.js';

type Cell = string | number | boolean | null;

export function compareCells(a: Cell, b: Cell): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

export function sortedRows(rows: Cell[][], column: number, ascending: boolean): Cell[][] {
  const idx = rows.map((_, i) => i);
  idx.sort((i, j) => (ascending ? 1 : -1) * compareCells(rows[i][column], rows[j][column]) || i - j);
  return idx.map((i) => rows[i]);
}

export function csvText(columns: string[], rows: Cell[][]): string {
  const f = (v: Cell) => (v === null ? '' : /[",\r\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  return [columns.map(f).join(','), ...rows.map((r) => r.map(f).join(','))].join('\n') + '\n';
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function fmt(v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'number' && !Number.isInteger(v)) return String(+v.toPrecision(6));
  return String(v);
}

function render({ model, el }: { model: AfmModel; el: HTMLElement }): () => void {
  const root = document.createElement('div');
  root.className = 'cryoread-table';
  root.style.font = '12px sans-serif';
  const bar = document.createElement('div');
  bar.style.display = 'flex';
  bar.style.gap = '8px';
  bar.style.alignItems = 'center';
  const title = document.createElement('b');
  const info = document.createElement('span');
  const button = document.createElement('button');
  button.textContent = 'CSV';
  button.title = 'download this table as CSV';
  bar.append(title, info, button);
  const scroller = document.createElement('div');
  scroller.style.maxHeight = `${Number(model.get('max_height_px') ?? 360)}px`;
  scroller.style.overflow = 'auto';
  const table = document.createElement('table');
  table.style.borderCollapse = 'collapse';
  scroller.append(table);
  root.append(bar, scroller);
  el.appendChild(root);

  const draw = (): void => {
    const columns = (model.get('columns') as string[]) ?? [];
    const rows = (model.get('rows') as Cell[][]) ?? [];
    const sortCol = model.get('sort_column') as string | null;
    const asc = model.get('sort_ascending') !== false;
    const ci = sortCol === null ? -1 : columns.indexOf(sortCol);
    const shown = ci >= 0 ? sortedRows(rows, ci, asc) : rows;
    title.textContent = String(model.get('title') ?? '');
    const total = Number(model.get('total_rows') ?? rows.length);
    info.textContent = `${total} rows${total > rows.length ? ` (first ${rows.length} shown)` : ''}`;
    const head = `<thead><tr>${columns.map((c, i) => `<th data-col="${i}" style="cursor:pointer;position:sticky;top:0;background:#eee;padding:2px 6px;text-align:right">${esc(c)}${i === ci ? (asc ? ' ▲' : ' ▼') : ''}</th>`).join('')}</tr></thead>`;
    const body = shown.map((r) => `<tr>${r.map((c) => `<td style="padding:1px 6px;text-align:right;border-top:1px solid #eee">${esc(fmt(c))}</td>`).join('')}</tr>`).join('');
    table.innerHTML = `${head}<tbody>${body}</tbody>`;
    root.dataset.firstCell = shown.length ? fmt(shown[0][0]) : '';
  };
  const onHeader = (ev: Event): void => {
    const th = (ev.target as HTMLElement).closest('th');
    if (!th) return;
    const columns = (model.get('columns') as string[]) ?? [];
    const name = columns[Number(th.dataset.col)];
    const same = model.get('sort_column') === name;
    model.set('sort_column', name);
    model.set('sort_ascending', same ? model.get('sort_ascending') === false : true);
    model.save_changes();
    draw();
  };
  const onCsv = (): void => {
    const blob = new Blob([csvText((model.get('columns') as string[]) ?? [], (model.get('rows') as Cell[][]) ?? [])], { type: 'text/csv' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = String(model.get('csv_name') ?? 'table.csv');
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };
  table.addEventListener('click', onHeader);
  button.addEventListener('click', onCsv);
  const keys = ['change:rows', 'change:columns', 'change:sort_column', 'change:sort_ascending', 'change:title'];
  for (const k of keys) model.on(k, draw);
  draw();
  return () => {
    for (const k of keys) model.off(k, draw);
  };
}

export default { render };
