import type { INestApplicationContext } from '@nestjs/common';
import { AppConfig, ConfigError } from './config';
import { describeEndpoint, reasonOf, StartupError } from './common/errors';
import { describeRedis, RedisService } from './modules/cache';
import { PrismaService } from './modules/database';

const TIMEOUT_MS = 5_000;

function deadline<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer from ${what} within ${TIMEOUT_MS / 1000} s`)),
      TIMEOUT_MS,
    );
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/**
 * Refuses to start without PostgreSQL and Redis, with one line naming which and why. Object
 * storage and SMTP are not required to start: /health/ready reports storage, and mail waits in
 * the queue until SMTP answers.
 */
export async function verifyDependencies(app: INestApplicationContext): Promise<void> {
  const config = app.get(AppConfig);
  try {
    await deadline(app.get(PrismaService).$queryRaw`SELECT 1`, 'PostgreSQL');
  } catch (err) {
    throw new StartupError(
      `Cannot reach PostgreSQL at ${describeEndpoint(config.database.url)} (${reasonOf(err)})`,
    );
  }
  const redis = app.get(RedisService);
  try {
    if (redis.client.status === 'wait') await deadline(redis.client.connect(), 'Redis');
    await deadline(redis.client.ping(), 'Redis');
  } catch (err) {
    throw new StartupError(`Cannot reach Redis at ${describeRedis(config.redis)} (${reasonOf(err)})`);
  }
}

/** Prints one line for the failures a person can fix (environment, unreachable service) and exits 1. */
export function exitOnStartupFailure(err: unknown): never {
  if (err instanceof ConfigError || err instanceof StartupError) {
    process.stderr.write(`wma: ${err.message}\n`);
  } else {
    process.stderr.write(`wma: failed to start: ${reasonOf(err)}\n`);
  }
  process.exit(1);
}
