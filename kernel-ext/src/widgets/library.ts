/**
 * Shared view libraries (plotly.js for NodePlot, NGL for StructureView) as widget models of their
 * own: one per library per kernel process, created the first time a view needs it, holding the
 * library's ES module text in `source`. Views find it by model id (`model.widget_manager.get_model`)
 * and import it once per page. A notebook with several plots therefore saves the 1.7 MB plotly.js
 * bundle once, not once per plot, and renders offline (static HTML, JupyterLab without internet).
 */
import { Widget } from './widget.js';
import { ANYWIDGET_MODULE, ANYWIDGET_VERSION } from './density-slice.js';
import { frontEndModule } from './front-end.js';

export type ViewLibrary = 'plotly' | 'ngl';

const LIB_KEY = Symbol.for('cryoread.kernel-ext.view-libraries');

/** An anywidget model that renders nothing: its `_esm` is an empty module. */
const EMPTY_ESM = 'export default {};';

function registry(): Map<ViewLibrary, Widget> {
  const g = globalThis as Record<symbol, unknown>;
  let m = g[LIB_KEY] as Map<ViewLibrary, Widget> | undefined;
  if (!m) {
    m = new Map();
    g[LIB_KEY] = m;
  }
  return m;
}

/** The library model (created on first use in this kernel process). */
export function viewLibrary(name: ViewLibrary): Widget {
  const reg = registry();
  const have = reg.get(name);
  if (have) return have;
  const w = new Widget(
    { _model_name: 'AnyModel', _model_module: ANYWIDGET_MODULE, _model_module_version: ANYWIDGET_VERSION, _view_name: 'AnyView', _view_module: ANYWIDGET_MODULE, _view_module_version: ANYWIDGET_VERSION },
    { _esm: EMPTY_ESM, _anywidget_id: `cryoread.lib.${name}`, library: name, source: frontEndModule(name === 'plotly' ? 'plotly-lib' : 'ngl-lib') },
  );
  reg.set(name, w);
  return w;
}

/** Forgets the library models (tests; a new kernel starts empty anyway). */
export function resetViewLibraries(): void {
  registry().clear();
}
