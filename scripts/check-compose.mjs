#!/usr/bin/env node
// Validates the compose files with docker-compose (no engine needed) and asserts what matters:
// Redis publishes no port, both services share the `wma` network, the web service has a
// health check and a restart policy, Redis keeps an append-only file with noeviction.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { parse } from 'yaml';

const problems = [];
const made = [];
for (const envFile of ['.env.production', '.env.staging']) {
  if (!existsSync(envFile)) {
    copyFileSync('.env.example', envFile); // env_file must exist for `config`; placeholders only
    made.push(envFile);
  }
}
try {
  for (const file of ['docker-compose.prod.yml', 'docker-compose.staging.yml', 'docker-compose.dev.yml']) {
    const run = spawnSync('docker-compose', ['-f', file, 'config'], { encoding: 'utf8' });
    if (run.error) throw new Error(`docker-compose not available: ${run.error.message}`);
    if (run.status !== 0) {
      problems.push(`${file}: ${run.stderr.trim()}`);
      continue;
    }
    if (file.endsWith('dev.yml')) {
      console.log(`${file}: valid`);
      continue;
    }
    const config = parse(run.stdout);
    const web = config.services?.['wma-web'];
    const redis = config.services?.['wma-redis'];
    const check = (ok, what) => ok || problems.push(`${file}: ${what}`);
    check(web && redis, 'services wma-web and wma-redis exist');
    check(!redis?.ports?.length, 'wma-redis publishes no port');
    check(redis?.image === 'redis:7.4-alpine', 'wma-redis uses redis:7.4-alpine');
    check(
      JSON.stringify(redis?.command ?? '').includes('appendonly') &&
        JSON.stringify(redis?.command ?? '').includes('noeviction'),
      'wma-redis runs with appendonly and noeviction',
    );
    check(redis?.volumes?.length > 0, 'wma-redis has a volume');
    check(
      Object.keys(web?.networks ?? {}).includes('wma') && Object.keys(redis?.networks ?? {}).includes('wma'),
      'both services are on the wma network',
    );
    check(web?.healthcheck?.test, 'wma-web has a health check');
    check(['always', 'unless-stopped', 'on-failure'].includes(web?.restart), 'wma-web has a restart policy');
    check(
      web?.depends_on?.['wma-redis']?.condition === 'service_healthy',
      'wma-web waits for a healthy Redis',
    );
    check(
      (web?.ports ?? []).some((p) => String(p.target ?? p).includes('3000')),
      'wma-web publishes port 3000',
    );
    check(web?.build?.dockerfile === 'Dockerfile.prod', 'wma-web is built from Dockerfile.prod');
    console.log(
      `${file}: valid, ${problems.filter((p) => p.startsWith(file)).length ? 'with problems' : 'all checks passed'}`,
    );
  }
} finally {
  for (const f of made) rmSync(f);
}
if (problems.length) {
  console.error(problems.map((p) => `  - ${p}`).join('\n'));
  process.exit(1);
}
