// Development seed: one management user and a few staff. Idempotent (upserts by email).
// Run with `pnpm db:seed:dev`; the dev runner runs it on first start. Refuses to run in production.
import 'dotenv/config';
import { PrismaPg } from '@prisma/adapter-pg';
import { DEV_DEFAULTS, DEV_SEED_LOGIN } from '../src/config/dev-defaults';
import { PrismaClient, Role, UserStatus } from '../src/generated/prisma/client';
import { hashPassword } from '../src/modules/auth/password-hasher';

const STAFF = [
  { email: 'ada.staff@wma.localhost', name: 'Ada Lovelace', status: UserStatus.ACTIVE },
  { email: 'grace.staff@wma.localhost', name: 'Grace Hopper', status: UserStatus.ACTIVE },
  { email: 'alan.staff@wma.localhost', name: 'Alan Turing', status: UserStatus.PENDING },
];

async function main(): Promise<void> {
  if (process.env.NODE_ENV === 'production') {
    throw new Error('the development seed does not run in production; use `pnpm wma create-admin`');
  }
  const url = process.env.DIRECT_URL ?? process.env.DATABASE_URL ?? DEV_DEFAULTS.DATABASE_URL;
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  try {
    const passwordHash = await hashPassword(DEV_SEED_LOGIN.password);
    await prisma.user.upsert({
      where: { email: DEV_SEED_LOGIN.email },
      update: {},
      create: {
        email: DEV_SEED_LOGIN.email,
        name: 'Morgan Manager',
        role: Role.MANAGEMENT,
        status: UserStatus.ACTIVE,
        passwordHash,
        mustChangePassword: false,
      },
    });
    for (const s of STAFF) {
      const active = s.status === UserStatus.ACTIVE;
      await prisma.user.upsert({
        where: { email: s.email },
        update: {},
        create: {
          email: s.email,
          name: s.name,
          role: Role.STAFF,
          status: s.status,
          passwordHash: active ? passwordHash : null,
          mustChangePassword: !active,
        },
      });
    }
    const count = await prisma.user.count();
    console.log(`seeded: ${count} users; sign in as ${DEV_SEED_LOGIN.email} / ${DEV_SEED_LOGIN.password}`);
  } finally {
    await prisma.$disconnect();
  }
}

main().catch((err: unknown) => {
  console.error(`seed failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
