/**
 * Kernel-side widget (Jupyter widget protocol 2.1): a model whose state is synced with the front end
 * through a `jupyter.widget` comm. Binary state (Float32Array...) travels as raw buffers.
 *
 * Outside the cryoread kernel (no comm manager) a widget still holds state and observers, so the
 * same code runs in tests and scripts; `display()` then does nothing.
 */
import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { getCommManager, type Comm, type CommManager, type LiveModel } from '../comm-manager.js';
import { putBuffers, removeBuffers, type BufferPath } from './buffers.js';

export const WIDGET_TARGET = 'jupyter.widget';
export const PROTOCOL_VERSION = '2.1.0';
export const MODEL_PREFIX = 'IPY_MODEL_';

export interface WidgetChange<T = unknown> {
  name: string;
  old: T;
  new: T;
  owner: Widget;
}
export type Observer = (change: WidgetChange) => void;
export type CustomHandler = (content: unknown, buffers: Uint8Array[]) => void;

/** Names every widget model must carry. */
export interface ModelSpec {
  _model_name: string;
  _model_module: string;
  _model_module_version: string;
  _view_name: string | null;
  _view_module: string | null;
  _view_module_version: string;
}

function toJsonValue(v: unknown): unknown {
  if (v instanceof Widget) return MODEL_PREFIX + v.modelId;
  if (Array.isArray(v)) return v.map(toJsonValue);
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJsonValue(x)]));
  }
  return v;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) return false;
  try {
    return JSON.stringify(toJsonValue(a)) === JSON.stringify(toJsonValue(b));
  } catch {
    return false;
  }
}

export class Widget implements LiveModel {
  readonly modelId: string;
  #state: Record<string, unknown>;
  #observers = new Map<string, Observer[]>();
  #custom: CustomHandler[] = [];
  #comm: Comm | undefined;
  #manager: CommManager | undefined;

