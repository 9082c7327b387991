/**
 * Metrics of a built model against a reference file (src/evaluate), for the CLI and npm start. With the FASTA the
 * model was built with, register recall compares FASTA positions (evaluate/fasta-register.ts): the build knows
 * which record each chain carries, and the reference's chains are aligned to the records.
 */
import { readStructure } from '../io/structure-file.js';
import { evaluateModel, fastaRegisterMaps, type EvaluationMetrics } from '../evaluate/index.js';
import type { Structure } from '../structure/model.js';
import type { BuiltChainInfo } from '../build/numbering.js';
import type { FastaRecordLike } from './types.js';

export function evaluateAgainst(model: Structure & { chainInfo?: BuiltChainInfo[] }, referencePath: string, fasta: readonly FastaRecordLike[] | null = null): EvaluationMetrics {
  return evaluateAgainstStructure(model, readStructure(referencePath), fasta);
}

/**
 * The same with the reference already read. A chain the build split where two consecutive FASTA positions are not
 * bonded goes on under a new chain id with the record's numbering (build/numbering.ts): its residues count at their
 * FASTA positions through the build's chain info, not by chain id.
 */
export function evaluateAgainstStructure(model: Structure & { chainInfo?: BuiltChainInfo[] }, reference: Structure, fasta: readonly FastaRecordLike[] | null = null): EvaluationMetrics {
  if (!fasta?.length || !model.chainInfo) return evaluateModel(model, reference);
  const recordOf = new Map(model.chainInfo.map((c) => [c.id, c.assigned ? c.assigned.recordIndex : null]));
  return evaluateModel(model, reference, {}, { register: fastaRegisterMaps(reference, fasta, (id) => recordOf.get(id) ?? null) });
}
