import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { CliModule } from './cli.module';
import { DomainError } from './common/errors';
import { loadConfig } from './config';
import { exitOnStartupFailure, verifyDependencies } from './startup';
import { UsersService } from './modules/users/users.service';

const USAGE = `Usage: wma <command> [options]

Commands:
  create-admin --email EMAIL --name NAME
      Creates a management user and prints a one-time invitation link (valid INVITE_TTL_HOURS).
      Use it for the first manager of a new installation.

In development: pnpm wma create-admin --email you@example.com --name "Your Name"
In the production image: node dist/cli.js create-admin --email you@example.com --name "Your Name"`;

function fail(message: string): never {
  process.stderr.write(`wma: ${message}\n`);
  process.exit(2);
}

async function createAdmin(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { email: { type: 'string' }, name: { type: 'string' } },
    strict: true,
  });
  const email = values.email?.trim() ?? '';
  const name = values.name?.trim() ?? '';
  const problems = [];
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) problems.push('--email must be an email address');
  if (!name || name.length > 100) problems.push('--name must be 1–100 characters');
  if (problems.length) fail(`${problems.join('; ')}\n\n${USAGE}`);

  loadConfig(process.env);
  const app = await NestFactory.createApplicationContext(CliModule, {
    logger: ['error'],
    abortOnError: false,
  });
  try {
    await verifyDependencies(app);
    const { user, link } = await app.get(UsersService).createAdmin({ email, name });
    process.stdout.write(
      `Created management user ${user.name} <${user.email}> (pending).\n` +
        `Send them this one-time link to set their password (it is shown only now):\n\n  ${link}\n\n`,
    );
  } catch (err) {
    if (err instanceof DomainError) fail(err.message);
    throw err;
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  switch (command) {
    case 'create-admin':
      return createAdmin(rest);
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(`${USAGE}\n`);
      return;
    default:
      fail(`unknown command "${command}"\n\n${USAGE}`);
  }
}

main()
  .then(() => process.exit(0))
  .catch((err: unknown) => {
    if (err instanceof TypeError && (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
      fail(`${err.message}\n\n${USAGE}`);
    exitOnStartupFailure(err);
  });
