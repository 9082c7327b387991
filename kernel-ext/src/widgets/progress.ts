/**
 * StageProgress: progress of a long stage in a notebook cell. A stock HTML control (no JavaScript of
 * ours) showing a <progress> bar, the stage name, done/total and the elapsed time, updated at most
 * every `minIntervalMs` and on each stage change. Pass `progress.ctx` (or `progress.onProgress`) as
 * the stage's StageContext. Outside the cryoread kernel it prints one line per stage instead.
 */
import type { ProgressEvent, StageContext } from '../../../src/util/progress.js';
import { getCommManager } from '../comm-manager.js';
import { HTML } from './controls.js';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export class StageProgress {
  readonly widget: HTML | null;
  readonly ctx: StageContext;
  #t0 = performance.now();
  #last = 0;
  #stage = '';
  #minIntervalMs: number;

  constructor(readonly title: string, options: { minIntervalMs?: number; signal?: AbortSignal } = {}) {
    this.#minIntervalMs = options.minIntervalMs ?? 250;
    this.widget = getCommManager() ? new HTML(this.#html(title, 0, 0, 'starting')) : null;
    this.widget?.display();
    this.ctx = { onProgress: (e) => this.onProgress(e), ...(options.signal ? { signal: options.signal } : {}) };
  }

  #html(stage: string, done: number, total: number, message = ''): string {
    const secs = ((performance.now() - this.#t0) / 1000).toFixed(1);
    const bar = total > 0 ? `<progress value="${done}" max="${total}" style="width:240px"></progress> ${done}/${total}` : '<progress style="width:240px"></progress>';
    return `<div style="font:12px sans-serif"><b>${esc(this.title)}</b> ${bar} <span>${esc(stage)}</span> <span style="color:#666">${esc(message)} (${secs} s)</span></div>`;
  }

  onProgress(e: ProgressEvent): void {
    const now = performance.now();
    const changed = e.stage !== this.#stage;
    if (!changed && now - this.#last < this.#minIntervalMs && e.done < e.total) return;
    this.#last = now;
    if (changed && !this.widget) console.log(`${this.title}: ${e.stage} ...`);
    this.#stage = e.stage;
    this.widget?.set('value', this.#html(e.stage, e.done, e.total, e.message && e.message.length < 80 ? e.message : ''));
  }

  /** Seconds since the start. */
  get elapsedS(): number {
    return (performance.now() - this.#t0) / 1000;
  }

  /** Marks the run finished with a one-line summary (returns nothing, so a cell ending here prints nothing). */
  done(summary = 'done'): void {
    const text = `${this.title}: ${summary} (${this.elapsedS.toFixed(1)} s)`;
    if (this.widget) this.widget.set('value', `<div style="font:12px sans-serif">&#10003; ${esc(text)}</div>`);
    else console.log(text);
  }
}
