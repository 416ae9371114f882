import { HttpStatus, Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors';
import { AuditService } from '../audit/audit.service';
import { PrismaService } from '../database';
import { TokenHasher } from './token-hasher';
import { isUuid } from '../../common/ids';

export const API_TOKEN_PREFIX = 'wma_';
export const API_TOKEN_MAX_DAYS = 366;
const LAST_USED_RESOLUTION_MS = 60_000;

export interface ApiTokenView {
  id: string;
  name: string;
  last4: string;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Personal access tokens for the JSON API, stored as HMAC with HASH_SECRET. */
@Injectable()
export class ApiTokensService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly hasher: TokenHasher,
    private readonly audit: AuditService,
  ) {}

  /** Creates a token; the raw value is returned once and never again. */
  async create(
    user: { id: string; email: string },
    name: string,
    expiresInDays: number,
    ip?: string,
  ): Promise<{ token: string; view: ApiTokenView }> {
    const cleanName = name.trim();
    if (!cleanName || cleanName.length > 100) {
      throw new DomainError('validation_failed', 'Give the token a name of 1–100 characters.', 422, [
        { field: 'name', message: 'Give the token a name of 1–100 characters.' },
      ]);
    }
    if (!Number.isInteger(expiresInDays) || expiresInDays < 1 || expiresInDays > API_TOKEN_MAX_DAYS) {
      throw new DomainError('validation_failed', `Choose an expiry of 1–${API_TOKEN_MAX_DAYS} days.`, 422, [
        { field: 'expiresInDays', message: `Choose an expiry of 1–${API_TOKEN_MAX_DAYS} days.` },
      ]);
    }
    const { token, hash } = this.hasher.issue(API_TOKEN_PREFIX);
    const view = await this.prisma.$transaction(async (tx) => {
      const row = await tx.apiToken.create({
        data: {
          userId: user.id,
          name: cleanName,
          tokenHash: hash,
          last4: token.slice(-4),
          expiresAt: new Date(Date.now() + expiresInDays * 86_400_000),
        },
      });
      await this.audit.record(tx, {
        actor: user,
        action: 'auth.token_created',
        subjectType: 'api_token',
        subjectId: row.id,
        summary: { name: cleanName, expiresAt: row.expiresAt.toISOString() },
        ip,
      });
      return toView(row);
    });
    return { token, view };
  }

  async list(userId: string): Promise<ApiTokenView[]> {
    const rows = await this.prisma.apiToken.findMany({ where: { userId }, orderBy: { createdAt: 'desc' } });
    return rows.map(toView);
  }

  async revoke(user: { id: string; email: string }, tokenId: string, ip?: string): Promise<void> {
    if (!isUuid(tokenId)) throw new DomainError('not_found', 'No such token.', HttpStatus.NOT_FOUND);
    await this.prisma.$transaction(async (tx) => {
      const { count } = await tx.apiToken.updateMany({
        where: { id: tokenId, userId: user.id, revokedAt: null },
        data: { revokedAt: new Date() },
      });
      if (count === 0) throw new DomainError('not_found', 'No such token.', HttpStatus.NOT_FOUND);
      await this.audit.record(tx, {
        actor: user,
        action: 'auth.token_revoked',
        subjectType: 'api_token',
        subjectId: tokenId,
        ip,
      });
    });
  }

  /** The user id behind a live token (not revoked, not expired), or null. Records its use. */
  async resolve(token: string): Promise<string | null> {
    if (!token.startsWith(API_TOKEN_PREFIX) || token.length > 200) return null;
    const row = await this.prisma.apiToken.findUnique({ where: { tokenHash: this.hasher.hash(token) } });
    const now = new Date();
    if (!row || row.revokedAt || row.expiresAt <= now) return null;
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.prisma.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
    }
    return row.userId;
  }
}

function toView(row: ApiTokenView & Record<string, unknown>): ApiTokenView {
  return {
    id: row.id,
    name: row.name,
    last4: row.last4,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  };
}
