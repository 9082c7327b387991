/**
 * Offline renderer for nbconvert HTML exports: html-manager + the anywidget host, no CDN.
 * Use with `jupyter nbconvert --to html --HTMLExporter.widget_renderer_url=<path>/embed.js`.
 */
import { HTMLManager } from '@jupyter-widgets/html-manager';
import { renderWidgets } from '@jupyter-widgets/html-manager/lib/libembed.js';
import * as anywidgetHost from './anywidget-host.js';

async function loader(moduleName: string, moduleVersion: string): Promise<unknown> {
  if (moduleName === anywidgetHost.ANYWIDGET_MODULE) return anywidgetHost;
  throw new Error(`cryoread embed: no module "${moduleName}@${moduleVersion}" in this offline bundle`);
}

function start(): void {
  void renderWidgets(() => new HTMLManager({ loader }), document.documentElement).then(() => {
    document.documentElement.dataset.widgetsRendered = 'true';
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
