import { Injectable } from '@nestjs/common';
import { RedisService } from './redis.service';

/** JSON values in Redis under the app's key prefix, with a time to live in seconds. */
@Injectable()
export class CacheService {
  private readonly inflight = new Map<string, Promise<unknown>>();

  constructor(private readonly redis: RedisService) {}

  private key(key: string): string {
    return `${this.redis.prefix}cache:${key}`;
  }

  async get<T>(key: string): Promise<T | undefined> {
    const raw = await this.redis.client.get(this.key(key));
    return raw === null ? undefined : (JSON.parse(raw) as T);
  }

  async set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0)
      throw new RangeError('ttlSeconds must be a positive integer');
    if (value === undefined) throw new TypeError('cannot cache undefined');
    await this.redis.client.set(this.key(key), JSON.stringify(value), 'EX', ttlSeconds);
  }

  /** Atomically adds 1 to a counter (created at 0) and returns the new value; readable with `get`. */
  async incr(key: string): Promise<number> {
    return this.redis.client.incr(this.key(key));
  }

  /** Removes one or more keys. */
  async del(...keys: string[]): Promise<void> {
    if (keys.length) await this.redis.client.del(...keys.map((k) => this.key(k)));
  }

  /**
   * The cached value, or the result of `fn` stored for `ttlSeconds`. Concurrent calls in this
   * process for the same key share one computation.
   */
  async wrap<T>(key: string, ttlSeconds: number, fn: () => Promise<T>): Promise<T> {
    const hit = await this.get<T>(key);
    if (hit !== undefined) return hit;
    const running = this.inflight.get(key) as Promise<T> | undefined;
    if (running) return running;
    const work = (async () => {
      const value = await fn();
      if (value !== undefined) await this.set(key, value, ttlSeconds);
      return value;
    })();
    this.inflight.set(key, work);
    try {
      return await work;
    } finally {
      this.inflight.delete(key);
    }
  }
}
