import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../config';
import { PrismaService } from '../database';
import { StorageService } from '../storage';

const EVERY_MS = 60 * 60 * 1000;
const MIN_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * Removes attachment objects that have no row and are older than a day (an upload whose row
 * was never written, a removal whose object delete failed). Runs hourly where RUN_WORKERS is on.
 */
@Injectable()
export class OrphanSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OrphanSweeper.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly prisma: PrismaService,
    private readonly storage: StorageService,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.runWorkers) return;
    this.timer = setInterval(() => {
      this.sweep().catch((err: Error) => this.logger.warn(`sweep failed: ${err.message}`));
    }, EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One pass; returns the keys removed. */
  async sweep(now = new Date(), minAgeMs = MIN_AGE_MS): Promise<string[]> {
    const removed: string[] = [];
    for await (const { key, lastModified } of this.storage.listKeys('records/')) {
      if (now.getTime() - lastModified.getTime() < minAgeMs) continue;
      const row = await this.prisma.attachment.findUnique({
        where: { storageKey: key },
        select: { id: true },
      });
      if (row) continue;
      await this.storage.delete(key);
      removed.push(key);
    }
    if (removed.length) this.logger.log(`removed ${removed.length} orphaned object(s)`);
    return removed;
  }
}
