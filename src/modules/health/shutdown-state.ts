import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppConfig } from '../../config';

/**
 * Turns readiness to 503 as soon as shutdown begins, then waits `shutdownDelayMs` so load
 * balancers stop routing here before the HTTP server closes (Nest closes the server after
 * this hook, and releases Prisma, Redis and queue workers after that).
 */
@Injectable()
export class ShutdownState implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ShutdownState.name);
  private draining = false;

  constructor(private readonly config: AppConfig) {}

  get isDraining(): boolean {
    return this.draining;
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.draining = true;
    this.logger.log(`shutting down${signal ? ` on ${signal}` : ''}: readiness is now 503`);
    if (this.config.shutdownDelayMs > 0) await sleep(this.config.shutdownDelayMs);
  }
}
