#!/usr/bin/env node
// Runs the Prisma CLI, choosing the offline schema engine when the native one is absent.
// Usage: node scripts/prisma.mjs <prisma args…>   (the package.json db:* scripts use it)
import { spawnSync } from 'node:child_process';
import { prismaEnv } from './prisma-env.mjs';

const result = spawnSync(process.execPath, [prismaEnv.cliPath, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: prismaEnv.env(process.env),
});
process.exit(result.status ?? 1);
