/**
 * Worker-thread entry of `runPipelineInWorker` (run-in-worker.ts): runs runPipeline on the data it
 * is given, posts progress events, then the result (structured clone) or the error. An 'abort'
 * message aborts the run at the next stage check.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runPipeline } from './run-pipeline.js';
import { assignSequenceStage } from './sequence-hook.js';
import { StageCache } from './stage-cache.js';
import { errorFromWorker, errorForWorker, type WorkerRequest, type WorkerReply, type MainMessage } from './run-in-worker.js';
import type { DetectionResult } from '../detect/params.js';

const req = workerData as WorkerRequest;
const port = parentPort!;
const controller = new AbortController();
const pending = new Map<number, { resolve: (r: DetectionResult) => void; reject: (e: Error) => void }>();
port.on('message', (m: MainMessage) => {
  if (m.type === 'abort') controller.abort();
  else if (m.type === 'detected') { pending.get(m.id)?.resolve(m.result); pending.delete(m.id); }
  else if (m.type === 'detect-error') { pending.get(m.id)?.reject(errorFromWorker(m.error)); pending.delete(m.id); }
});
const post = (m: WorkerReply) => port.postMessage(m);
let nextId = 0;
/** Detection runs in the main thread (see RunPipelineOptions.detect). */
const detect = (prepared: unknown, params: unknown): Promise<DetectionResult> => new Promise((resolve, reject) => {
  const id = ++nextId;
  pending.set(id, { resolve, reject });
  post({ type: 'detect', id, prepared, params });
});

try {
  const input = { ...req.input, ...(req.input.fasta ? { sequenceStage: assignSequenceStage } : {}) };
  const cache = req.cache ? new StageCache(req.cache.dir, req.cache.baseKey, req.cache.read) : undefined;
  const result = await runPipeline(input, req.params, { onProgress: (event) => post({ type: 'progress', event }), signal: controller.signal }, { cache });
  post({ type: 'result', result });
} catch (e) {
  post({ type: 'error', error: errorForWorker(e) });
}
