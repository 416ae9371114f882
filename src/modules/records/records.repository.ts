import { Injectable } from '@nestjs/common';
import type { Attachment, Prisma, RecordStatus } from '../../generated/prisma/client';
import { PrismaService } from '../database';
import { isUuid } from '../../common/ids';
import { utcDay } from '../../common/dates';

export interface Viewer {
  id: string;
  role: 'MANAGEMENT' | 'STAFF';
}

export interface RecordFilter {
  status?: RecordStatus;
  authorId?: string;
  from?: string;
  to?: string;
  q?: string;
  sort?: 'workDate' | 'hours' | 'status';
  order?: 'asc' | 'desc';
}

export const RECORD_INCLUDE = { author: { select: { id: true, name: true, email: true } } } as const;
export type RecordWithAuthor = Prisma.RecordGetPayload<{ include: typeof RECORD_INCLUDE }>;
export type RecordWithAttachments = RecordWithAuthor & { attachments: Attachment[] };

/** Record queries. Every read is scoped to what the viewer may see: staff only their own. */
@Injectable()
export class RecordsRepository {
  constructor(private readonly prisma: PrismaService) {}

  where(filter: RecordFilter, viewer: Viewer): Prisma.RecordWhereInput {
    return {
      authorId: viewer.role === 'MANAGEMENT' ? filter.authorId : viewer.id,
      status: filter.status,
      workDate:
        filter.from || filter.to
          ? {
              gte: filter.from ? utcDay(filter.from) : undefined,
              lte: filter.to ? utcDay(filter.to) : undefined,
            }
          : undefined,
      title: filter.q ? { contains: filter.q, mode: 'insensitive' } : undefined,
    };
  }

  orderBy(filter: RecordFilter): Prisma.RecordOrderByWithRelationInput[] {
    const order = filter.order ?? 'desc';
    const sort = filter.sort ?? 'workDate';
    return [{ [sort]: order }, { createdAt: 'desc' }, { id: 'asc' }];
  }

  /** The record if the viewer may see it, else null (callers answer 404, never 403). */
  findVisible(id: string, viewer: Viewer): Promise<RecordWithAttachments | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.prisma.record.findFirst({
      where: { id, ...(viewer.role === 'MANAGEMENT' ? {} : { authorId: viewer.id }) },
      include: { ...RECORD_INCLUDE, attachments: { orderBy: { createdAt: 'asc' } } },
    });
  }

  async page(filter: RecordFilter, viewer: Viewer, page: number, pageSize: number) {
    const where = this.where(filter, viewer);
    const [total, items] = await this.prisma.$transaction([
      this.prisma.record.count({ where }),
      this.prisma.record.findMany({
        where,
        include: RECORD_INCLUDE,
        orderBy: this.orderBy(filter),
        skip: (page - 1) * pageSize,
        take: pageSize,
      }),
    ]);
    return { total, items };
  }

  /** The filtered list in batches of `size`, for streaming exports (keyset paging on id order). */
  async *batches(filter: RecordFilter, viewer: Viewer, size = 500): AsyncGenerator<RecordWithAuthor[]> {
    let cursor: string | undefined;
    const orderBy = this.orderBy(filter);
    const where = this.where(filter, viewer);
    for (;;) {
      const rows = await this.prisma.record.findMany({
        where,
        include: RECORD_INCLUDE,
        orderBy,
        take: size,
        ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      });
      if (!rows.length) return;
      yield rows;
      if (rows.length < size) return;
      cursor = rows[rows.length - 1]?.id;
    }
  }

  categories(): Promise<string[]> {
    return this.prisma.record
      .findMany({
        distinct: ['category'],
        select: { category: true },
        orderBy: { category: 'asc' },
        take: 100,
      })
      .then((rows) => rows.map((r) => r.category));
  }
}
