/**
 * Text for progress and summaries (pure functions: the CLI decides where to print).
 * TTY: one rewritten bar line per stage; otherwise one JSON object per event line, throttled.
 */
import type { ProgressEvent } from '../util/progress.js';
import type { StageTiming } from './types.js';

/** `[#####.....]  42% cluster/sugar 1234/2900` */
export function progressBar(e: ProgressEvent, widthChars = 24): string {
  const frac = e.total > 0 ? Math.min(1, Math.max(0, e.done / e.total)) : 0;
  const fill = Math.round(frac * widthChars);
  const pct = e.total > 0 ? `${Math.round(frac * 100)}%`.padStart(4) : '   ?';
  const count = e.total > 0 ? ` ${e.done}/${e.total}` : '';
  return `[${'#'.repeat(fill)}${'.'.repeat(widthChars - fill)}] ${pct} ${e.stage}${count}`;
}

/**
 * One JSON line per event: {"event":"progress","stage":...,"done":...,"total":...,"elapsedS":...,
 * "message"?: text, "data"?: {structured values, e.g. a finished stage's seconds and counts}}.
 * The CLI ends the stream with `doneJsonLine`.
 */
export function progressJsonLine(e: ProgressEvent, elapsedS: number): string {
  const o: Record<string, unknown> = { event: 'progress', stage: e.stage, done: e.done, total: e.total, elapsedS: Math.round(elapsedS * 1000) / 1000 };
  if (e.message !== undefined) o.message = e.message;
  if (e.data !== undefined) o.data = e.data;
  return JSON.stringify(o);
}

/** The last JSON line of a run: {"event":"done","elapsedS":...,"files":[...],"summary":{...summary.json}}. */
export function doneJsonLine(files: readonly string[], summary: unknown, elapsedS: number): string {
  return JSON.stringify({ event: 'done', elapsedS: Math.round(elapsedS * 1000) / 1000, files, summary });
}

/** A warning as a JSON line: {"event":"warning","message":...}. */
export function warningJsonLine(message: string): string {
  return JSON.stringify({ event: 'warning', message });
}

/**
 * Decides which events are worth a line: stage changes, stage completion, and at most one line per
 * `minIntervalS` otherwise (mean shift reports thousands of events).
 */
export class ProgressThrottle {
  private lastStage = '';
  private lastAtS = -Infinity;
  constructor(private readonly minIntervalS = 0.5) {}
  accept(e: ProgressEvent, nowS: number): boolean {
    const finished = e.total > 0 && e.done >= e.total;
    if (e.stage !== this.lastStage || finished || nowS - this.lastAtS >= this.minIntervalS) {
      this.lastStage = e.stage;
      this.lastAtS = nowS;
      return true;
    }
    return false;
  }
}

/** Plain-text table: stage | seconds | nodes | residues, with a total row. */
export function summaryTable(timings: readonly StageTiming[]): string {
  const rows = timings.map((t) => [t.cached ? `${t.stage} (cached)` : t.stage, t.seconds.toFixed(2), t.nodes === undefined ? '' : String(t.nodes), t.residues === undefined ? '' : String(t.residues)]);
  rows.push(['total', timings.reduce((s, t) => s + t.seconds, 0).toFixed(2), '', '']);
  const head = ['stage', 'seconds', 'nodes', 'residues'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  return [fmt(head), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(fmt)].join('\n');
}
