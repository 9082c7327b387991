/**
 * DetectionModel: the two onnxruntime-node sessions of a model folder, created once and reused for
 * every batch (a class because it owns native sessions: call `release()` when done).
 * The sessions' input/output names and shapes are checked against the contract when opened, and
 * each output's dims are checked on every run.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import * as ort from 'onnxruntime-node';
import { ModelError } from '../util/errors.js';
import { STAGE1_FILE, STAGE2_FILE, type ModelCard } from './model-card.js';
import { sigmoidInPlace } from './box-io.js';
import type { BoxRunner, Stage1Output } from './runner.js';

/** Channels of each tensor in the contract. */
const STAGE1_IN = 1, CHAIN_OUT = 4, BASE_OUT = 5, STAGE2_IN = 8, STAGE2_OUT = 8;

export interface SessionOptions {
  /** Intra-op threads of each session. @default os.availableParallelism() */
  threads?: number;
  /**
   * onnxruntime's CPU memory arena. Off by default: measured on the width-8 placeholder at batch 4, the
   * arena keeps ~1.1 GB resident (peak RSS 1.56 GB vs 0.47 GB without it, 0.57 GB with the memory
   * pattern kept) for ~4 % speed, and a 300^3 map's 16 probability channels already take 1.7 GB of
   * the 3 GB budget. Turn on for small maps when memory is plentiful. @default false
   */
  memoryArena?: boolean;
}

export class DetectionModel implements BoxRunner {
  readonly name: string;
  readonly boxSize: number;
  /** Recoverable notes, e.g. an explicit model used outside its resolution range. */
  readonly warnings: string[] = [];

  private constructor(
    readonly dir: string,
    readonly card: ModelCard,
    readonly threads: number,
    private readonly s1: ort.InferenceSession,
    private readonly s2: ort.InferenceSession,
  ) {
    this.name = card.name;
    this.boxSize = card.boxSize;
  }

  /** Opens both sessions of a model folder and checks them against the card and the contract. */
  static async open(dir: string, card: ModelCard, opts: SessionOptions = {}): Promise<DetectionModel> {
    const threads = opts.threads ?? availableParallelism();
    if (!Number.isInteger(threads) || threads < 1) {
      throw new ModelError('MODEL_THREADS', `loadDetectionModel: threads = ${threads} must be a positive integer (intra-op threads per session)`);
    }
    const options: ort.InferenceSession.SessionOptions = {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      enableCpuMemArena: opts.memoryArena === true,
      enableMemPattern: true,
    };
    const b = card.boxSize;
    const s1 = await openSession(join(dir, STAGE1_FILE), options);
    const s2 = await openSession(join(dir, STAGE2_FILE), options);
    const p1 = join(dir, STAGE1_FILE), p2 = join(dir, STAGE2_FILE);
    checkValue(s1.inputMetadata, card.stage1.input, [STAGE1_IN, b, b, b], p1, 'input');
    checkValue(s1.outputMetadata, card.stage1.outputs[0], [CHAIN_OUT, b, b, b], p1, 'output');
    checkValue(s1.outputMetadata, card.stage1.outputs[1], [BASE_OUT, b, b, b], p1, 'output');
    checkValue(s2.inputMetadata, card.stage2.input, [STAGE2_IN, b, b, b], p2, 'input');
    checkValue(s2.outputMetadata, card.stage2.output, [STAGE2_OUT, b, b, b], p2, 'output');
    return new DetectionModel(dir, card, threads, s1, s2);
  }

  /** The batch running in native code, if any (release waits for it: see raceAbort in detect.ts). */
  private inflight: Promise<unknown> | null = null;

  private track<T>(p: Promise<T>): Promise<T> {
    this.inflight = p;
    const clear = () => { if (this.inflight === p) this.inflight = null; };
    p.then(clear, clear);
    return p;
  }

  async runStage1(density: Float32Array, count: number): Promise<Stage1Output> {
    const b = this.boxSize;
    const input = new ort.Tensor('float32', density, [count, STAGE1_IN, b, b, b]);
    const out = await this.track(this.s1.run({ [this.card.stage1.input]: input }));
    const chain = this.outputData(out, this.card.stage1.outputs[0], [count, CHAIN_OUT, b, b, b], STAGE1_FILE);
    const base = this.outputData(out, this.card.stage1.outputs[1], [count, BASE_OUT, b, b, b], STAGE1_FILE);
    return { chain, base };
  }

