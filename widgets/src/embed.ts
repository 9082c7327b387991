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

/**
 * nbconvert 6/7 HTML templates pass the widget JSON through `escape_html_keep_quotes`, so `<`, `>`
 * and `&` arrive as entities inside the <script> text (which the browser does not decode). Undo it
 * (only for text that holds no raw `<`/`>`, i.e. that was escaped).
 */
export function unescapeWidgetScripts(doc: Document): void {
  for (const el of Array.from(doc.querySelectorAll('script[type^="application/vnd.jupyter.widget-"]'))) {
    const t = el.textContent ?? '';
    if (/[<>]/.test(t) || !/&(lt|gt|amp);/.test(t)) continue;
    el.textContent = t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  }
}

function start(): void {
  unescapeWidgetScripts(document);
  void renderWidgets(() => new HTMLManager({ loader }), document.documentElement).then(() => {
    document.documentElement.dataset.widgetsRendered = 'true';
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
