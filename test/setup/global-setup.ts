// Once per `pnpm test`: a throwaway PostgreSQL database with every migration applied (through
// the same Prisma CLI wrapper the project uses, so the offline engine is exercised), a Redis key
// prefix of its own, an S3-compatible server (s3rver) and an SMTP receiver on free ports.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startSmtpReceiver } from './smtp-receiver';
import { TEST_STATE, type TestRunState } from './test-env';

const ROOT = join(__dirname, '..', '..');
const PG_BASE = process.env.TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';

/**
 * Runs killed before their teardown leave their database behind. The run id starts with the
 * creation time (base 36), so databases of runs older than an hour can be told apart and dropped.
 */
async function dropStaleTestDatabases(admin: Client): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(
    "SELECT datname FROM pg_database WHERE datname LIKE 'wma_test_%'",
  );
  for (const { datname } of rows) {
    const created = parseInt(datname.slice('wma_test_'.length, -6), 36);
    if (Number.isFinite(created) && Date.now() - created > 3_600_000) {
      await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  }
}

export default async function globalSetup(): Promise<void> {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const databaseName = `wma_test_${runId}`;
  const adminUrl = `${PG_BASE}/postgres`;

  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await dropStaleTestDatabases(admin);
  await admin.query(`CREATE DATABASE "${databaseName}"`);
  await admin.end();
  const databaseUrl = `${PG_BASE}/${databaseName}`;

  const migrate = spawnSync(process.execPath, [join(ROOT, 'scripts', 'prisma.mjs'), 'migrate', 'deploy'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, DIRECT_URL: databaseUrl },
    encoding: 'utf8',
  });
  if (migrate.status !== 0)
    throw new Error(`migrations failed on the test database:\n${migrate.stdout}\n${migrate.stderr}`);

  // s3rver ships no types.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const S3rver = require('s3rver') as new (o: Record<string, unknown>) => {
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
  };
  const s3Dir = mkdtempSync(join(tmpdir(), 'wma-s3-'));
  const bucket = `wma-test-${runId}`;
  const s3 = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: s3Dir,
    configureBuckets: [{ name: bucket }],
  });
  const s3Address = await s3.run();
  const smtp = await startSmtpReceiver();

  const redisPrefix = `wma-test-${runId}:`;
  Object.assign(process.env, {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: databaseUrl,
    DIRECT_URL: databaseUrl,
    REDIS_HOST: process.env.TEST_REDIS_HOST ?? '127.0.0.1',
    REDIS_PORT: process.env.TEST_REDIS_PORT ?? '6379',
    REDIS_PREFIX: redisPrefix,
    S3_ENDPOINT: `http://127.0.0.1:${s3Address.port}`,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
    BUCKET_NAME: bucket,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtp.smtpPort),
    SMTP_SECURE: 'false',
    MAIL_FROM: 'WMA Test <no-reply@wma.test>',
    NEXTAUTH_URL: 'http://wma.test',
    TEST_INBOX_URL: smtp.inboxUrl,
    RUN_WORKERS: 'true',
    // Each submission mailed at once; the digest window has its own test.
    SUBMISSION_DIGEST_MINUTES: '0',
  });
  delete process.env.REDIS_URL;
  delete process.env.GMAIL_APP_PASSWORD;

  const state: TestRunState = { runId, databaseName, adminUrl, redisPrefix, s3Dir };
  (globalThis as Record<string, unknown>)[TEST_STATE] = { state, s3, smtp };
}
