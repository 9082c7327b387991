/**
 * Front-end helpers shared by the anywidget modules: the AFM model type, typed-array decoding, and
 * loading a shared view library (plotly.js, NGL) from its library model (kernel-ext/src/widgets/library.ts).
 */
export interface AfmModel {
  get(name: string): unknown;
  set(name: string, value: unknown): void;
  save_changes(): void;
  on(event: string, cb: (...args: unknown[]) => void): void;
  off(event: string, cb: (...args: unknown[]) => void): void;
  send(content: unknown, callbacks?: unknown, buffers?: ArrayBuffer[]): void;
  widget_manager?: { get_model(id: string): Promise<{ get(name: string): unknown }> | undefined };
}

function bytesOf(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  return new Uint8Array(0);
}

/** A Float32Array view of a binary state value (DataView from the wire, or a typed array). */
export function floats(v: unknown): Float32Array {
  if (v instanceof Float32Array) return v;
  const b = bytesOf(v);
  return new Float32Array(b.slice().buffer);
}

export function ints(v: unknown): Int32Array {
  if (v instanceof Int32Array) return v;
  const b = bytesOf(v);
  return new Int32Array(b.slice().buffer);
}

export function bytes(v: unknown): Uint8Array {
  return bytesOf(v);
}

export function text(v: unknown): string {
  if (typeof v === 'string') return v;
  return new TextDecoder().decode(bytesOf(v));
}

const LIBS = Symbol.for('cryoread.widgets.libraries');

async function getModel(model: AfmModel, id: string): Promise<{ get(name: string): unknown }> {
  const wm = model.widget_manager;
  if (!wm) throw new Error('cryoread widgets: this front end gives no widget manager to look up the library model');
  // The library model's comm_open precedes the view's, but allow for it arriving late.
  for (let attempt = 0; ; attempt++) {
    try {
      const m = await wm.get_model(id);
      if (m) return m;
    } catch (e) {
      if (attempt >= 50) throw e;
    }
    if (attempt >= 50) throw new Error(`cryoread widgets: library model ${id} not found`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Imports the ES module held by library model `model.get(key)` once per page; returns its default export. */
export async function loadLibrary<T>(model: AfmModel, key: string): Promise<T> {
  const id = String(model.get(key));
  const g = globalThis as unknown as Record<symbol, Map<string, Promise<unknown>>>;
  const cache = (g[LIBS] ??= new Map());
  let p = cache.get(id);
  if (!p) {
    p = (async () => {
      const lib = await getModel(model, id);
      const url = URL.createObjectURL(new Blob([String(lib.get('source'))], { type: 'text/javascript' }));
      const mod = (await import(/* webpackIgnore: true */ url)) as { default: unknown };
      return mod.default;
    })();
    cache.set(id, p);
  }
  return p as Promise<T>;
}
