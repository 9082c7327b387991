/**
 * runPipeline in a worker thread, for the CLI: the main thread stays free to handle SIGINT/SIGTERM
 * whatever a stage is doing (a long synchronous loop in building or sequence assignment, a batch in
 * onnxruntime). Aborting asks the worker to stop at its next check and terminates it when it has
 * not answered within `graceMs`, so an interrupt takes effect within about a second.
 * Notebooks call runPipeline directly (cells are interrupted through the kernel).
 */
import { Worker } from 'node:worker_threads';
import type { ProgressEvent, StageContext } from '../util/progress.js';
import { AbortError, CryoreadError, FastaFormatError, InputError, ModelError, MrcFormatError, StructureFormatError } from '../util/errors.js';
import type { PipelineParams } from './params.js';
import type { PipelineInput, PipelineResult } from './types.js';
import type { PreparedMap } from '../grid/prepare.js';
import type { DetectionResult } from '../detect/params.js';
import { detectStage } from './stages.js';

export interface WorkerRequest {
  /** The pipeline input without functions (the worker adds the sequence stage when a FASTA is given). */
  input: Omit<PipelineInput, 'sequenceStage'>;
  params: Partial<PipelineParams>;
  cache: { dir: string; baseKey: string; read: boolean } | null;
}

/** An error as it crosses between threads. */
export interface WorkerError { name: string; message: string; code?: string; source?: string; stack?: string }

export type WorkerReply =
  | { type: 'progress'; event: ProgressEvent }
  | { type: 'detect'; id: number; prepared: unknown; params: unknown }
  | { type: 'result'; result: PipelineResult }
  | { type: 'error'; error: WorkerError };

export type MainMessage =
  | { type: 'abort' }
  | { type: 'detected'; id: number; result: DetectionResult }
  | { type: 'detect-error'; id: number; error: WorkerError };

export function errorForWorker(e: unknown): WorkerError {
  const err = e as Error;
  return { name: err?.name ?? 'Error', message: err?.message ?? String(e), code: e instanceof CryoreadError ? e.code : undefined, source: e instanceof CryoreadError ? e.source : undefined, stack: err?.stack };
}

const ERRORS: Record<string, new (code: string, message: string, source?: string) => CryoreadError> = {
  MrcFormatError, StructureFormatError, FastaFormatError, InputError, ModelError, CryoreadError,
};

/** The worker's error as the same class on this side (AbortError, typed CryoreadErrors, else Error). */
export function errorFromWorker(e: WorkerError): Error {
  if (e.name === 'AbortError') return new AbortError(e.message.replace(/: aborted by the caller$/, ''));
  const C = ERRORS[e.name];
  if (C && e.code) return new C(e.code, e.message, e.source);
  const err = new Error(e.message);
  err.name = e.name;
  if (e.stack) err.stack = e.stack;
  return err;
}

/** The worker: the compiled .js entry, or from the sources a small bootstrap that registers tsx in the worker first. */
function startWorker(request: WorkerRequest): Worker {
  const ts = import.meta.url.endsWith('.ts');
  const entry = new URL(`./pipeline-worker.${ts ? 'ts' : 'js'}`, import.meta.url);
  if (!ts) return new Worker(entry, { workerData: request });
  // bin/cryoread.mjs registers tsx in the main thread only; a worker needs its own registration.
  const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(boot, { eval: true, workerData: request });
}

export function runPipelineInWorker(request: WorkerRequest, ctx: StageContext = {}, graceMs = 500): Promise<PipelineResult> {
  return new Promise((resolve, reject) => {
    if (ctx.signal?.aborted) { reject(new AbortError('pipeline')); return; }
    const worker = startWorker(request);
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const done = (f: () => void) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      ctx.signal?.removeEventListener('abort', onAbort);
      f();
    };
    const onAbort = () => {
      worker.postMessage({ type: 'abort' });
      // A stage that does not reach its next check in time (a long synchronous step) is cut off.
      timer = setTimeout(() => { void worker.terminate(); done(() => reject(new AbortError('pipeline'))); }, graceMs);
    };
    ctx.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: WorkerReply) => {
      if (m.type === 'progress') ctx.onProgress?.(m.event);
      else if (m.type === 'result') done(() => { resolve(m.result); void worker.terminate(); });
      else if (m.type === 'detect') {
        // Detection in this thread: an interrupted onnxruntime batch is simply not waited for.
        detectStage(m.prepared as PreparedMap, m.params as PipelineParams, ctx).then(
          (result) => worker.postMessage({ type: 'detected', id: m.id, result } satisfies MainMessage),
          (e) => worker.postMessage({ type: 'detect-error', id: m.id, error: errorForWorker(e) } satisfies MainMessage));
      } else done(() => { reject(errorFromWorker(m.error)); void worker.terminate(); });
    });
    worker.on('error', (e) => done(() => reject(e)));
    worker.on('exit', (code) => done(() => reject(ctx.signal?.aborted ? new AbortError('pipeline') : new Error(`pipeline worker exited with code ${code} before returning a result`))));
  });
}
