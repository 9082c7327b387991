/**
 * The model card `models/<name>/model.json`: what the detection code needs to know about an ONNX pair.
 * Checked field by field so a bad card fails with the file and the field named.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelError } from '../util/errors.js';

export interface ModelCard {
  /** Model name (the folder name under models/). */
  name: string;
  /** Base channel width of the network. */
  width?: number;
  /** Map resolutions (A) the model was trained for, [low, high]. */
  resolutionRangeA: [number, number];
  /** Cubic box edge in voxels. */
  boxSize: number;
  /** ONNX opset of the export. */
  opset?: number;
  /** True for randomly initialised weights (shapes right, predictions meaningless). */
  placeholder: boolean;
  stage1: { input: string; outputs: [string, string] };
  stage2: { input: string; output: string };
  /** True when the graphs end in a sigmoid (probabilities); false when they emit logits. */
  sigmoidInGraph: boolean;
  /** Every other field of the card, kept as read. */
  extra: Record<string, unknown>;
}

export const MODEL_CARD_FILE = 'model.json';
export const STAGE1_FILE = 'stage1.onnx';
export const STAGE2_FILE = 'stage2.onnx';

/** Parses and checks a model card. `source` names the file in messages. */
export function parseModelCard(text: string, source: string): ModelCard {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ModelError('MODEL_CARD_JSON', `${source}: not valid JSON (${(e as Error).message}); fix or regenerate the model card`, source);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ModelError('MODEL_CARD_JSON', `${source}: expected a JSON object; regenerate the model card`, source);
  }
  const o = raw as Record<string, unknown>;
  const bad = (field: string, want: string): never => {
    throw new ModelError('MODEL_CARD_FIELD', `${source}: field "${field}" = ${JSON.stringify(o[field] ?? null)} should be ${want}; fix the model card`, source);
  };
  const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
  if (!str(o.name)) bad('name', 'a non-empty string');
  const range = o.resolutionRangeA;
  if (!Array.isArray(range) || range.length !== 2 || !range.every((x) => typeof x === 'number' && x > 0) || !(range[0] <= range[1])) {
    bad('resolutionRangeA', '[low, high] in Angstroms with 0 < low <= high');
  }
  const boxSize = o.boxSize ?? 64;
  if (!Number.isInteger(boxSize) || (boxSize as number) < 1) bad('boxSize', 'a positive integer (64)');
  const s1 = o.stage1 as Record<string, unknown> | undefined;
  if (!s1 || !str(s1.input) || !Array.isArray(s1.outputs) || s1.outputs.length !== 2 || !s1.outputs.every(str)) {
    bad('stage1', '{ "input": "density", "outputs": ["chain", "base"] }');
  }
  const s2 = o.stage2 as Record<string, unknown> | undefined;
  if (!s2 || !str(s2.input) || !str(s2.output)) bad('stage2', '{ "input": "prob8", "output": "prob" }');
  if (o.sigmoidInGraph !== undefined && typeof o.sigmoidInGraph !== 'boolean') bad('sigmoidInGraph', 'true or false');
  if (o.placeholder !== undefined && typeof o.placeholder !== 'boolean') bad('placeholder', 'true or false');
  const known = new Set(['name', 'width', 'resolutionRangeA', 'boxSize', 'opset', 'placeholder', 'stage1', 'stage2', 'sigmoidInGraph']);
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (!known.has(k)) extra[k] = v;
  return {
    name: o.name as string,
    width: typeof o.width === 'number' ? o.width : undefined,
    resolutionRangeA: [(range as number[])[0], (range as number[])[1]],
    boxSize: boxSize as number,
    opset: typeof o.opset === 'number' ? o.opset : undefined,
    placeholder: o.placeholder === true,
    stage1: { input: s1!.input as string, outputs: [(s1!.outputs as string[])[0], (s1!.outputs as string[])[1]] },
    stage2: { input: s2!.input as string, output: s2!.output as string },
    sigmoidInGraph: o.sigmoidInGraph !== false,
    extra,
  };
}

/** Reads `<dir>/model.json`; ModelError when it is missing. */
export function readModelCard(dir: string): ModelCard {
  const path = join(dir, MODEL_CARD_FILE);
  if (!existsSync(path)) {
    throw new ModelError('MODEL_CARD_MISSING', `${path}: model card not found; a model folder needs ${MODEL_CARD_FILE}, ${STAGE1_FILE} and ${STAGE2_FILE}`, path);
  }
  return parseModelCard(readFileSync(path, 'utf8'), path);
}
