/**
 * DensitySlice view, as an anywidget front-end module (AFM): `export default { render({ model, el }) }`.
 * Draws one slice of a Volume ([z][y][x], x fastest) on a canvas with grey levels between vmin and
 * vmax and a contour line at `contour`; a click sends the voxel and its Angstrom position to the kernel.
 * The same file runs in JupyterLab/VS Code/Colab through anywidget and in static HTML through our embed.
 */
export interface AfmModel {
  get(name: string): unknown;
  set(name: string, value: unknown): void;
  save_changes(): void;
  on(event: string, cb: (...args: unknown[]) => void): void;
  off(event: string, cb: (...args: unknown[]) => void): void;
  send(content: unknown, callbacks?: unknown, buffers?: ArrayBuffer[]): void;
}

type Axis = 'x' | 'y' | 'z';

function floats(v: unknown): Float32Array {
  if (v instanceof Float32Array) return v;
  if (v instanceof DataView) return new Float32Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
  if (ArrayBuffer.isView(v)) return new Float32Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
  if (v instanceof ArrayBuffer) return new Float32Array(v);
  return new Float32Array(0);
}

/** Slice plane size and the voxel index of plane pixel (u, v). */
export function slicePlane(shape: [number, number, number], axis: Axis): { width: number; height: number; voxel(u: number, v: number, index: number): [number, number, number] } {
  const [nz, ny, nx] = shape;
  if (axis === 'z') return { width: nx, height: ny, voxel: (u, v, i) => [u, v, i] };
  if (axis === 'y') return { width: nx, height: nz, voxel: (u, v, i) => [u, i, v] };
  return { width: ny, height: nz, voxel: (u, v, i) => [i, u, v] };
}

/** Greyscale RGBA of the slice, with contour pixels (level crossings to the right or below) in orange. */
export function renderSlice(data: Float32Array, shape: [number, number, number], axis: Axis, index: number, vmin: number, vmax: number, contour: number | null): { width: number; height: number; rgba: Uint8ClampedArray } {
  const [nz, ny, nx] = shape;
  const plane = slicePlane(shape, axis);
  const { width, height } = plane;
  const rgba = new Uint8ClampedArray(width * height * 4);
  const scale = vmax > vmin ? 255 / (vmax - vmin) : 0;
  const values = new Float32Array(width * height);
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      const [ix, iy, iz] = plane.voxel(u, v, index);
      const val = ix < nx && iy < ny && iz < nz ? data[(iz * ny + iy) * nx + ix] : 0;
      values[v * width + u] = val;
      const g = (val - vmin) * scale;
      // Image row 0 is the top: flip v so the second axis points up.
      const o = ((height - 1 - v) * width + u) * 4;
      rgba[o] = rgba[o + 1] = rgba[o + 2] = g;
      rgba[o + 3] = 255;
    }
  }
  if (contour !== null && Number.isFinite(contour)) {
    for (let v = 0; v < height; v++) {
      for (let u = 0; u < width; u++) {
        const a = values[v * width + u] >= contour;
        const right = u + 1 < width && (values[v * width + u + 1] >= contour) !== a;
        const down = v + 1 < height && (values[(v + 1) * width + u] >= contour) !== a;
        if (right || down) {
          const o = ((height - 1 - v) * width + u) * 4;
          rgba[o] = 255;
          rgba[o + 1] = 140;
          rgba[o + 2] = 0;
        }
      }
    }
  }
  return { width, height, rgba };
}

function render({ model, el }: { model: AfmModel; el: HTMLElement }): () => void {
  const root = document.createElement('div');
  root.className = 'cryoread-density-slice';
  root.style.display = 'inline-block';
  const canvas = document.createElement('canvas');
  canvas.style.imageRendering = 'pixelated';
  canvas.style.cursor = 'crosshair';
  canvas.style.border = '1px solid #888';
  const caption = document.createElement('div');
  caption.style.font = '12px sans-serif';
  root.append(canvas, caption);
  el.appendChild(root);
  let data = floats(model.get('data'));

  const draw = (): void => {
    const shape = model.get('shape') as [number, number, number];
    const axis = (model.get('axis') as Axis) ?? 'z';
    const n = axis === 'z' ? shape[0] : axis === 'y' ? shape[1] : shape[2];
    const index = Math.max(0, Math.min(n - 1, Math.round(Number(model.get('index') ?? 0))));
    const contour = model.get('contour');
    const img = renderSlice(data, shape, axis, index, Number(model.get('vmin')), Number(model.get('vmax')), typeof contour === 'number' ? contour : null);
    canvas.width = img.width;
    canvas.height = img.height;
    const px = Number(model.get('display_px') ?? 320);
    const zoom = Math.max(1, Math.floor(px / Math.max(img.width, img.height)));
    canvas.style.width = `${img.width * zoom}px`;
    canvas.style.height = `${img.height * zoom}px`;
    canvas.getContext('2d')!.putImageData(new ImageData(img.rgba, img.width, img.height), 0, 0);
    canvas.dataset.index = String(index);
    caption.textContent = `${axis} = ${index} / ${n - 1}` + (typeof contour === 'number' ? `, contour ${contour.toPrecision(3)}` : '');
  };
  const onData = (): void => {
    data = floats(model.get('data'));
    draw();
  };
  const onClick = (ev: MouseEvent): void => {
    const r = canvas.getBoundingClientRect();
    const u = Math.floor(((ev.clientX - r.left) / r.width) * canvas.width);
    const v = canvas.height - 1 - Math.floor(((ev.clientY - r.top) / r.height) * canvas.height);
    const shape = model.get('shape') as [number, number, number];
    const axis = (model.get('axis') as Axis) ?? 'z';
    const [ix, iy, iz] = slicePlane(shape, axis).voxel(u, v, Number(canvas.dataset.index));
    const vs = model.get('voxel_size_a') as number[];
    const og = model.get('origin_a') as number[];
    const positionA = [og[0] + ix * vs[0], og[1] + iy * vs[1], og[2] + iz * vs[2]];
    const value = data[(iz * shape[1] + iy) * shape[2] + ix];
    model.send({ event: 'click', voxel: [ix, iy, iz], position_a: positionA, value });
  };
  const keys = ['change:index', 'change:axis', 'change:vmin', 'change:vmax', 'change:contour', 'change:shape', 'change:display_px'];
  for (const k of keys) model.on(k, draw);
  model.on('change:data', onData);
  canvas.addEventListener('click', onClick);
  draw();
  return () => {
    for (const k of keys) model.off(k, draw);
    model.off('change:data', onData);
    canvas.removeEventListener('click', onClick);
  };
}

export default { render };
