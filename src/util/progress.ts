/** Progress reporting and cancellation shared by every long-running stage. */
import { AbortError } from './errors.js';

export interface ProgressEvent {
  /** Stage name, e.g. 'detect/stage1', 'cluster/sugar'. */
  stage: string;
  /** Units of work done so far. */
  done: number;
  /** Total units of work (0 when unknown). */
  total: number;
  /** Optional human-readable note. */
  message?: string;
  /** Optional structured values (e.g. a finished stage's seconds and counts), for tools. */
  data?: Record<string, unknown>;
}

/** Passed as the last argument of every stage: `(input, params, ctx) => output`. */
export interface StageContext {
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
}

/** Throws AbortError when the signal is aborted. */
export function throwIfAborted(ctx: StageContext | undefined, stage: string): void {
  if (ctx?.signal?.aborted) throw new AbortError(stage);
}

/** Lets the event loop run (so a notebook interrupt or a progress display can act), then checks abort. */
export async function yieldToEventLoop(ctx: StageContext | undefined, stage: string): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  throwIfAborted(ctx, stage);
}

/** Emits a progress event if a listener is present. */
export function report(ctx: StageContext | undefined, stage: string, done: number, total: number, message?: string, data?: Record<string, unknown>): void {
  ctx?.onProgress?.(data ? { stage, done, total, message, data } : { stage, done, total, message });
}

/**
 * Settles with `work`, or rejects with AbortError as soon as the signal aborts, whichever comes
 * first. The work itself is not cancelled (e.g. an onnxruntime batch already in native code): the
 * caller stops waiting for it, so an interrupt takes effect within milliseconds instead of a batch.
 */
export function raceAbort<T>(work: Promise<T>, ctx: StageContext | undefined, stage: string): Promise<T> {
  const signal = ctx?.signal;
  if (!signal) return work;
  if (signal.aborted) {
    work.catch(() => {});
    return Promise.reject(new AbortError(stage));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.catch(() => {});
      reject(new AbortError(stage));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
      (e) => { signal.removeEventListener('abort', onAbort); reject(e); },
    );
  });
}
