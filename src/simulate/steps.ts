/**
 * One implementation, two drivers: long simulate computations are written as generators that
 * `yield` between chunks of work. `runSteps` drives them synchronously (checking the AbortSignal at
 * every step), `runStepsAsync` also lets the event loop run at every step, so a notebook interrupt or
 * a progress display can act.
 */
import { throwIfAborted, yieldToEventLoop, type StageContext } from '../util/progress.js';

export type Steps<T> = Generator<void, T, void>;

export function runSteps<T>(steps: Steps<T>, ctx: StageContext | undefined, stage: string): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    throwIfAborted(ctx, stage);
  }
}

export async function runStepsAsync<T>(steps: Steps<T>, ctx: StageContext | undefined, stage: string): Promise<T> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await yieldToEventLoop(ctx, stage);
  }
}
