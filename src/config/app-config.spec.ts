import { ConfigError, loadConfig } from './app-config';

const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgresql://wma:pw@db:5432/wma',
  NEXTAUTH_SECRET: 'x'.repeat(40),
  NEXTAUTH_URL: 'https://wma.example.com',
  HASH_SECRET: 'y'.repeat(40),
  REDIS_URL: 'redis://wma-redis:6379',
  AWS_ACCESS_KEY_ID: 'key',
  AWS_SECRET_ACCESS_KEY: 'secret',
  AWS_REGION: 'fra1',
  S3_ENDPOINT: 'https://fra1.digitaloceanspaces.com',
  BUCKET_NAME: 'wma-attachments',
  SMTP_HOST: 'smtp.example.com',
  MAIL_FROM: 'WMA <no-reply@example.com>',
  CLOUDFLARE_TURNSTILE_SECRET_KEY: 'turnstile-secret',
};

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe(loadConfig.name, () => {
  describe('in development', () => {
    it('works with an empty environment', () => {
      const config = loadConfig({});
      expect(config.env).toBe('development');
      expect(config.port).toBe(3000);
      expect(config.database.url).toBe('postgresql://postgres@127.0.0.1:5432/wma_dev');
      expect(config.database.directUrl).toBe(config.database.url);
      expect(config.redis).toMatchObject({ host: '127.0.0.1', port: 6379, prefix: 'wma:' });
      expect(config.storage).toMatchObject({ endpoint: 'http://127.0.0.1:4569', createBucket: true });
      expect(config.mail).toMatchObject({ host: '127.0.0.1', port: 1025, secure: false });
      expect(config.runWorkers).toBe(true);
      expect(config.tuning).toEqual({
        inviteTtlHours: 72,
        resetTtlMinutes: 60,
        maxUploadMb: 25,
        maxAttachmentsPerRecord: 10,
        submissionDigestMs: 900_000,
      });
    });

    it('still rejects a malformed value that is given', () => {
      expect(problemsOf({ PORT: 'eighty' })).toEqual(['PORT must be a port number']);
    });
  });

  describe('in production', () => {
    it('accepts a complete environment', () => {
      const config = loadConfig(PRODUCTION_ENV);
      expect(config.isProduction).toBe(true);
      expect(config.redis.url).toBe('redis://wma-redis:6379');
      expect(config.storage.createBucket).toBe(false);
      expect(config.shutdownDelayMs).toBe(2000);
      expect(config.public.hostUrl).toBe('https://wma.example.com');
    });

    it('lists every missing variable at once', () => {
      const problems = problemsOf({ NODE_ENV: 'production' });
      for (const name of [
        'DATABASE_URL',
        'NEXTAUTH_SECRET',
        'NEXTAUTH_URL',
        'HASH_SECRET',
        'REDIS_URL',
        'AWS_ACCESS_KEY_ID',
        'AWS_SECRET_ACCESS_KEY',
        'AWS_REGION',
        'BUCKET_NAME',
        'SMTP_HOST',
        'MAIL_FROM',
        'CLOUDFLARE_TURNSTILE_SECRET_KEY',
      ]) {
        expect(problems.some((p) => p.startsWith(name))).toBe(true);
      }
    });

    it('names malformed values in one message', () => {
      let error: unknown;
      try {
        loadConfig({
          ...PRODUCTION_ENV,
          DATABASE_URL: 'mysql://nope',
          NEXTAUTH_SECRET: 'short',
          SMTP_PORT: '99999',
        });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message).toContain('3 problems');
      expect(message).toContain('DATABASE_URL must be a postgresql:// connection URL');
      expect(message).toContain('NEXTAUTH_SECRET must be at least 32 characters');
      expect(message).toContain('SMTP_PORT');
      expect(message).not.toMatch(/\n\s+at \S+ \(/);
    });

    it('accepts REDIS_HOST + REDIS_PORT instead of REDIS_URL', () => {
      const { REDIS_URL: _omit, ...rest } = PRODUCTION_ENV;
      const config = loadConfig({ ...rest, REDIS_HOST: 'cache.internal', REDIS_PORT: '6380' });
      expect(config.redis).toMatchObject({ url: undefined, host: 'cache.internal', port: 6380 });
    });

    it('needs no Turnstile secret when TURNSTILE_DISABLED=true is explicit', () => {
      const { CLOUDFLARE_TURNSTILE_SECRET_KEY: _omit, ...rest } = PRODUCTION_ENV;
      expect(problemsOf(rest)).toEqual([
        'CLOUDFLARE_TURNSTILE_SECRET_KEY must be set (or TURNSTILE_DISABLED=true)',
      ]);
      expect(loadConfig({ ...rest, TURNSTILE_DISABLED: 'true' }).turnstile.disabled).toBe(true);
    });

    it('sends through Gmail when only GMAIL_APP_PASSWORD is given', () => {
      const { SMTP_HOST: _omit, ...rest } = PRODUCTION_ENV;
      const config = loadConfig({ ...rest, GMAIL_APP_PASSWORD: 'app-password' });
      expect(config.mail).toEqual({
        host: 'smtp.gmail.com',
        port: 465,
        secure: true,
        user: 'no-reply@example.com',
        password: 'app-password',
        from: 'WMA <no-reply@example.com>',
      });
    });

    it('uses DIRECT_URL for migrations when given', () => {
      const config = loadConfig({ ...PRODUCTION_ENV, DIRECT_URL: 'postgresql://wma:pw@db-direct:5432/wma' });
      expect(config.database).toEqual({
        url: 'postgresql://wma:pw@db:5432/wma',
        directUrl: 'postgresql://wma:pw@db-direct:5432/wma',
      });
    });

    it('parses booleans and refuses nonsense', () => {
      expect(loadConfig({ ...PRODUCTION_ENV, RUN_WORKERS: 'false' }).runWorkers).toBe(false);
      expect(problemsOf({ ...PRODUCTION_ENV, RUN_WORKERS: 'sometimes' })).toEqual([
        'RUN_WORKERS must be true or false',
      ]);
    });
  });
});
