import { Injectable } from '@nestjs/common';
import type { Prisma, Role, User, UserStatus } from '../../generated/prisma/client';
import type { Db } from '../audit/audit.service';
import { PrismaService } from '../database';

export interface UserFilter {
  status?: UserStatus;
  role?: Role;
  q?: string;
}

/** The user queries WMA needs, and nothing that leaks Prisma's types to controllers. */
@Injectable()
export class UsersRepository {
  constructor(private readonly prisma: PrismaService) {}

  findById(id: string, db: Db = this.prisma): Promise<User | null> {
    return db.user.findUnique({ where: { id } });
  }

  findByEmail(email: string, db: Db = this.prisma): Promise<User | null> {
    return db.user.findUnique({ where: { email } });
  }

  list(filter: UserFilter): Promise<User[]> {
    const where: Prisma.UserWhereInput = {
      status: filter.status,
      role: filter.role,
      OR: filter.q
        ? [
            { name: { contains: filter.q, mode: 'insensitive' } },
            { email: { contains: filter.q.toLowerCase() } },
          ]
        : undefined,
    };
    return this.prisma.user.findMany({ where, orderBy: [{ name: 'asc' }, { email: 'asc' }], take: 500 });
  }

  /** Locks the active managers' rows (FOR UPDATE) and returns their ids, so that two concurrent
   * demotions or deactivations cannot both leave the organisation without a manager. */
  async lockActiveManagers(db: Db): Promise<string[]> {
    const rows = await db.$queryRaw<{ id: string }[]>`
      SELECT id FROM users WHERE role = 'MANAGEMENT' AND status = 'ACTIVE' ORDER BY id FOR UPDATE`;
    return rows.map((r) => r.id);
  }

  /** Whether anything is tied to the user (API tokens, work records). */
  async hasTies(id: string, db: Db = this.prisma): Promise<boolean> {
    const [tokens, records] = await Promise.all([
      db.apiToken.count({ where: { userId: id } }),
      db.record.count({ where: { authorId: id } }),
    ]);
    return tokens + records > 0;
  }
}
