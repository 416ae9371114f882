import type { RedisOptions } from 'ioredis';
import type { RedisSettings } from '../../config';

/**
 * Connection options shared by every Redis client of the app (cache, sessions, queues).
 * `extra` lets BullMQ ask for `maxRetriesPerRequest: null`, which its blocking workers require.
 */
export function redisOptions(settings: RedisSettings, extra: RedisOptions = {}): RedisOptions {
  const base: RedisOptions = settings.url
    ? parseRedisUrl(settings.url)
    : { host: settings.host, port: settings.port };
  return {
    ...base,
    connectTimeout: 5_000,
    // Back off up to 2 s between reconnects; never give up (Redis restarts are survivable).
    retryStrategy: (times: number) => Math.min(times * 200, 2_000),
    ...extra,
  };
}

function parseRedisUrl(url: string): RedisOptions {
  const u = new URL(url);
  const db = u.pathname && u.pathname !== '/' ? Number(u.pathname.slice(1)) : undefined;
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: Number.isInteger(db) ? db : undefined,
    tls: u.protocol === 'rediss:' ? {} : undefined,
  };
}

/** "host:port" for messages, without credentials. */
export function describeRedis(settings: RedisSettings): string {
  const o = redisOptions(settings);
  return `${o.host}:${o.port}`;
}
