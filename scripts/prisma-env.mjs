// Where the Prisma CLI is, and the environment it needs on machines that cannot download
// Prisma's native schema engine. Shared by scripts/prisma.mjs, the dev runner and the tests.
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const prismaDir = dirname(require.resolve('prisma/package.json'));
const fallbackEngine = join(here, 'prisma-schema-engine.mjs');

/** True when @prisma/engines holds a downloaded native schema engine for this platform. */
function hasNativeEngine() {
  try {
    const enginesDir = dirname(
      createRequire(join(prismaDir, 'package.json')).resolve('@prisma/engines/package.json'),
    );
    return readdirSync(enginesDir).some((f) => f.startsWith('schema-engine-') && !f.endsWith('.sha256'));
  } catch {
    return false;
  }
}

export const prismaEnv = {
  cliPath: join(prismaDir, 'build', 'index.js'),
  fallbackEngine,
  usesFallback: () => !process.env.PRISMA_SCHEMA_ENGINE_BINARY && !hasNativeEngine(),
  /** The environment for a Prisma CLI child process. */
  env(base) {
    const env = {
      ...base,
      CHECKPOINT_DISABLE: '1',
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      PRISMA_SKIP_POSTINSTALL_GENERATE: '1',
    };
    // `prisma db seed` spawns its command from PATH: make the project's binaries (tsx) findable.
    env.PATH = [join(here, '..', 'node_modules', '.bin'), env.PATH ?? ''].join(delimiter);
    if (!env.PRISMA_SCHEMA_ENGINE_BINARY && !hasNativeEngine() && existsSync(fallbackEngine)) {
      env.PRISMA_SCHEMA_ENGINE_BINARY = fallbackEngine;
    }
    return env;
  },
};
