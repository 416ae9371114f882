import { HttpStatus, Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors';
import type { TokenPurpose, UserToken } from '../../generated/prisma/client';
import type { Db } from '../audit/audit.service';
import { PrismaService } from '../database';
import { TokenHasher } from './token-hasher';

export class LinkInvalidError extends DomainError {
  constructor(message = 'This link is not valid any more. Ask for a new one.') {
    super('link_invalid', message, HttpStatus.GONE);
  }
}

/**
 * Single-use emailed links (invitations, password resets): 32 random bytes in the link, only
 * their HMAC stored; a new link voids the user's earlier links of the same purpose.
 */
@Injectable()
export class UserTokensService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly hasher: TokenHasher,
  ) {}

  /** Voids earlier links of this purpose and issues a new one; returns the raw token for the email. */
  async issue(db: Db, userId: string, purpose: TokenPurpose, ttlMs: number): Promise<string> {
    const now = new Date();
    await db.userToken.updateMany({
      where: { userId, purpose, usedAt: null, voidedAt: null },
      data: { voidedAt: now },
    });
    const { token, hash } = this.hasher.issue();
    await db.userToken.create({
      data: { userId, purpose, tokenHash: hash, expiresAt: new Date(now.getTime() + ttlMs) },
    });
    return token;
  }

  /** The live token row for a raw token, or null (unknown, used, voided or expired). Does not spend it. */
  async find(token: string, purpose: TokenPurpose): Promise<UserToken | null> {
    if (!/^[\w-]{20,100}$/.test(token)) return null;
    const row = await this.prisma.userToken.findUnique({ where: { tokenHash: this.hasher.hash(token) } });
    if (!row || row.purpose !== purpose || row.usedAt || row.voidedAt || row.expiresAt <= new Date())
      return null;
    return row;
  }

  /**
   * Spends the token inside `db`'s transaction. The conditional update makes two concurrent
   * spends of one link impossible: exactly one of them sees a row updated.
   */
  async spend(db: Db, token: string, purpose: TokenPurpose): Promise<UserToken> {
    const hash = this.hasher.hash(token);
    const now = new Date();
    const { count } = await db.userToken.updateMany({
      where: { tokenHash: hash, purpose, usedAt: null, voidedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (count !== 1) throw new LinkInvalidError();
    return db.userToken.findUniqueOrThrow({ where: { tokenHash: hash } });
  }

  /** Voids every open link of the user (e.g. on deactivation). */
  async voidAll(db: Db, userId: string): Promise<void> {
    await db.userToken.updateMany({
      where: { userId, usedAt: null, voidedAt: null },
      data: { voidedAt: new Date() },
    });
  }
}
