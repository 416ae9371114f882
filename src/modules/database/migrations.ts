import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Folder of committed migrations; resolved from the working directory (repo root, or /app in the image). */
export const MIGRATIONS_DIR = join(process.cwd(), 'prisma', 'migrations');

/** Names of the migration folders committed with this build, in order. */
export async function listMigrationNames(dir = MIGRATIONS_DIR): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && /^\d{14}_/.test(e.name))
    .map((e) => e.name)
    .sort();
}
