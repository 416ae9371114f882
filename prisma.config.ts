// Prisma CLI configuration. The CLI (migrations, studio) uses DIRECT_URL and falls back to
// DATABASE_URL; the app itself connects through @prisma/adapter-pg on DATABASE_URL.
import 'dotenv/config';
import { defineConfig } from 'prisma/config';

const devUrl = 'postgresql://postgres@127.0.0.1:5432/wma_dev';

export default defineConfig({
  schema: 'prisma/schema',
  migrations: {
    path: 'prisma/migrations',
    seed: 'tsx prisma/seed.ts',
  },
  datasource: {
    // Not env(): it throws when unset, which would break `prisma generate` in image builds.
    url: process.env.DIRECT_URL ?? process.env.DATABASE_URL ?? devUrl,
  },
});
