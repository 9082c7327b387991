/**
 * SIGINT/SIGTERM handling of long CLI commands: the first signal aborts the run through an
 * AbortController (stages stop at their next check; a detection batch in native code is no longer
 * waited for) and says so; a second signal runs `cleanup` synchronously and exits with 130 at once.
 */
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
      process.exit(130);
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
