/**
 * Kernel side of DataTable: a danfojs DataFrame (or plain columns/rows) as a sortable HTML table
 * (click a header; again to reverse) with a "CSV" button that downloads the table. `show(df)` uses it
 * in the cryoread kernel; `writeCsv(df, path)` (src/notebook/tables.ts) exports from the kernel.
 */
import type { DataFrame } from '../../../src/notebook/danfo.js';
import { isDataFrame, tableOf, type Cell } from '../../../src/notebook/tables.js';
import { InputError } from '../../../src/util/errors.js';
import { Widget } from './widget.js';
import { ANYWIDGET_MODULE, ANYWIDGET_VERSION } from './density-slice.js';
import { frontEndModule } from './front-end.js';

export interface DataTableParams {
  /** Caption above the table. @default '' */
  title: string;
  /** File name offered by the CSV button. @default 'table.csv' */
  csvName: string;
  /** Largest table height before it scrolls, CSS pixels. @default 360 */
  maxHeightPx: number;
  /** Rows above this are not sent (the caption says so; use writeCsv for all). @default 20_000 */
  maxRows: number;
}

export class DataTable extends Widget {
  constructor(table: DataFrame | { columns: string[]; rows: Cell[][] }, params: Partial<DataTableParams> = {}) {
    const p: DataTableParams = { title: '', csvName: 'table.csv', maxHeightPx: 360, maxRows: 20_000, ...params };
    const t = isDataFrame(table) ? tableOf(table) : table;
    if (!Array.isArray(t.columns) || !Array.isArray(t.rows)) throw new InputError('TABLE_INPUT', 'DataTable: give a danfojs DataFrame or { columns, rows }');
    super(
      { _model_name: 'AnyModel', _model_module: ANYWIDGET_MODULE, _model_module_version: ANYWIDGET_VERSION, _view_name: 'AnyView', _view_module: ANYWIDGET_MODULE, _view_module_version: ANYWIDGET_VERSION },
      {
        _esm: frontEndModule('data-table'),
        _anywidget_id: 'cryoread.DataTable',
        columns: t.columns,
        rows: t.rows.slice(0, p.maxRows),
        total_rows: t.rows.length,
        title: p.title,
        csv_name: p.csvName,
        max_height_px: p.maxHeightPx,
        sort_column: null,
        sort_ascending: true,
      },
    );
  }
}
