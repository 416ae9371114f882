import { Injectable } from '@nestjs/common';
import { PrismaService } from './prisma.service';
import { listMigrationNames } from './migrations';

export interface DatabaseStatus {
  up: boolean;
  pendingMigrations: string[];
  error?: string;
}

/** Readiness of PostgreSQL: reachable, and every committed migration applied. */
@Injectable()
export class DatabaseHealth {
  constructor(private readonly prisma: PrismaService) {}

  async check(): Promise<DatabaseStatus> {
    let applied: Set<string>;
    try {
      const rows = await this.prisma.$queryRaw<{ migration_name: string }[]>`
        SELECT migration_name FROM "_prisma_migrations"
        WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
      applied = new Set(rows.map((r) => r.migration_name));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (/_prisma_migrations.*does not exist|relation .* does not exist/i.test(message)) {
        return { up: true, pendingMigrations: await listMigrationNames() };
      }
      return { up: false, pendingMigrations: [], error: 'database unreachable' };
    }
    const pending = (await listMigrationNames()).filter((name) => !applied.has(name));
    return { up: true, pendingMigrations: pending };
  }
}
