/**
 * ThresholdTuner view (anywidget module): a density slice (grey), the chosen class probability in
 * colour where it passes its threshold inside the contour, the contour as a cyan line, and sliders
 * for the slice, the contour, the three probability thresholds and the mean-shift bandwidth. Voxel
 * counts of the shown grid update at once; node counts come from the kernel (`counts`, `status`).
 */
import { bytes, floats, type AfmModel } from './lib-loader.js';

const CHANNELS = ['sugar', 'phosphate', 'base'] as const;
type Channel = (typeof CHANNELS)[number];
const OVERLAY: Record<Channel, [number, number, number]> = { sugar: [224, 123, 57], phosphate: [123, 79, 179], base: [44, 160, 44] };

/** RGBA of z-slice `index`: grey density, overlay where prob > threshold and density >= contour, contour line. */
export function renderTunerSlice(density: Float32Array, prob: Uint8Array, shape: [number, number, number], index: number, vmin: number, vmax: number, contour: number, threshold: number, colour: [number, number, number]): { width: number; height: number; rgba: Uint8ClampedArray; passing: number } {
  const [, ny, nx] = shape;
  const rgba = new Uint8ClampedArray(nx * ny * 4);
  const scale = vmax > vmin ? 255 / (vmax - vmin) : 0;
  const base = index * ny * nx;
  const t255 = threshold * 255;
  let passing = 0;
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) {
      const i = base + y * nx + x;
      const d = density[i];
      const o = ((ny - 1 - y) * nx + x) * 4;
      const g = (d - vmin) * scale;
      let r = g, gg = g, b = g;
      const inside = d >= contour;
      if (inside && prob[i] > t255) {
        passing++;
        r = 0.35 * g + 0.65 * colour[0];
        gg = 0.35 * g + 0.65 * colour[1];
        b = 0.35 * g + 0.65 * colour[2];
      }
      const right = x + 1 < nx && (density[i + 1] >= contour) !== inside;
      const up = y + 1 < ny && (density[i + nx] >= contour) !== inside;
      if (right || up) { r = 0; gg = 200; b = 255; }
      rgba[o] = r; rgba[o + 1] = gg; rgba[o + 2] = b; rgba[o + 3] = 255;
    }
  }
  return { width: nx, height: ny, rgba, passing };
}

/** Voxels of the shown grid passing each threshold inside the contour. */
export function passingCounts(density: Float32Array, channels: Record<Channel, Uint8Array>, contour: number, thresholds: Record<Channel, number>): Record<Channel | 'density', number> {
  const out = { density: 0, sugar: 0, phosphate: 0, base: 0 };
  const t = { sugar: thresholds.sugar * 255, phosphate: thresholds.phosphate * 255, base: thresholds.base * 255 };
  for (let i = 0; i < density.length; i++) {
    if (density[i] < contour) continue;
    out.density++;
    if (channels.sugar[i] > t.sugar) out.sugar++;
    if (channels.phosphate[i] > t.phosphate) out.phosphate++;
    if (channels.base[i] > t.base) out.base++;
  }
  return out;
}

interface SliderSpec { key: string; label: string; min: number; max: number; step: number; digits: number }

