/**
 * SIGINT/SIGTERM handling of long CLI commands: the first signal aborts the run through an
 * AbortController (stages stop at their next check; a detection batch in native code is no longer
 * waited for) and says so; a second signal runs `cleanup` synchronously and exits at once.
 * An interrupted command ends by SIGINT (`exitInterrupted`): the shell reports status 130, the
 * kernel ends the process at once, and a calling script sees that its child was interrupted (the
 * usual convention for SIGINT). process.exit(130) instead would wait for an onnxruntime batch still
 * running in native code: onnxruntime joins its thread pool at exit.
 */

/** Ends the process as interrupted (status 130); never returns. */
export function exitInterrupted(): void {
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.kill(process.pid, 'SIGINT');
  // SIGINT ignored (a background job of a non-interactive shell): plain exit.
  setTimeout(() => process.exit(130), 100);
}

export function handleInterrupts(controller: AbortController, cleanup: () => void, command: string): () => void {
  let count = 0;
  const handler = (signal: NodeJS.Signals) => {
    count++;
    if (count === 1) {
      process.stderr.write(`\ncryoread ${command}: ${signal} received, stopping (press Ctrl-C again to exit at once)\n`);
      controller.abort();
      return;
    }
    try { cleanup(); } finally {
      process.stderr.write(`cryoread ${command}: exiting now\n`);
      exitInterrupted();
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
