// `pnpm dev`: the whole app on a machine with only PostgreSQL and Redis on their default ports.
// Starts an S3-compatible server (s3rver, data under .data/s3) and a mail catcher with a browser
// inbox (maildev) unless S3_ENDPOINT / SMTP_HOST are set; creates the dev database if missing,
// applies migrations, seeds on first run, then runs Nest in watch mode.
import 'dotenv/config';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { DEV_DEFAULTS, DEV_SEED_LOGIN, DEV_SERVICES } from '../src/config/dev-defaults';
import { prismaEnv } from './prisma-env.mjs';

const root = join(__dirname, '..');
const dataDir = join(root, '.data');
const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'development' };
const stops: (() => Promise<unknown>)[] = [];

function say(line: string): void {
  process.stdout.write(`[dev] ${line}\n`);
}

function fail(line: string): never {
  process.stderr.write(`[dev] ${line}\n`);
  process.exit(1);
}

/** Resolves when nothing listens on 127.0.0.1:port; exits with a clear line otherwise. */
async function requireFreePort(port: number, what: string, variable: string): Promise<void> {
  await new Promise<void>((resolve) => {
    const probe = createServer();
    probe.once('error', () =>
      fail(
        `port ${port} (${what}) is in use — is another \`pnpm dev\` running? Stop it, or set ${variable} to use your own server.`,
      ),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

async function startS3(): Promise<void> {
  if (env.S3_ENDPOINT) return say(`storage: using ${env.S3_ENDPOINT}`);
  await requireFreePort(DEV_SERVICES.s3Port, 'local S3 server', 'S3_ENDPOINT');
  // s3rver ships no type declarations.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const S3rver = require('s3rver') as new (o: Record<string, unknown>) => {
    run(): Promise<unknown>;
    close(): Promise<void>;
  };
  const directory = join(dataDir, 's3');
  mkdirSync(directory, { recursive: true });
  const bucket = env.BUCKET_NAME ?? DEV_DEFAULTS.BUCKET_NAME;
  const server = new S3rver({
    address: '127.0.0.1',
    port: DEV_SERVICES.s3Port,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  await server
    .run()
    .catch((err: Error) =>
      fail(`could not start the local S3 server on :${DEV_SERVICES.s3Port}: ${err.message}`),
    );
  stops.push(() => server.close());
  env.S3_ENDPOINT = `http://127.0.0.1:${DEV_SERVICES.s3Port}`;
  env.AWS_ACCESS_KEY_ID = 'S3RVER';
  env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  say(`storage: local S3 server on ${env.S3_ENDPOINT} (bucket ${bucket}, files in .data/s3)`);
}

async function startMailCatcher(): Promise<string | undefined> {
  if (env.SMTP_HOST || env.GMAIL_APP_PASSWORD) {
    say(`mail: using ${env.SMTP_HOST ?? 'Gmail SMTP'}`);
    return undefined;
  }
  await requireFreePort(DEV_SERVICES.smtpPort, 'mail catcher SMTP', 'SMTP_HOST');
  await requireFreePort(DEV_SERVICES.inboxPort, 'mail catcher inbox', 'SMTP_HOST');
  const { MailDev } = await import('maildev');
  const mailDirectory = join(dataDir, 'mail');
  mkdirSync(mailDirectory, { recursive: true });
  const maildev = new MailDev({
    smtp: DEV_SERVICES.smtpPort,
    ip: '127.0.0.1',
    web: DEV_SERVICES.inboxPort,
    webIp: '127.0.0.1',
    mailDirectory,
    silent: true,
  });
  await maildev.start().catch((err: Error) => fail(`could not start the mail catcher: ${err.message}`));
  stops.push(() => maildev.stop());
  env.SMTP_HOST = '127.0.0.1';
  env.SMTP_PORT = String(DEV_SERVICES.smtpPort);
  return `http://127.0.0.1:${DEV_SERVICES.inboxPort}`;
}

async function ensureDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  try {
    await client.connect();
  } catch (err) {
    fail(
      `PostgreSQL is not reachable at ${target.host} (${(err as Error).message}). Start it, or set DATABASE_URL.`,
    );
  }
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return false;
    await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    say(`database: created ${name}`);
    return true;
  } finally {
    await client.end();
  }
}

async function userCount(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('SELECT count(*)::text AS n FROM users');
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

function prisma(args: string[]): void {
  const result = spawnSync(process.execPath, [prismaEnv.cliPath, ...args], {
    cwd: root,
    stdio: 'inherit',
    env: prismaEnv.env(env),
  });
  if (result.status !== 0) fail(`prisma ${args.join(' ')} failed`);
}

async function main(): Promise<void> {
  const databaseUrl = env.DATABASE_URL ?? DEV_DEFAULTS.DATABASE_URL;
  await ensureDatabase(env.DIRECT_URL ?? databaseUrl);
  prisma(['generate']);
  prisma(['migrate', 'deploy']);
  if ((await userCount(env.DIRECT_URL ?? databaseUrl)) === 0) prisma(['db', 'seed']);

  await startS3();
  const inbox = await startMailCatcher();

  const port = env.PORT ?? '3000';
  say('──────────────────────────────────────────────────────────');
  say(`app:    http://localhost:${port}`);
  if (inbox) say(`inbox:  ${inbox}`);
  say(`login:  ${DEV_SEED_LOGIN.email} / ${DEV_SEED_LOGIN.password}`);
  say('──────────────────────────────────────────────────────────');

  const nest = spawn(
    process.execPath,
    [
      join(root, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js'),
      'start',
      '--watch',
      '--preserveWatchOutput',
    ],
    {
      cwd: root,
      stdio: 'inherit',
      env,
    },
  );
  const shutdown = (signal: NodeJS.Signals): void => {
    nest.kill(signal);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  nest.on('exit', (code) => {
    void Promise.allSettled(stops.map((s) => s())).then(() => process.exit(code ?? 0));
  });
}

main().catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));
