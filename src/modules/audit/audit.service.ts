import { Injectable } from '@nestjs/common';
import type { Prisma } from '../../generated/prisma/client';
import { PrismaService } from '../database';

export type Db = PrismaService | Prisma.TransactionClient;

/** Every action the trail knows. A new action is added here first. */
export const AUDIT_ACTIONS = [
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'auth.password_changed',
  'auth.password_reset_requested',
  'auth.password_reset',
  'auth.invite_accepted',
  'auth.access_refused',
  'auth.token_created',
  'auth.token_revoked',
  'user.invited',
  'user.invite_resent',
  'user.revoked',
  'user.edited',
  'user.role_changed',
  'user.deactivated',
  'user.reactivated',
  'user.created_by_cli',
  'profile.updated',
  'record.created',
  'record.edited',
  'record.submitted',
  'record.approved',
  'record.rejected',
  'record.deleted',
  'attachment.added',
  'attachment.removed',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditActor {
  id: string;
  email: string;
}

export interface AuditEntry {
  actor?: AuditActor | null;
  action: AuditAction;
  subjectType: 'user' | 'session' | 'api_token' | 'route' | 'record' | 'attachment';
  subjectId?: string | null;
  summary?: Record<string, unknown>;
  ip?: string | null;
}

export interface AuditFilter {
  action?: string;
  actorId?: string;
  subjectId?: string;
  from?: Date;
  to?: Date;
  page: number;
  pageSize: number;
}

/** The append-only audit trail. `record` takes the transaction of the change it describes. */
@Injectable()
export class AuditService {
  constructor(private readonly prisma: PrismaService) {}

  async record(db: Db, entry: AuditEntry): Promise<void> {
    await db.auditEvent.create({
      data: {
        actorId: entry.actor?.id ?? null,
        actorEmail: entry.actor?.email ?? null,
        action: entry.action,
        subjectType: entry.subjectType,
        subjectId: entry.subjectId ?? null,
        summary: (entry.summary ?? {}) as Prisma.InputJsonValue,
        ip: entry.ip ?? null,
      },
    });
  }

  async list(filter: AuditFilter) {
    const where: Prisma.AuditEventWhereInput = {
      action: filter.action || undefined,
      actorId: filter.actorId || undefined,
      subjectId: filter.subjectId || undefined,
      at: filter.from || filter.to ? { gte: filter.from, lte: filter.to } : undefined,
    };
    const [total, items] = await this.prisma.$transaction([
      this.prisma.auditEvent.count({ where }),
      this.prisma.auditEvent.findMany({
        where,
        orderBy: [{ at: 'desc' }, { id: 'desc' }],
        skip: (filter.page - 1) * filter.pageSize,
        take: filter.pageSize,
      }),
    ]);
    return { total, items, page: filter.page, pageSize: filter.pageSize };
  }
}
