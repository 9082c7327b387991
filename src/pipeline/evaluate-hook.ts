/** Metrics of a built model against a reference file (src/evaluate), for the CLI and npm start. */
import { readStructure } from '../io/structure-file.js';
import { evaluateModel, type EvaluationMetrics } from '../evaluate/index.js';
import type { Structure } from '../structure/model.js';

export function evaluateAgainst(model: Structure, referencePath: string): EvaluationMetrics {
  return evaluateModel(model, readStructure(referencePath));
}
