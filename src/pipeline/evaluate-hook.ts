/** Metrics of a built model against a reference file (src/evaluate), for the CLI and npm start. */
import { readStructure } from '../io/structure-file.js';
import type { Structure } from '../structure/model.js';

type EvaluateModel = (model: Structure, reference: Structure) => unknown;

export async function evaluateAgainst(model: Structure, referencePath: string): Promise<Record<string, unknown>> {
  const reference = readStructure(referencePath);
  // Loaded by name so the pipeline builds while src/evaluate is being written.
  const spec = '../evaluate/index.js';
  let evaluateModel: EvaluateModel | undefined;
  try {
    evaluateModel = ((await import(spec)) as { evaluateModel?: EvaluateModel }).evaluateModel;
  } catch {
    evaluateModel = undefined;
  }
  if (!evaluateModel) return { note: 'src/evaluate (evaluateModel) is not available in this build' };
  return { ...((await evaluateModel(model, reference)) as Record<string, unknown>) };
}
