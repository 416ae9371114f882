import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../../common/auth/decorators';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
} from '@nestjs/terminus';
import { DatabaseHealth } from '../database';
import { RedisService } from '../cache';
import { StorageService } from '../storage';
import { ShutdownState } from './shutdown-state';

const CHECK_TIMEOUT_MS = 2_000;

@ApiExcludeController()
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: DatabaseHealth,
    private readonly redis: RedisService,
    private readonly storage: StorageService,
    private readonly shutdown: ShutdownState,
  ) {}

  /** The process is up. No external calls. */
  @Get('live')
  @Header('Cache-Control', 'no-store')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** 200 when PostgreSQL (with every migration applied), Redis and the bucket answer; 503 naming what does not. */
  @Get('ready')
  @Header('Cache-Control', 'no-store')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => {
        const s = this.indicators.check('process');
        return this.shutdown.isDraining ? s.down({ message: 'shutting down' }) : s.up();
      },
      async () => {
        const s = this.indicators.check('database');
        const status = await withTimeout(this.database.check(), CHECK_TIMEOUT_MS);
        if (!status) return s.down({ message: 'database did not answer in time' });
        if (!status.up) return s.down({ message: status.error ?? 'database unreachable' });
        if (status.pendingMigrations.length) {
          return s.down({ message: 'migrations pending', pending: status.pendingMigrations });
        }
        return s.up();
      },
      async () => {
        const s = this.indicators.check('redis');
        return (await this.redis.ping(CHECK_TIMEOUT_MS))
          ? s.up()
          : s.down({ message: 'redis did not answer PING' });
      },
      async () => {
        const s = this.indicators.check('storage');
        try {
          const ok = await withTimeout(this.storage.bucketReachable(), CHECK_TIMEOUT_MS);
          if (ok === undefined) return s.down({ message: 'storage did not answer in time' });
          return ok ? s.up() : s.down({ message: `bucket ${this.storage.bucket} not found` });
        } catch {
          return s.down({ message: 'storage unreachable' });
        }
      },
    ]);
  }
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
