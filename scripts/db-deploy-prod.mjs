#!/usr/bin/env node
// `pnpm db:deploy-prod [--skip-backup] [--backup-dir DIR]`: lists the pending migrations, warns
// about destructive steps (dropped tables or columns…), refuses to go on without a backup made
// in the last hour (see `pnpm db:backup`) unless --skip-backup is given, then runs
// `prisma migrate deploy` (never creates migrations, never resets).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { prismaEnv } from './prisma-env.mjs';

const FRESH_MS = 60 * 60 * 1000;
const DESTRUCTIVE =
  /\b(DROP\s+(TABLE|COLUMN|TYPE|INDEX|SCHEMA)|ALTER\s+TABLE\s+\S+\s+DROP|TRUNCATE|DELETE\s+FROM|ALTER\s+COLUMN\s+\S+\s+(SET\s+DATA\s+)?TYPE)\b/i;

const { values } = parseArgs({
  options: { 'skip-backup': { type: 'boolean', default: false }, 'backup-dir': { type: 'string' } },
});
const url = process.env.DIRECT_URL || process.env.DATABASE_URL;
if (!url) {
  console.error('db:deploy-prod: set DIRECT_URL or DATABASE_URL');
  process.exit(2);
}
const migrationsDir = join(process.cwd(), 'prisma', 'migrations');
const committed = readdirSync(migrationsDir, { withFileTypes: true })
  .filter((e) => e.isDirectory() && /^\d{14}_/.test(e.name))
  .map((e) => e.name)
  .sort();

async function appliedMigrations() {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (err) {
    console.error(`db:deploy-prod: cannot reach the database (${err.message})`);
    process.exit(1);
  }
  try {
    const { rows } = await client.query(
      'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    return new Set(rows.map((r) => r.migration_name));
  } catch {
    return new Set(); // a fresh database: everything is pending
  } finally {
    await client.end();
  }
}

const applied = await appliedMigrations();
const pending = committed.filter((m) => !applied.has(m));
console.log(
  `Migrations: ${committed.length} committed, ${committed.length - pending.length} applied, ${pending.length} pending.`,
);
if (pending.length === 0) {
  console.log('Nothing to apply.');
  process.exit(0);
}
let destructive = false;
for (const name of pending) {
  const sql = readFileSync(join(migrationsDir, name, 'migration.sql'), 'utf8');
  const risky = sql.split('\n').filter((line) => DESTRUCTIVE.test(line) && !line.trim().startsWith('--'));
  console.log(`  pending: ${name}${risky.length ? '   ⚠ destructive' : ''}`);
  for (const line of risky) console.log(`      ${line.trim()}`);
  destructive ||= risky.length > 0;
}
if (destructive)
  console.log(
    '\nWARNING: pending migrations drop or rewrite data (lines above). Make sure the backup is good.',
  );

if (!values['skip-backup']) {
  const dir = values['backup-dir'] ?? process.env.BACKUP_DIR ?? join(process.cwd(), 'backups');
  const newest = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => /\.(dump|sql\.gz)$/.test(f))
        .map((f) => statSync(join(dir, f)).mtimeMs)
        .sort((a, b) => b - a)[0]
    : undefined;
  if (!newest || Date.now() - newest > FRESH_MS) {
    console.error(
      `\nRefusing to migrate: no backup younger than an hour in ${dir}. Run \`pnpm db:backup\` (or \`task db-backup\`) first, or pass --skip-backup.`,
    );
    process.exit(1);
  }
  console.log(`\nBackup found in ${dir} (${Math.round((Date.now() - newest) / 60000)} min old).`);
}

console.log('\n== prisma migrate deploy ==');
const deploy = spawnSync(process.execPath, [prismaEnv.cliPath, 'migrate', 'deploy'], {
  stdio: 'inherit',
  env: prismaEnv.env(process.env),
});
process.exit(deploy.status ?? 1);
