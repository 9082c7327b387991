/**
 * NodePlot view (anywidget module): plotly.js 3-D scatter of nodes by class and traced paths as
 * lines per chain. Hover: node id, class probabilities at the node, density. Click selects a node
 * (shift-click adds / removes); the selection is synced to the kernel as `selected`.
 */
import { floats, ints, loadLibrary, type AfmModel } from './lib-loader.js';

interface ClassState { name: string; colour: string; visible: boolean; count: number; x: unknown; y: unknown; z: unknown; density: unknown; probabilities: unknown }
interface PathState { label: string; nodes: number; x: unknown; y: unknown; z: unknown; sugarIndex: unknown; sequence: string | null }
interface Selected { class: string; index: number }

// Minimal slice of the plotly API used here.
interface PlotlyLike {
  react(el: HTMLElement, data: unknown[], layout: unknown, config: unknown): Promise<unknown>;
  purge(el: HTMLElement): void;
  Plots: { resize(el: HTMLElement): void };
}
type PlotEl = HTMLElement & { on(ev: string, cb: (e: unknown) => void): void; removeAllListeners?(ev: string): void };

/** Hover text per node: "sugar 12", probabilities of each channel, density. */
export function hoverTexts(cls: string, count: number, density: Float32Array, probs: Float32Array | null, channels: readonly string[]): string[] {
  const out: string[] = [];
  const k = channels.length;
  for (let i = 0; i < count; i++) {
    let t = `<b>${cls} ${i}</b><br>density ${density[i].toFixed(3)}`;
    if (probs && probs.length >= (i + 1) * k) t += '<br>' + channels.map((c, j) => `${c} ${probs[i * k + j].toFixed(2)}`).join(' ');
    out.push(t);
  }
  return out;
}

/** plotly traces for the current model state. */
export function traces(model: AfmModel): unknown[] {
  const classes = (model.get('classes') as ClassState[]) ?? [];
  const paths = (model.get('paths') as PathState[]) ?? [];
  const channels = (model.get('channel_names') as string[]) ?? [];
  const size = Number(model.get('marker_size') ?? 4);
  const colours = (model.get('base_colours') as Record<string, string>) ?? {};
  const selected = new Set(((model.get('selected') as Selected[]) ?? []).map((s) => `${s.class}/${s.index}`));
  const out: unknown[] = [];
  for (const c of classes) {
    const density = floats(c.density);
    const probs = c.probabilities ? floats(c.probabilities) : null;
    const lineColours: string[] = [];
    const widths: number[] = [];
    for (let i = 0; i < c.count; i++) {
      const sel = selected.has(`${c.name}/${i}`);
      lineColours.push(sel ? '#000000' : c.colour);
      widths.push(sel ? 3 : 0);
    }
    out.push({
      type: 'scatter3d', mode: 'markers', name: `${c.name} (${c.count})`, meta: c.name,
      x: Array.from(floats(c.x)), y: Array.from(floats(c.y)), z: Array.from(floats(c.z)),
      customdata: Array.from({ length: c.count }, (_, i) => i),
      text: hoverTexts(c.name, c.count, density, probs, channels), hoverinfo: 'text',
      marker: { size: Array.from({ length: c.count }, (_, i) => (selected.has(`${c.name}/${i}`) ? size * 2 : size)), color: c.colour, opacity: 0.85, line: { color: lineColours, width: widths } },
      visible: c.visible ? true : 'legendonly',
    });
  }
  for (const p of paths) {
    const x = Array.from(floats(p.x)), y = Array.from(floats(p.y)), z = Array.from(floats(p.z));
    const sugarAt = ints(p.sugarIndex);
    const markerColour = x.map(() => '#444444');
    const text = x.map(() => `chain ${p.label}`);
    sugarAt.forEach((at, k) => {
      const letter = p.sequence ? p.sequence[k] : '';
      if (letter && colours[letter]) markerColour[at] = colours[letter];
      text[at] = `chain ${p.label} node ${k}${letter ? ` ${letter}` : ''}`;
    });
    out.push({
      type: 'scatter3d', mode: p.sequence ? 'lines+markers' : 'lines', name: `chain ${p.label} (${p.nodes} nt)`, meta: `path:${p.label}`,
      x, y, z, text, hoverinfo: 'text',
      line: { width: 5, color: p.sequence ? '#999999' : undefined },
      marker: { size: 4, color: markerColour },
    });
  }
  return out;
}

function render({ model, el }: { model: AfmModel; el: HTMLElement }): () => void {
  const root = document.createElement('div');
  root.className = 'cryoread-node-plot';
  const plot = document.createElement('div') as unknown as PlotEl;
  const height = Number(model.get('height_px') ?? 480);
  plot.style.width = '100%';
  plot.style.minWidth = '480px';
  plot.style.height = `${height}px`;
  const status = document.createElement('div');
  status.style.font = '12px sans-serif';
  status.className = 'cryoread-node-plot-status';
  root.append(plot, status);
  el.appendChild(root);
  let plotly: PlotlyLike | null = null;
  let camera: unknown = null;

  const showSelection = (): void => {
    const sel = (model.get('selected') as Selected[]) ?? [];
    status.textContent = sel.length ? `selected: ${sel.map((s) => `${s.class} ${s.index}`).join(', ')}` : 'click a node to select it (shift-click to add)';
  };
  const draw = async (): Promise<void> => {
    if (!plotly) return;
    const layout = {
      title: model.get('title') || undefined, height, margin: { l: 0, r: 0, t: model.get('title') ? 30 : 0, b: 0 }, showlegend: true, legend: { itemsizing: 'constant' },
      scene: { aspectmode: 'data', xaxis: { title: 'x (A)' }, yaxis: { title: 'y (A)' }, zaxis: { title: 'z (A)' }, ...(camera ? { camera } : {}) },
      uirevision: 'keep',
    };
    const data = traces(model);
    await plotly.react(plot, data, layout, { displaylogo: false, responsive: true });
    root.dataset.traces = String(data.length);
    showSelection();
  };
  const onClick = (ev: unknown): void => {
    const e = ev as { points?: { data?: { meta?: string }; customdata?: number; pointNumber?: number }[]; event?: MouseEvent };
    const pt = e.points?.[0];
    const cls = pt?.data?.meta;
    if (!pt || !cls || cls.startsWith('path:')) return;
    const index = Number(pt.customdata ?? pt.pointNumber);
    const cur = ((model.get('selected') as Selected[]) ?? []).slice();
    const additive = !!e.event?.shiftKey;
    const at = cur.findIndex((s) => s.class === cls && s.index === index);
    const next = additive ? (at >= 0 ? cur.filter((_, k) => k !== at) : [...cur, { class: cls, index }]) : [{ class: cls, index }];
    model.set('selected', next);
    model.save_changes();
  };
  const redraw = (): void => void draw();
  void loadLibrary<PlotlyLike>(model, 'plotly_lib').then(async (p) => {
    plotly = p;
    await draw();
    plot.on('plotly_click', onClick);
    plot.on('plotly_relayout', (e) => {
      const cam = (e as Record<string, unknown>)['scene.camera'];
      if (cam) camera = cam;
    });
    root.dataset.ready = 'true';
  }).catch((e) => {
    status.textContent = `NodePlot: could not load plotly.js (${String(e)})`;
    console.error(e);
  });
  const keys = ['change:classes', 'change:paths', 'change:selected', 'change:marker_size', 'change:title'];
  for (const k of keys) model.on(k, redraw);
  return () => {
    for (const k of keys) model.off(k, redraw);
    if (plotly) plotly.purge(plot);
  };
}

export default { render };
