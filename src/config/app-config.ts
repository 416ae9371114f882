import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { DEV_DEFAULTS } from './dev-defaults';
import { EnvironmentVariables } from './env.schema';

export type NodeEnv = 'development' | 'test' | 'production';

/** Defaults that hold in every environment. */
const ALWAYS_DEFAULTS: Readonly<Record<string, string>> = {
  NODE_ENV: 'development',
  REDIS_PORT: '6379',
  REDIS_PREFIX: 'wma:',
  PORT: '3000',
  RUN_WORKERS: 'true',
  INVITE_TTL_HOURS: '72',
  RESET_TTL_MINUTES: '60',
  MAX_UPLOAD_MB: '25',
  MAX_ATTACHMENTS_PER_RECORD: '10',
  SUBMISSION_DIGEST_MINUTES: '15',
  SESSION_IDLE_MINUTES: '30',
  SESSION_ABSOLUTE_HOURS: '12',
  TURNSTILE_DISABLED: 'false',
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid environment (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  - ${problems.join('\n  - ')}`,
    );
    this.name = 'ConfigError';
  }
}

export interface RedisSettings {
  url?: string;
  host: string;
  port: number;
  /** Every key WMA writes starts with this (sessions, cache, rate limits, queues). */
  prefix: string;
}

export interface StorageSettings {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  endpoint?: string;
  bucket: string;
  /** Create the bucket at start when missing (development and test only). */
  createBucket: boolean;
}

export interface MailSettings {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
}

/** The one typed configuration object. Built from the environment by {@link loadConfig}. */
export class AppConfig {
  env: NodeEnv;
  isProduction: boolean;
  port: number;
  logLevel: string;
  runWorkers: boolean;
  /** How long readiness reports 503 before the HTTP server closes on SIGTERM. */
  shutdownDelayMs: number;
  database: { url: string; directUrl: string };
  auth: {
    sessionSecret: string;
    baseUrl: string;
    hashSecret: string;
    sessionIdleMs: number;
    sessionAbsoluteMs: number;
  };
  redis: RedisSettings;
  storage: StorageSettings;
  mail: MailSettings;
  public: { hostUrl: string; turnstileSiteKey?: string };
  /** Turnstile runs when a secret is set and it is not explicitly disabled. */
  turnstile: {
    enabled: boolean;
    secretKey?: string;
    siteKey?: string;
    disabled: boolean;
    verifyUrl: string;
    hostname: string;
    /** siteverify gets this long before the check fails closed. */
    timeoutMs: number;
  };
  tuning: {
    inviteTtlHours: number;
    resetTtlMinutes: number;
    maxUploadMb: number;
    maxAttachmentsPerRecord: number;
    /** Submissions within one window reach management as one email (0: at once, one each). */
    submissionDigestMs: number;
  };
}

function flatten(errors: ValidationError[]): string[] {
  return errors.flatMap((e) => {
    const messages = Object.values(e.constraints ?? {});
    const unique = [...new Set(messages)];
    return unique.length ? [unique[0]] : flatten(e.children ?? []);
  });
}

function pickDefined(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

function mailFromAddress(from: string): string {
  return /<([^>]+)>/.exec(from)?.[1] ?? from;
}

/**
 * Reads and validates the environment. In production every required variable must be set; in
 * development and test each has a working default. Throws {@link ConfigError} listing every problem.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const given = pickDefined(env);
  const nodeEnv = given.NODE_ENV ?? 'development';
  const raw: Record<string, string> = {
    ...ALWAYS_DEFAULTS,
    ...(nodeEnv === 'production' ? {} : DEV_DEFAULTS),
    ...given,
  };
  // Only Gmail's app password given: send through Gmail, not the dev catcher.
  if (nodeEnv !== 'production' && given.GMAIL_APP_PASSWORD && !given.SMTP_HOST) delete raw.SMTP_HOST;
  raw.NEXT_PUBLIC_HOST_URL ??= raw.NEXTAUTH_URL ?? '';
  const vars = plainToInstance(EnvironmentVariables, raw, { enableImplicitConversion: false });
  const problems = flatten(validateSync(vars, { skipMissingProperties: false }));
  if (problems.length) throw new ConfigError(problems);

  const gmail = !vars.SMTP_HOST && !!vars.GMAIL_APP_PASSWORD;
  const config = new AppConfig();
  Object.assign(config, {
    env: vars.NODE_ENV,
    isProduction: vars.NODE_ENV === 'production',
    port: vars.PORT,
    logLevel: vars.LOG_LEVEL ?? (vars.NODE_ENV === 'test' ? 'silent' : 'info'),
    runWorkers: vars.RUN_WORKERS,
    shutdownDelayMs: vars.SHUTDOWN_DELAY_MS ?? (vars.NODE_ENV === 'production' ? 2_000 : 0),
    database: { url: vars.DATABASE_URL, directUrl: vars.DIRECT_URL ?? vars.DATABASE_URL },
    auth: {
      sessionSecret: vars.NEXTAUTH_SECRET,
      baseUrl: vars.NEXTAUTH_URL.replace(/\/+$/, ''),
      hashSecret: vars.HASH_SECRET,
      sessionIdleMs: vars.SESSION_IDLE_MINUTES * 60_000,
      sessionAbsoluteMs: vars.SESSION_ABSOLUTE_HOURS * 3_600_000,
    },
    redis: {
      url: vars.REDIS_URL,
      host: vars.REDIS_HOST ?? '127.0.0.1',
      port: vars.REDIS_PORT,
      prefix: vars.REDIS_PREFIX,
    },
    storage: {
      accessKeyId: vars.AWS_ACCESS_KEY_ID,
      secretAccessKey: vars.AWS_SECRET_ACCESS_KEY,
      region: vars.AWS_REGION,
      endpoint: vars.S3_ENDPOINT,
      bucket: vars.BUCKET_NAME,
      createBucket: vars.NODE_ENV !== 'production',
    },
    mail: gmail
      ? {
          host: 'smtp.gmail.com',
          port: 465,
          secure: true,
          user: vars.SMTP_USER ?? mailFromAddress(vars.MAIL_FROM),
          password: vars.GMAIL_APP_PASSWORD,
          from: vars.MAIL_FROM,
        }
      : {
          host: vars.SMTP_HOST ?? '127.0.0.1',
          port: vars.SMTP_PORT ?? (vars.SMTP_SECURE ? 465 : 587),
          secure: vars.SMTP_SECURE ?? false,
          user: vars.SMTP_USER,
          password: vars.SMTP_PASSWORD,
          from: vars.MAIL_FROM,
        },
    public: {
      hostUrl: vars.NEXT_PUBLIC_HOST_URL.replace(/\/+$/, ''),
      turnstileSiteKey: vars.NEXT_PUBLIC_CLOUDFLARE_TURNSTILE_SITE_KEY,
    },
    turnstile: {
      enabled: !!vars.CLOUDFLARE_TURNSTILE_SECRET_KEY && !vars.TURNSTILE_DISABLED,
      secretKey: vars.CLOUDFLARE_TURNSTILE_SECRET_KEY,
      siteKey: vars.NEXT_PUBLIC_CLOUDFLARE_TURNSTILE_SITE_KEY,
      disabled: vars.TURNSTILE_DISABLED,
      verifyUrl: vars.TURNSTILE_VERIFY_URL ?? 'https://challenges.cloudflare.com/turnstile/v0/siteverify',
      hostname: new URL(vars.NEXTAUTH_URL).hostname,
      timeoutMs: 5_000,
    },
    tuning: {
      inviteTtlHours: vars.INVITE_TTL_HOURS,
      resetTtlMinutes: vars.RESET_TTL_MINUTES,
      maxUploadMb: vars.MAX_UPLOAD_MB,
      maxAttachmentsPerRecord: vars.MAX_ATTACHMENTS_PER_RECORD,
      submissionDigestMs: vars.SUBMISSION_DIGEST_MINUTES * 60_000,
    },
  } satisfies AppConfig);
  return config;
}
