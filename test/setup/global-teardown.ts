import { rmSync } from 'node:fs';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import type { SmtpReceiver } from './smtp-receiver';
import { TEST_STATE, type TestRunState } from './test-env';

/** Drops the run's database, deletes its Redis keys and stops its S3 and SMTP servers. */
export default async function globalTeardown(): Promise<void> {
  const held = (globalThis as Record<string, unknown>)[TEST_STATE] as
    { state: TestRunState; s3: { close(): Promise<void> }; smtp: SmtpReceiver } | undefined;
  if (!held) return;
  const { state, s3, smtp } = held;
  await Promise.allSettled([s3.close(), smtp.close()]);
  rmSync(state.s3Dir, { recursive: true, force: true });

  const redis = new Redis({
    host: process.env.REDIS_HOST,
    port: Number(process.env.REDIS_PORT),
    lazyConnect: true,
  });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${state.redisPrefix}*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }

  const admin = new Client({ connectionString: state.adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${state.databaseName}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
