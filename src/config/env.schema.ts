import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MinLength,
  Min,
  ValidateIf,
} from 'class-validator';

const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off', ''].includes(v)) return false;
  return value;
};
const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;

const isProd = (o: EnvironmentVariables): boolean => o.NODE_ENV === 'production';
const PG_URL = /^postgres(ql)?:\/\/\S+$/;
const REDIS_URL = /^rediss?:\/\/\S*$/;
const urlOpts = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/** The environment as WMA reads it: the seed's variable names, validated once at start. */
export class EnvironmentVariables {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production';

  // database
  @Matches(PG_URL, { message: 'DATABASE_URL must be a postgresql:// connection URL' })
  DATABASE_URL: string;

  @IsOptional()
  @Matches(PG_URL, { message: 'DIRECT_URL must be a postgresql:// connection URL' })
  DIRECT_URL?: string;

  // auth
  @IsString()
  @MinLength(32, { message: 'NEXTAUTH_SECRET must be at least 32 characters' })
  NEXTAUTH_SECRET: string;

  @IsUrl(urlOpts, { message: 'NEXTAUTH_URL must be an http(s) URL, e.g. https://wma.example.com' })
  NEXTAUTH_URL: string;

  @IsString()
  @MinLength(32, { message: 'HASH_SECRET must be at least 32 characters' })
  HASH_SECRET: string;

  // redis
  @ValidateIf((o: EnvironmentVariables) => !o.REDIS_HOST || o.REDIS_URL !== undefined)
  @Matches(REDIS_URL, { message: 'REDIS_URL (or REDIS_HOST + REDIS_PORT) must be set to a redis:// URL' })
  REDIS_URL?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  REDIS_HOST?: string;

  @Transform(toInt)
  @IsInt({ message: 'REDIS_PORT must be a port number' })
  @Min(1, { message: 'REDIS_PORT must be a port number' })
  @Max(65535, { message: 'REDIS_PORT must be a port number' })
  REDIS_PORT: number;

  @IsString()
  @Matches(/^[\w:.-]*$/, { message: 'REDIS_PREFIX may hold letters, digits and : . - _ only' })
  REDIS_PREFIX: string;

  // storage
  @IsString()
  @IsNotEmpty({ message: 'AWS_ACCESS_KEY_ID must be set' })
  AWS_ACCESS_KEY_ID: string;

  @IsString()
  @IsNotEmpty({ message: 'AWS_SECRET_ACCESS_KEY must be set' })
  AWS_SECRET_ACCESS_KEY: string;

  @IsString()
  @IsNotEmpty({ message: 'AWS_REGION must be set' })
  AWS_REGION: string;

  @IsOptional()
  @IsUrl(urlOpts, { message: 'S3_ENDPOINT must be an http(s) URL' })
  S3_ENDPOINT?: string;