  constructor(spec: ModelSpec, state: Record<string, unknown> = {}) {
    this.#state = { _dom_classes: [], ...spec, ...state };
    for (const [k, v] of Object.entries(this.#state)) this.#state[k] = this.coerce(k, v);
    this.#manager = getCommManager();
    this.modelId = randomUUID().replace(/-/g, '');
    if (this.#manager) {
      const { state: json, bufferPaths, buffers } = this.#serialize(this.#state);
      this.#comm = this.#manager.open(WIDGET_TARGET, { state: json, buffer_paths: bufferPaths }, { version: PROTOCOL_VERSION }, buffers, this.modelId);
      this.#comm.onMsg((data, buffers, msg) => this.#onMsg(data, buffers, msg.header.msg_id));
      this.#comm.onClose(() => this.#manager?.liveModels.delete(this.modelId));
      this.#manager.liveModels.set(this.modelId, this);
    }
  }

  /** True when this widget is connected to a kernel comm. */
  get live(): boolean {
    return this.#comm !== undefined && !this.#comm.closed;
  }

  get<T = unknown>(name: string): T {
    return this.#state[name] as T;
  }

  /** A copy of the whole state (binary values by reference). */
  get state(): Readonly<Record<string, unknown>> {
    return { ...this.#state };
  }

  /** Validates / clamps a value before it is stored; subclasses override. */
  protected coerce(_name: string, value: unknown): unknown {
    return value;
  }

  /** Sets one or several keys, notifies observers, and sends one `update` with what changed. */
  set(name: string, value: unknown): this;
  set(values: Record<string, unknown>): this;
  set(a: string | Record<string, unknown>, b?: unknown): this {
    const values = typeof a === 'string' ? { [a]: b } : a;
    const changed = this.#apply(values);
    if (Object.keys(changed).length > 0) this.#sendState(changed, 'update');
    return this;
  }

  /** Calls `cb` after `names` change (from the kernel or the front end). Returns an unsubscribe function. */
  observe(names: string | string[], cb: Observer): () => void {
    const list = Array.isArray(names) ? names : [names];
    for (const n of list) this.#observers.set(n, [...(this.#observers.get(n) ?? []), cb]);
    return () => {
      for (const n of list) this.#observers.set(n, (this.#observers.get(n) ?? []).filter((o) => o !== cb));
    };
  }

  /** Sends a custom message (`msg:custom` on the front end). */
  send(content: unknown, buffers: ArrayBufferView[] = []): void {
    this.#comm?.send({ method: 'custom', content }, buffers);
  }

  /** Handles custom messages from the front end. */
  onCustom(handler: CustomHandler): void {
    this.#custom.push(handler);
  }

  /** The MIME bundle that displays this widget; `fallback` MIME types show where widgets do not render. */
  mimeBundle(fallback: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      'application/vnd.jupyter.widget-view+json': { version_major: 2, version_minor: 0, model_id: this.modelId },
      'text/plain': this.toString(),
      ...fallback,
    };
  }

  /** Shows the widget in the running cell's output. */
  display(fallback: Record<string, unknown> = {}): this {
    this.#manager?.display(this.mimeBundle(fallback));
    return this;
  }

  close(): void {
    this.#comm?.close();
    this.#manager?.liveModels.delete(this.modelId);
  }

  fullState(): ReturnType<LiveModel['fullState']> {
    const { state, bufferPaths, buffers } = this.#serialize(this.#state);
    return { modelName: String(this.#state._model_name), modelModule: String(this.#state._model_module), modelModuleVersion: String(this.#state._model_module_version), state, bufferPaths, buffers };
  }

  toString(): string {
    return `${String(this.#state._model_name)}(${this.modelId.slice(0, 8)})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }

  #serialize(values: Record<string, unknown>): { state: Record<string, unknown>; bufferPaths: BufferPath[]; buffers: ArrayBufferView[] } {
    const plain: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(values)) plain[k] = ArrayBuffer.isView(v) ? v : toJsonValue(v);
    return removeBuffers(plain);
  }

  #apply(values: Record<string, unknown>): Record<string, unknown> {
    const changes: WidgetChange[] = [];
    const changed: Record<string, unknown> = {};
    for (const [k, raw] of Object.entries(values)) {
      const v = this.coerce(k, raw);
      const old = this.#state[k];
      if (sameValue(old, v)) continue;
      this.#state[k] = v;
      changed[k] = v;
      changes.push({ name: k, old, new: v, owner: this });
    }
    for (const c of changes) for (const cb of this.#observers.get(c.name) ?? []) cb(c);
    return changed;
  }

  #sendState(values: Record<string, unknown>, method: 'update' | 'echo_update'): void {
    if (!this.#comm) return;
    const { state, bufferPaths, buffers } = this.#serialize(values);
    this.#comm.send({ method, state, buffer_paths: bufferPaths }, buffers);
  }

  #onMsg(data: Record<string, unknown>, buffers: Buffer[], _msgId: string): void {
    const manager = this.#manager;
    switch (data.method) {
      case 'update': {
        const state = putBuffers({ ...((data.state ?? {}) as Record<string, unknown>) }, (data.buffer_paths ?? []) as BufferPath[], buffers.map((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)));
        // Echo first (the front end matches it by parent msg id), then apply: if validation changed a
        // value, the follow-up `update` carries the corrected value.
        this.#sendState(state, 'echo_update');
        const wanted = { ...state };
        this.#apply(state);
        const corrected: Record<string, unknown> = {};
        for (const k of Object.keys(wanted)) if (!sameValue(wanted[k], this.#state[k])) corrected[k] = this.#state[k];
        if (Object.keys(corrected).length > 0) this.#sendState(corrected, 'update');
        break;
      }
      case 'request_state':
        this.#sendState(this.#state, 'update');
        break;
      case 'custom':
        for (const h of this.#custom) h(data.content, buffers.map((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)));
        break;
      default:
        manager?.log(`widget ${this.modelId}: unknown method "${String(data.method)}" ignored`);
    }
  }
}
