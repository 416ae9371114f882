import type { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Role, User, UserStatus } from '../../src/generated/prisma/client';
import { hashPassword } from '../../src/modules/auth/password-hasher';
import { PrismaService } from '../../src/modules/database';

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