function render({ model, el }: { model: AfmModel; el: HTMLElement }): () => void {
  const root = document.createElement('div');
  root.className = 'cryoread-threshold-tuner';
  root.style.display = 'flex';
  root.style.gap = '12px';
  root.style.font = '12px sans-serif';
  const canvas = document.createElement('canvas');
  canvas.style.imageRendering = 'pixelated';
  canvas.style.border = '1px solid #888';
  const left = document.createElement('div');
  const caption = document.createElement('div');
  left.append(canvas, caption);
  const panel = document.createElement('div');
  panel.style.display = 'grid';
  panel.style.gridTemplateColumns = 'auto 180px auto';
  panel.style.gap = '4px 8px';
  panel.style.alignItems = 'center';
  panel.style.alignContent = 'start';
  const select = document.createElement('select');
  select.className = 'cryoread-channel';
  for (const c of CHANNELS) select.append(new Option(c, c));
  panel.append(document.createTextNode('overlay'), select, document.createElement('span'));
  const counts = document.createElement('div');
  counts.className = 'cryoread-counts';
  counts.style.whiteSpace = 'pre';
  const status = document.createElement('div');
  status.className = 'cryoread-status';
  status.style.color = '#555';
  const right = document.createElement('div');
  right.append(panel, counts, status);
  root.append(left, right);
  el.appendChild(root);

  const shape = model.get('shape') as [number, number, number];
  const stride = Number(model.get('stride') ?? 1);
  const cmin = Number(model.get('contour_min')), cmax = Number(model.get('contour_max'));
  const specs: SliderSpec[] = [
    { key: 'index', label: 'z slice', min: 0, max: shape[0] - 1, step: 1, digits: 0 },
    { key: 'contour', label: 'contour', min: cmin, max: cmax, step: (cmax - cmin) / 200, digits: 3 },
    { key: 'sugar_threshold', label: 'sugar p >', min: 0, max: 1, step: 0.01, digits: 2 },
    { key: 'phosphate_threshold', label: 'phosphate p >', min: 0, max: 1, step: 0.01, digits: 2 },
    { key: 'base_threshold', label: 'base p >', min: 0, max: 1, step: 0.01, digits: 2 },
    { key: 'bandwidth_a', label: 'bandwidth (A)', min: 1, max: 6, step: 0.1, digits: 1 },
  ];
  const inputs = new Map<string, { input: HTMLInputElement; readout: HTMLSpanElement; spec: SliderSpec }>();
  for (const spec of specs) {
    const input = document.createElement('input');
    input.type = 'range';
    input.min = String(spec.min);
    input.max = String(spec.max);
    input.step = String(spec.step);
    input.dataset.key = spec.key;
    const readout = document.createElement('span');
    panel.append(document.createTextNode(spec.label), input, readout);
    inputs.set(spec.key, { input, readout, spec });
    input.addEventListener('input', () => {
      model.set(spec.key, Number(input.value));
      model.save_changes();
      sync();
      draw();
    });
  }
  let density = floats(model.get('density'));
  const chans = model.get('channels') as Record<Channel, unknown>;
  const channels = { sugar: bytes(chans.sugar), phosphate: bytes(chans.phosphate), base: bytes(chans.base) };

  const sync = (): void => {
    for (const { input, readout, spec } of inputs.values()) {
      const v = Number(model.get(spec.key));
      if (document.activeElement !== input) input.value = String(v);
      readout.textContent = v.toFixed(spec.digits);
    }
    select.value = String(model.get('channel'));
  };
  const draw = (): void => {
    const channel = (model.get('channel') as Channel) ?? 'sugar';
    const index = Math.max(0, Math.min(shape[0] - 1, Math.round(Number(model.get('index')))));
    const contour = Number(model.get('contour'));
    const threshold = Number(model.get(`${channel}_threshold`));
    const img = renderTunerSlice(density, channels[channel], shape, index, Number(model.get('vmin')), Number(model.get('vmax')), contour, threshold, OVERLAY[channel]);
    canvas.width = img.width;
    canvas.height = img.height;
    const px = Number(model.get('display_px') ?? 360);
    const zoom = Math.max(1, Math.floor(px / Math.max(img.width, img.height)));
    canvas.style.width = `${img.width * zoom}px`;
    canvas.style.height = `${img.height * zoom}px`;
    canvas.getContext('2d')!.putImageData(new ImageData(img.rgba, img.width, img.height), 0, 0);
    caption.textContent = `z = ${index} / ${shape[0] - 1}: ${img.passing} ${channel} voxels pass`;
    root.dataset.passing = String(img.passing);
    const c = passingCounts(density, channels, contour, { sugar: Number(model.get('sugar_threshold')), phosphate: Number(model.get('phosphate_threshold')), base: Number(model.get('base_threshold')) });
    const k = (n: number) => (stride > 1 ? `~${n * stride ** 3}` : String(n));
    const kc = model.get('counts') as Record<string, number | string> | null;
    counts.textContent = `voxels in contour ${k(c.density)}\n` +
      `passing: sugar ${k(c.sugar)}, phosphate ${k(c.phosphate)}, base ${k(c.base)}` +
      (kc ? `\nkernel (full grid): sugar ${kc.sugarVoxels}, phosphate ${kc.phosphateVoxels}, base ${kc.baseVoxels}\nnodes (sub-box ${kc.subBox}): sugar ${kc.sugarNodes}, phosphate ${kc.phosphateNodes}, base ${kc.baseNodes}` : '');
  };
  const onStatus = (): void => {
    status.textContent = `${model.get('busy') ? '[busy] ' : ''}${String(model.get('status') ?? '')}`;
  };
  const onChange = (): void => { sync(); draw(); };
  const onData = (): void => { density = floats(model.get('density')); draw(); };
  select.addEventListener('change', () => {
    model.set('channel', select.value);
    model.save_changes();
    draw();
  });
  const keys = ['change:index', 'change:contour', 'change:sugar_threshold', 'change:phosphate_threshold', 'change:base_threshold', 'change:bandwidth_a', 'change:channel', 'change:counts', 'change:vmin', 'change:vmax'];
  for (const key of keys) model.on(key, onChange);
  model.on('change:status', onStatus);
  model.on('change:busy', onStatus);
  model.on('change:density', onData);
  sync();
  draw();
  onStatus();
  return () => {
    for (const key of keys) model.off(key, onChange);
    model.off('change:status', onStatus);
    model.off('change:busy', onStatus);
    model.off('change:density', onData);
  };
}

export default { render };
