// Plain constants only (no decorators): the dev runner, the seed and the test setup import this too.

/** Local servers the dev runner starts when S3_ENDPOINT / SMTP_HOST are not set. */
export const DEV_SERVICES = { s3Port: 4569, smtpPort: 1025, inboxPort: 1080 } as const;

/** Working defaults for development and tests: no `.env` is needed on a machine with local PostgreSQL and Redis. */
export const DEV_DEFAULTS: Readonly<Record<string, string>> = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/wma_dev',
  NEXTAUTH_SECRET: 'dev-only-session-secret-not-for-production-0000',
  NEXTAUTH_URL: 'http://localhost:3000',
  HASH_SECRET: 'dev-only-hash-secret-not-for-production-000000',
  REDIS_HOST: '127.0.0.1',
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
  AWS_REGION: 'us-east-1',
  S3_ENDPOINT: `http://127.0.0.1:${DEV_SERVICES.s3Port}`,
  BUCKET_NAME: 'wma-dev',
  SMTP_HOST: '127.0.0.1',
  SMTP_PORT: String(DEV_SERVICES.smtpPort),
  MAIL_FROM: 'WMA <no-reply@wma.localhost>',
};

/** The management account `pnpm db:seed:dev` creates (development only). */
export const DEV_SEED_LOGIN = { email: 'admin@wma.localhost', password: 'wma-dev-password' } as const;
