import type { Logger } from '@nestjs/common';

interface Emitter {
  on(event: string, listener: (err: Error) => void): unknown;
}

/**
 * Logs each distinct 'error' of a reconnecting client once, not once per retry (without a
 * listener, ioredis and BullMQ print every failed reconnect). `resetOn` (e.g. 'ready') forgets
 * the last error, so the next outage is logged again.
 */
export function logErrorsOnce(emitter: Emitter, logger: Logger, label: string, resetOn?: string): void {
  let last = '';
  emitter.on('error', (err: Error) => {
    if (err.message !== last) logger.warn(`${label}: ${err.message}`);
    last = err.message;
  });
  if (resetOn) emitter.on(resetOn, () => (last = ''));
}