  @Matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'BUCKET_NAME must be a valid bucket name' })
  BUCKET_NAME: string;

  // email
  @IsOptional()
  @IsString()
  GMAIL_APP_PASSWORD?: string;

  @ValidateIf((o: EnvironmentVariables) => isProd(o) && !o.GMAIL_APP_PASSWORD)
  @IsString({ message: 'SMTP_HOST (or GMAIL_APP_PASSWORD) must be set' })
  @IsNotEmpty({ message: 'SMTP_HOST (or GMAIL_APP_PASSWORD) must be set' })
  SMTP_HOST?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'SMTP_PORT must be a port number' })
  @Min(1, { message: 'SMTP_PORT must be a port number' })
  @Max(65535, { message: 'SMTP_PORT must be a port number' })
  SMTP_PORT?: number;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'SMTP_SECURE must be true or false' })
  SMTP_SECURE?: boolean;

  @IsOptional()
  @IsString()
  SMTP_USER?: string;

  @IsOptional()
  @IsString()
  SMTP_PASSWORD?: string;

  @Matches(/^(.*<\s*[^<>\s]+@[^<>\s]+\s*>|[^<>\s]+@[^<>\s]+)$/, {
    message: 'MAIL_FROM must be an address, e.g. "WMA <no-reply@example.com>"',
  })
  MAIL_FROM: string;

  // public
  @IsUrl(urlOpts, { message: 'NEXT_PUBLIC_HOST_URL must be an http(s) URL' })
  NEXT_PUBLIC_HOST_URL: string;

  @IsOptional()
  @IsString()
  NEXT_PUBLIC_CLOUDFLARE_TURNSTILE_SITE_KEY?: string;

  // private
  @ValidateIf((o: EnvironmentVariables) => isProd(o) && o.TURNSTILE_DISABLED !== true)
  @IsNotEmpty({ message: 'CLOUDFLARE_TURNSTILE_SECRET_KEY must be set (or TURNSTILE_DISABLED=true)' })
  CLOUDFLARE_TURNSTILE_SECRET_KEY?: string;

  @IsOptional()
  @IsUrl(urlOpts, { message: 'TURNSTILE_VERIFY_URL must be an http(s) URL' })
  TURNSTILE_VERIFY_URL?: string;

  // runtime
  @Transform(toInt)
  @IsInt({ message: 'PORT must be a port number' })
  @Min(0, { message: 'PORT must be a port number' })
  @Max(65535, { message: 'PORT must be a port number' })
  PORT: number;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
  })
  LOG_LEVEL?: string;

  @Transform(toBool)
  @IsBoolean({ message: 'RUN_WORKERS must be true or false' })
  RUN_WORKERS: boolean;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'SHUTDOWN_DELAY_MS must be a whole number of milliseconds' })
  @Min(0, { message: 'SHUTDOWN_DELAY_MS must be a whole number of milliseconds (0–60000)' })
  @Max(60_000, { message: 'SHUTDOWN_DELAY_MS must be a whole number of milliseconds (0–60000)' })
  SHUTDOWN_DELAY_MS?: number;

  // tuning
  @Transform(toInt)
  @IsInt({ message: 'INVITE_TTL_HOURS must be a whole number of hours' })
  @Min(1, { message: 'INVITE_TTL_HOURS must be a whole number of hours' })
  INVITE_TTL_HOURS: number;

  @Transform(toInt)
  @IsInt({ message: 'RESET_TTL_MINUTES must be a whole number of minutes' })
  @Min(5, { message: 'RESET_TTL_MINUTES must be a whole number of minutes (at least 5)' })
  RESET_TTL_MINUTES: number;

  @Transform(toInt)
  @IsInt({ message: 'MAX_UPLOAD_MB must be a whole number of megabytes' })
  @Min(1, { message: 'MAX_UPLOAD_MB must be a whole number of megabytes (1–5120)' })
  @Max(5120, { message: 'MAX_UPLOAD_MB must be a whole number of megabytes (1–5120)' })
  MAX_UPLOAD_MB: number;

  @Transform(toInt)
  @IsInt({ message: 'SUBMISSION_DIGEST_MINUTES must be a whole number of minutes' })
  @Min(0, { message: 'SUBMISSION_DIGEST_MINUTES must be 0–1440' })
  @Max(1440, { message: 'SUBMISSION_DIGEST_MINUTES must be 0–1440' })
  SUBMISSION_DIGEST_MINUTES: number;

  @Transform(toInt)
  @IsInt({ message: 'MAX_ATTACHMENTS_PER_RECORD must be a whole number' })
  @Min(1, { message: 'MAX_ATTACHMENTS_PER_RECORD must be 1–100' })
  @Max(100, { message: 'MAX_ATTACHMENTS_PER_RECORD must be 1–100' })
  MAX_ATTACHMENTS_PER_RECORD: number;

  @Transform(toInt)
  @IsInt({ message: 'SESSION_IDLE_MINUTES must be a whole number of minutes' })
  @Min(1, { message: 'SESSION_IDLE_MINUTES must be a whole number of minutes' })
  SESSION_IDLE_MINUTES: number;

  @Transform(toInt)
  @IsInt({ message: 'SESSION_ABSOLUTE_HOURS must be a whole number of hours' })
  @Min(1, { message: 'SESSION_ABSOLUTE_HOURS must be a whole number of hours' })
  SESSION_ABSOLUTE_HOURS: number;

  @Transform(toBool)
  @IsBoolean({ message: 'TURNSTILE_DISABLED must be true or false' })
  TURNSTILE_DISABLED: boolean;
}
