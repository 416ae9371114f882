#!/usr/bin/env node
// `pnpm db:backup [--dir DIR]`: pg_dump of DIRECT_URL (or DATABASE_URL) to a timestamped,
// compressed file (pg_dump's custom format; restore with pg_restore). Needs pg_dump on the PATH
// (postgresql-client, same major version as the server or newer).
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { dir: { type: 'string' } } });
const url = process.env.DIRECT_URL || process.env.DATABASE_URL;
if (!url) {
  console.error('db:backup: set DIRECT_URL or DATABASE_URL');
  process.exit(2);
}
const dir = values.dir ?? process.env.BACKUP_DIR ?? join(process.cwd(), 'backups');
mkdirSync(dir, { recursive: true });
const db = decodeURIComponent(new URL(url).pathname.slice(1)) || 'db';
const stamp = new Date()
  .toISOString()
  .replace(/[-:]/g, '')
  .replace(/\.\d+Z$/, 'Z');
const file = join(dir, `wma-${db}-${stamp}.dump`);
const run = spawnSync('pg_dump', ['--format=custom', '--no-owner', '--file', file, url], {
  stdio: 'inherit',
});
if (run.error) {
  console.error(`db:backup: could not run pg_dump (${run.error.message}); install postgresql-client`);
  process.exit(1);
}
if (run.status !== 0) process.exit(run.status ?? 1);
console.log(
  `Backup written: ${file} (${Math.round(statSync(file).size / 1024)} KiB). Restore: pg_restore --clean --no-owner -d <url> ${file}`,
);
