/**
 * Test helper: a static HTML page holding widget models in the nbconvert/nbclient format
 * (`application/vnd.jupyter.widget-state+json` with base64 buffers, one
 * `application/vnd.jupyter.widget-view+json` per displayed widget) and our offline embed bundle,
 * so widget views render in Chromium without executing a notebook. Also a Chromium launcher with
 * WebGL through SwiftShader (plotly 3-D, NGL) and a canvas statistics probe.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Widget } from '../../kernel-ext/src/widgets/widget.js';

/** The widget-state JSON nbclient saves in notebook metadata, for these models. */
export function widgetState(models: readonly Widget[]): Record<string, unknown> {
  const state: Record<string, unknown> = {};
  for (const w of models) {
    const f = w.fullState();
    state[w.modelId] = {
      model_name: f.modelName, model_module: f.modelModule, model_module_version: f.modelModuleVersion, state: f.state,
      buffers: f.bufferPaths.map((path, i) => {
        const b = f.buffers[i];
        return { path, encoding: 'base64', data: Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64') };
      }),
    };
  }
  return { version_major: 2, version_minor: 0, state };
}

/** Writes `dir/name` (an HTML page with the models and views) next to an embed.js that must be in `dir`. */
export function writeWidgetPage(dir: string, name: string, models: readonly Widget[], shown: readonly Widget[]): string {
  const json = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');
  const views = shown.map((w) => `<div class="cell"><script type="application/vnd.jupyter.widget-view+json">${json({ version_major: 2, version_minor: 0, model_id: w.modelId })}</script></div>`).join('\n');
  const html = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${name}</title></head><body>
<script type="application/vnd.jupyter.widget-state+json">${json(widgetState(models))}</script>
${views}
<script src="embed.js"></script></body></html>`;
  const path = join(dir, name);
  writeFileSync(path, html);
  return path;
}

export const CHROMIUM = '/usr/bin/chromium';

/** Flags for headless Chromium here: no sandbox (root), no network services, WebGL on SwiftShader. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist'];

/** Statistics of a PNG screenshot, computed in the page: distinct grey levels, non-white pixels. */
export const PNG_STATS = async (b64: string): Promise<{ width: number; height: number; colours: number; nonWhite: number }> => {
  const img = new Image();
  img.src = 'data:image/png;base64,' + b64;
  await img.decode();
  const c = document.createElement('canvas');
  c.width = img.width;
  c.height = img.height;
  const g = c.getContext('2d')!;
  g.drawImage(img, 0, 0);
  const d = g.getImageData(0, 0, c.width, c.height).data;
  const colours = new Set<number>();
  let nonWhite = 0;
  for (let i = 0; i < d.length; i += 4) {
    colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    if (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235) nonWhite++;
  }
  return { width: c.width, height: c.height, colours: colours.size, nonWhite };
};
