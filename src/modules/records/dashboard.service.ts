import { Injectable } from '@nestjs/common';
import type { RecordStatus } from '../../generated/prisma/client';
import { CacheService } from '../cache';
import { PrismaService } from '../database';
import type { Viewer } from './records.repository';
import { isoDay } from '../../common/dates';

const STATUSES: RecordStatus[] = ['DRAFT', 'SUBMITTED', 'APPROVED', 'REJECTED'];
const TTL_SECONDS = 300;
const GENERATION = 'dashboard:generation';

export interface StatusFigures {
  status: RecordStatus;
  count: number;
  hours: number;
}

export interface DashboardFigures {
  scope: 'own' | 'everyone';
  week: { from: string; figures: StatusFigures[]; totalHours: number };
  month: { from: string; figures: StatusFigures[]; totalHours: number };
  waiting?: { count: number; oldest: { id: string; title: string; author: string; submittedAt: string }[] };
  computedAt: string;
}

/** Monday of the current week and the 1st of the month, in UTC. */
export function periodStarts(now = new Date()): { week: Date; month: Date } {
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const week = new Date(today);
  week.setUTCDate(today.getUTCDate() - ((today.getUTCDay() + 6) % 7));
  return { week, month: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)) };
}

/**
 * Dashboard figures, cached in Redis with CacheService.wrap. Keys carry a generation number that
 * every record change increments, so a change is never followed by stale figures (a computation
 * racing with the change can only write under the old generation, which nobody reads any more).
 */
@Injectable()
export class DashboardService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly cache: CacheService,
  ) {}

  async figures(viewer: Viewer): Promise<DashboardFigures> {
    const generation = (await this.cache.get<number>(GENERATION)) ?? 0;
    const scope = viewer.role === 'MANAGEMENT' ? 'everyone' : `user:${viewer.id}`;
    return this.cache.wrap(`dashboard:${generation}:${scope}`, TTL_SECONDS, () => this.compute(viewer));
  }

  async invalidate(): Promise<void> {
    await this.cache.incr(GENERATION);
  }

  private async compute(viewer: Viewer): Promise<DashboardFigures> {
    const everyone = viewer.role === 'MANAGEMENT';
    const authorId = everyone ? undefined : viewer.id;
    const { week, month } = periodStarts();
    const period = async (from: Date) => {
      const rows = await this.prisma.record.groupBy({
        by: ['status'],
        where: { authorId, workDate: { gte: from } },
        _count: { _all: true },
        _sum: { hours: true },
      });
      const figures = STATUSES.map((status) => {
        const row = rows.find((r) => r.status === status);
        return { status, count: row?._count._all ?? 0, hours: Number(row?._sum.hours ?? 0) };
      });
      return {
        from: isoDay(from),
        figures,
        totalHours: figures.reduce((t, f) => t + f.hours, 0),
      };
    };
    const result: DashboardFigures = {
      scope: everyone ? 'everyone' : 'own',
      week: await period(week),
      month: await period(month),
      computedAt: new Date().toISOString(),
    };
    if (everyone) {
      const [count, oldest] = await Promise.all([
        this.prisma.record.count({ where: { status: 'SUBMITTED' } }),
        this.prisma.record.findMany({
          where: { status: 'SUBMITTED' },
          orderBy: { submittedAt: 'asc' },
          take: 10,
          include: { author: { select: { name: true } } },
        }),
      ]);
      result.waiting = {
        count,
        oldest: oldest.map((r) => ({
          id: r.id,
          title: r.title,
          author: r.author.name,
          submittedAt: isoDay(r.submittedAt ?? r.updatedAt),
        })),
      };
    }
    return result;
  }
}
