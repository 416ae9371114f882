import type { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Role, User, UserStatus } from '../../src/generated/prisma/client';
import { ApiTokensService } from '../../src/modules/auth/api-tokens.service';
import { hashPassword } from '../../src/modules/auth/password-hasher';
import { PrismaService } from '../../src/modules/database';
import { PageClient } from './page-client';

export const TEST_PASSWORD = 'plenty-long-test-password-42';

let passwordHash: Promise<string> | undefined;

/** Writes a user through Prisma: active staff with {@link TEST_PASSWORD} unless told otherwise. */
export async function createUser(
  app: INestApplicationContext,
  overrides: Partial<{
    email: string;
    name: string;
    role: Role;
    status: UserStatus;
    mustChangePassword: boolean;
    password: string | null;
  }> = {},
): Promise<User> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const status = overrides.status ?? 'ACTIVE';
  const password = overrides.password === undefined ? TEST_PASSWORD : overrides.password;
  return app.get(PrismaService).user.create({
    data: {
      email: overrides.email ?? `user-${randomUUID()}@example.test`,
      name: overrides.name ?? 'Test User',
      role: overrides.role ?? 'STAFF',
      status,
      mustChangePassword: overrides.mustChangePassword ?? status === 'PENDING',
      passwordHash:
        password === null
          ? null
          : password === TEST_PASSWORD
            ? await passwordHash
            : await hashPassword(password),
    },
  });
}

export const createManager = (app: INestApplicationContext, o: Parameters<typeof createUser>[1] = {}) =>
  createUser(app, { name: 'Test Manager', ...o, role: 'MANAGEMENT' });

/** A browser session signed in as the user (through the real sign-in form). */
export async function signedIn(
  app: INestApplicationContext & { inject: unknown },
  user: User,
  ip?: string,
): Promise<PageClient> {
  const client = new PageClient(
    app as never,
    ip ?? `127.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
  );
  await client.get('/login');
  const res = await client.post('/login', { email: user.email, password: TEST_PASSWORD });
  if (res.status !== 303) throw new Error(`sign-in as ${user.email} failed with ${res.status}`);
  return client;
}

/** A live API token for the user. */
export async function apiTokenFor(app: INestApplicationContext, user: User, days = 30): Promise<string> {
  const { token } = await app.get(ApiTokensService).create(user, 'test token', days);
  return token;
}
