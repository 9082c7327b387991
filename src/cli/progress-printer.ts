/**
 * Progress on stderr for the CLI commands (build, refine): a bar per stage on a terminal (a finished
 * pipeline stage keeps its line, sub-stage bars overwrite it), or one JSON line per event with
 * --json-progress; throttled (0.1 s bars, 0.5 s JSON).
 */
import type { ProgressEvent } from '../util/progress.js';
import { progressBar, progressJsonLine, ProgressThrottle } from '../pipeline/progress-format.js';

export function cliProgressPrinter(json: boolean): { onProgress: (e: ProgressEvent) => void; finish: () => void } {
  const t0 = performance.now();
  const throttle = new ProgressThrottle(json ? 0.5 : 0.1);
  let open = false;
  return {
    onProgress(e) {
      const now = (performance.now() - t0) / 1000;
      if (!throttle.accept(e, now)) return;
      if (json) { process.stderr.write(progressJsonLine(e, now) + '\n'); return; }
      // One line per pipeline stage: sub-stage bars overwrite it, a finished stage keeps its line.
      const top = e.stage.startsWith('pipeline/');
      if (top && e.done === 0) return;
      process.stderr.write(`\r\x1b[2K${top ? progressBar({ ...e, stage: e.stage.slice('pipeline/'.length), message: undefined }) : progressBar(e)} ${now.toFixed(1)}s`);
      open = true;
      if (top && e.total > 0 && e.done >= e.total) { process.stderr.write('\n'); open = false; }
    },
    finish() { if (open) process.stderr.write('\n'); },
  };
}
