import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { listMigrationNames } from '../../src/modules/database/migrations';

const ROOT = join(__dirname, '..', '..');
const FALLBACK = join(ROOT, 'scripts', 'prisma-schema-engine.mjs');

function adminUrl(database = 'postgres'): string {
  const u = new URL(process.env.DATABASE_URL as string);
  u.pathname = `/${database}`;
  return u.toString();
}

/** The Prisma CLI through the project's wrapper, forced onto the offline (wasm) schema engine. */
function prisma(args: string[], databaseUrl: string) {
  return spawnSync(process.execPath, [join(ROOT, 'scripts', 'prisma.mjs'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      DIRECT_URL: databaseUrl,
      PRISMA_SCHEMA_ENGINE_BINARY: FALLBACK,
    },
  });
}

async function sql<T extends Record<string, unknown>>(url: string, text: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

describe('migrations through the offline schema engine (real PostgreSQL)', () => {
  const name = `wma_migr_${Date.now().toString(36)}`;
  const url = adminUrl(name);

  beforeAll(async () => {
    await sql(adminUrl(), `CREATE DATABASE "${name}"`);
  });
  afterAll(async () => {
    await sql(adminUrl(), `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });

  it('applies every committed migration to an empty database', async () => {
    const run = prisma(['migrate', 'deploy'], url);
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.status).toBe(0);
    const applied = await sql<{ migration_name: string }>(
      url,
      'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY migration_name',
    );
    expect(applied.map((r) => r.migration_name)).toEqual(await listMigrationNames());
    const tables = await sql<{ table_name: string }>(
      url,
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
    );
    expect(tables.map((t) => t.table_name)).toContain('users');
  });

  it('reports the migrated database in sync with the schema (no drift)', () => {
    const status = prisma(['migrate', 'status'], url);
    expect(status.status).toBe(0);
    expect(status.stdout).toContain('Database schema is up to date');
    const diff = prisma(
      ['migrate', 'diff', '--from-config-datasource', '--to-schema', 'prisma/schema', '--exit-code'],
      url,
    );
    expect(diff.status).toBe(0);
  });

  it('finds the committed migrations equal to the schema files (via a shadow database)', async () => {
    const diff = prisma(
      [
        'migrate',
        'diff',
        '--from-migrations',
        'prisma/migrations',
        '--to-schema',
        'prisma/schema',
        '--exit-code',
      ],
      url,
    );
    expect(diff.stderr).not.toMatch(/error/i);
    expect(diff.status).toBe(0);
    // The shadow database is dropped afterwards.
    const shadows = await sql(
      adminUrl(),
      "SELECT 1 FROM pg_database WHERE datname LIKE 'prisma_migrate_shadow_db_%'",
    );
    expect(shadows).toHaveLength(0);
  });

  it('detects drift when the database no longer matches the schema', async () => {
    await sql(url, 'ALTER TABLE users ADD COLUMN "hand_made" integer');
    const diff = prisma(
      [
        'migrate',
        'diff',
        '--from-config-datasource',
        '--to-schema',
        'prisma/schema',
        '--exit-code',
        '--script',
      ],
      url,
    );
    expect(diff.status).toBe(2);
    expect(diff.stdout).toMatch(/DROP COLUMN "hand_made"/);
  });
});