  async runStage2(prob8: Float32Array, count: number): Promise<Float32Array> {
    const b = this.boxSize;
    const input = new ort.Tensor('float32', prob8, [count, STAGE2_IN, b, b, b]);
    const out = await this.track(this.s2.run({ [this.card.stage2.input]: input }));
    return this.outputData(out, this.card.stage2.output, [count, STAGE2_OUT, b, b, b], STAGE2_FILE);
  }

  /** Releases the native sessions (after the batch in flight, if any, ends). The model cannot run afterwards. */
  async release(): Promise<void> {
    if (this.inflight) await this.inflight.catch(() => {});
    await this.s1.release();
    await this.s2.release();
  }

  [inspect.custom](): string {
    const [lo, hi] = this.card.resolutionRangeA;
    return `DetectionModel ${this.name} (${lo}-${hi} A, box ${this.boxSize}, ${this.threads} threads${this.card.placeholder ? ', PLACEHOLDER weights' : ''})`;
  }

  private outputData(out: ort.InferenceSession.OnnxValueMapType, name: string, dims: number[], file: string): Float32Array {
    const t = out[name];
    const path = join(this.dir, file);
    if (!t) throw new ModelError('MODEL_OUTPUT', `${path}: run returned no output "${name}"; re-export with the contract's output names`, path);
    if (t.type !== 'float32' || t.dims.length !== dims.length || t.dims.some((d, i) => d !== dims[i])) {
      throw new ModelError('MODEL_SHAPE', `${path}: output "${name}" is ${t.type} [${t.dims.join(',')}], expected float32 [${dims.join(',')}]; re-export the model in the detection contract`, path);
    }
    const data = t.data as Float32Array;
    if (!this.card.sigmoidInGraph) sigmoidInPlace(data);
    return data;
  }
}

async function openSession(path: string, options: ort.InferenceSession.SessionOptions): Promise<ort.InferenceSession> {
  if (!existsSync(path)) {
    throw new ModelError('MODEL_FILE_MISSING', `${path}: ONNX file not found; put ${STAGE1_FILE} and ${STAGE2_FILE} next to model.json (see models/MODEL_CARD.md)`, path);
  }
  try {
    return await ort.InferenceSession.create(path, options);
  } catch (e) {
    throw new ModelError('MODEL_LOAD', `${path}: onnxruntime cannot load the file (${String((e as Error).message).split('\n')[0]}); re-export it`, path);
  }
}

/**
 * Checks one input/output: present, float32 tensor, rank 5, batch dim free (symbolic, -1 or any number)
 * and the other dims equal to `rest` where the graph fixes them.
 */
function checkValue(meta: readonly ort.InferenceSession.ValueMetadata[], name: string, rest: number[], path: string, kind: 'input' | 'output'): void {
  const m = meta.find((v) => v.name === name);
  const want = `float32 [N,${rest.join(',')}]`;
  if (!m) {
    throw new ModelError('MODEL_IO_NAME', `${path}: no ${kind} named "${name}" (has ${meta.map((v) => v.name).join(', ') || 'none'}); re-export with the names in model.json`, path);
  }
  if (!m.isTensor) throw new ModelError('MODEL_SHAPE', `${path}: ${kind} "${name}" is not a tensor, expected ${want}`, path);
  if (m.type !== 'float32') throw new ModelError('MODEL_SHAPE', `${path}: ${kind} "${name}" has type ${m.type}, expected ${want}; export in float32`, path);
  if (m.shape.length === 0) return; // shape not recorded in the graph: checked on every run instead
  const fixedMismatch = m.shape.length !== 5 || rest.some((d, i) => typeof m.shape[i + 1] === 'number' && m.shape[i + 1] !== -1 && m.shape[i + 1] !== d);
  if (fixedMismatch) {
    throw new ModelError('MODEL_SHAPE', `${path}: ${kind} "${name}" has shape [${m.shape.join(',')}], expected ${want}; re-export the model in the detection contract`, path);
  }
}
