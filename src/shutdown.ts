import type { INestApplicationContext } from '@nestjs/common';

const FORCE_EXIT_AFTER_MS = 30_000;

/**
 * On SIGTERM or SIGINT: close the app (readiness 503, then the HTTP server drains, then queue
 * workers, Prisma and Redis close) and exit 0. Nest's own shutdown hooks re-raise the signal
 * after closing, which ends the process "killed by signal" instead of exiting cleanly.
 */
export function exitCleanlyOnSignals(app: INestApplicationContext): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) return;
    closing = true;
    setTimeout(() => {
      process.stderr.write(
        `wma: shutdown took longer than ${FORCE_EXIT_AFTER_MS / 1000} s; exiting anyway\n`,
      );
      process.exit(1);
    }, FORCE_EXIT_AFTER_MS).unref();
    // The concrete context's close() passes the signal on to the shutdown hooks (logged there).
    (app as INestApplicationContext & { close(signal?: string): Promise<void> })
      .close(signal)
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        process.stderr.write(`wma: error during shutdown: ${String(err)}\n`);
        process.exit(1);
      });
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
