/**
 * Binary values in widget state (ports of ipywidgets' `_remove_buffers` / `put_buffers`).
 * Every ArrayBufferView / ArrayBuffer is taken out of the JSON state and sent as a raw frame; its
 * path goes in `buffer_paths`. In a dict the key is deleted, in a list the item becomes null.
 */
export type BufferPath = (string | number)[];

function isBinary(v: unknown): v is ArrayBufferView | ArrayBuffer {
  return ArrayBuffer.isView(v) || v instanceof ArrayBuffer;
}

export function removeBuffers(state: Record<string, unknown>): { state: Record<string, unknown>; bufferPaths: BufferPath[]; buffers: ArrayBufferView[] } {
  const bufferPaths: BufferPath[] = [];
  const buffers: ArrayBufferView[] = [];
  const walk = (value: unknown, path: BufferPath): unknown => {
    if (isBinary(value)) {
      bufferPaths.push(path);
      buffers.push(value instanceof ArrayBuffer ? new Uint8Array(value) : value);
      return undefined;
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, [...path, i]) ?? null);
    if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const w = walk(v, [...path, k]);
        if (w !== undefined) out[k] = w;
      }
      return out;
    }
    return value;
  };
  const out = walk(state, []) as Record<string, unknown>;
  return { state: out, bufferPaths, buffers };
}

/** Puts received buffers back at their paths (in place); returns `state`. */
export function putBuffers(state: Record<string, unknown>, bufferPaths: readonly BufferPath[], buffers: readonly Uint8Array[]): Record<string, unknown> {
  bufferPaths.forEach((path, i) => {
    if (path.length === 0) return;
    let obj: Record<string | number, unknown> = state;
    for (const key of path.slice(0, -1)) {
      if (obj[key] === undefined || obj[key] === null) obj[key] = typeof key === 'number' ? [] : {};
      obj = obj[key] as Record<string | number, unknown>;
    }
    obj[path[path.length - 1]] = buffers[i];
  });
  return state;
}
