/**
 * DIR/batch-summary.csv and DIR/batch-summary.md: one row per job (name, status, exit code, message,
 * seconds, nucleotides, chains, then the evaluation metrics when any job has a reference).
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { JobRecord } from './run-batch.js';

/** Metrics reported per job (summary.json `evaluation` keys), in this order, when present. */
export const METRIC_COLUMNS = ['coverage', 'precision', 'sequenceRecall', 'sequencePrecision', 'rmsdA', 'pRecall3A', 'clashesPer1000'];

const BASE_COLUMNS = ['name', 'status', 'exit_code', 'message', 'seconds', 'nucleotides', 'chains'];

function cells(r: JobRecord, metrics: string[]): string[] {
  const n = (x: number | null | undefined) => (x === null || x === undefined ? '' : String(+x.toFixed(4)));
  return [r.name, r.status, r.exitCode === null ? '' : String(r.exitCode), r.message, n(r.seconds), n(r.nucleotides), n(r.chains),
    ...metrics.map((m) => n(r.metrics?.[m]))];
}

function metricColumns(records: readonly JobRecord[]): string[] {
  return METRIC_COLUMNS.filter((m) => records.some((r) => typeof r.metrics?.[m] === 'number'));
}

const csvCell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function summaryCsv(records: readonly JobRecord[]): string {
  const metrics = metricColumns(records);
  return [[...BASE_COLUMNS, ...metrics], ...records.map((r) => cells(r, metrics))].map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}

export function summaryMarkdown(records: readonly JobRecord[]): string {
  const metrics = metricColumns(records);
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const head = [...BASE_COLUMNS, ...metrics];
  const counts = new Map<string, number>();
  for (const r of records) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  return [
    `# cryoread batch: ${records.length} jobs (${[...counts].map(([s, k]) => `${k} ${s}`).join(', ')})`,
    '',
    `| ${head.join(' | ')} |`,
    `| ${head.map((_, i) => (i >= 4 && i !== 3 ? '---:' : '---')).join(' | ')} |`,
    ...records.map((r) => `| ${cells(r, metrics).map(esc).join(' | ')} |`),
    '',
  ].join('\n');
}

/** Writes both summaries; returns their paths. */
export function writeBatchSummary(outDir: string, records: readonly JobRecord[]): { csv: string; markdown: string } {
  const csv = join(outDir, 'batch-summary.csv');
  const markdown = join(outDir, 'batch-summary.md');
  writeFileAtomic(csv, summaryCsv(records));
  writeFileAtomic(markdown, summaryMarkdown(records));
  return { csv, markdown };
}
