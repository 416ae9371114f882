import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '../../config';
import { redisOptions } from './redis-options';
import { logErrorsOnce } from '../../common/log-errors-once';

/** The app's one general-purpose Redis connection (cache, sessions, rate limits). */
@Injectable()
export class RedisService implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisService.name);
  readonly client: Redis;
  readonly prefix: string;

  constructor(config: AppConfig) {
    this.prefix = config.redis.prefix;
    this.client = new Redis(redisOptions(config.redis, { lazyConnect: true, maxRetriesPerRequest: 1 }));
    logErrorsOnce(this.client, this.logger, 'Redis', 'ready');
  }

  /** PING with a deadline; false instead of hanging when Redis is away. */
  async ping(timeoutMs = 1_000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    try {
      if (this.client.status === 'wait') void this.client.connect().catch(() => undefined);
      return await Promise.race([this.client.ping().then((r) => r === 'PONG'), timeout]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.client.status === 'end') return;
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }
}
