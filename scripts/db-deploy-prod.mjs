#!/usr/bin/env node
// `pnpm db:deploy-prod`: shows which migrations are applied and which are pending, then applies
// the pending ones with `prisma migrate deploy` (never creates migrations, never resets).
import { spawnSync } from 'node:child_process';
import { prismaEnv } from './prisma-env.mjs';

function prisma(args) {
  return spawnSync(process.execPath, [prismaEnv.cliPath, ...args], {
    stdio: 'inherit',
    env: prismaEnv.env(process.env),
  });
}

console.log('== migration status ==');
// `migrate status` exits 1 when migrations are pending: that is expected here.
const status = prisma(['migrate', 'status']);
if (status.error) throw status.error;

console.log('\n== applying pending migrations ==');
const deploy = prisma(['migrate', 'deploy']);
process.exit(deploy.status ?? 1);
