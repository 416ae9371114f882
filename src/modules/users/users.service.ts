import { HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { AuthUser } from '../../common/auth/auth-user';
import { DomainError, ValidationFailedError } from '../../common/errors';
import { AppConfig } from '../../config';
import type { User } from '../../generated/prisma/client';
import { AuditService, type Db } from '../audit/audit.service';
import { normaliseEmail } from '../auth/auth.service';
import { SessionRegistry } from '../auth/session-registry';
import { UserTokensService } from '../auth/user-tokens.service';
import { RedisService } from '../cache';
import { PrismaService } from '../database';
import { OutboxService } from '../mail';
import type { InviteUserDto, UpdateUserDto } from './dto/user.dto';
import { type UserFilter, UsersRepository } from './users.repository';
import { isUuid } from '../../common/ids';

const RESENDS_PER_HOUR = 3;

const conflict = (code: string, message: string, field?: string) =>
  new DomainError(code, message, HttpStatus.CONFLICT, field ? [{ field, message }] : undefined);

function snapshot(u: User) {
  return { email: u.email, name: u.name, role: u.role, status: u.status };
}

/** Management of users: one service behind the pages and the JSON API. */
@Injectable()
export class UsersService {
  private readonly resendLimiter: RateLimiterRedis;

  constructor(
    private readonly prisma: PrismaService,
    private readonly users: UsersRepository,
    private readonly audit: AuditService,
    private readonly tokens: UserTokensService,
    private readonly sessions: SessionRegistry,
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
    redis: RedisService,
  ) {
    this.resendLimiter = new RateLimiterRedis({
      storeClient: redis.client,
      keyPrefix: `${redis.prefix}rl:invite-resend`,
      points: RESENDS_PER_HOUR,
      duration: 3600,
    });
  }

  list(filter: UserFilter): Promise<User[]> {
    return this.users.list(filter);
  }

  async get(id: string): Promise<User> {
    const user = isUuid(id) ? await this.users.findById(id) : null;
    if (!user) throw new NotFoundException('No such user.');
    return user;
  }

  /** Creates a pending user and, in the same transaction, the invitation email. */
  async invite(actor: AuthUser, input: InviteUserDto, ip: string): Promise<User> {
    const email = normaliseEmail(input.email);
    const user = await this.prisma
      .$transaction(async (tx) => {
        if (await this.users.findByEmail(email, tx)) {
          throw conflict('email_taken', 'A user with this email already exists.', 'email');
        }
        const created = await tx.user.create({
          data: {
            email,
            name: input.name.trim(),
            role: input.role,
            status: 'PENDING',
            mustChangePassword: true,
          },
        });
        await this.sendInvitation(tx, created, actor);
        await this.audit.record(tx, {
          actor,
          action: 'user.invited',
          subjectType: 'user',
          subjectId: created.id,
          summary: { after: snapshot(created) },
          ip,
        });
        return created;
      })
      .catch((err: unknown) => {
        if ((err as { code?: string }).code === 'P2002')
          throw conflict('email_taken', 'A user with this email already exists.', 'email');
        throw err;
      });
    this.outbox.kick();
    return user;
  }

  /** A new invitation link (the previous one stops working). At most 3 per user per hour. */
  async resendInvite(actor: AuthUser, id: string, ip: string): Promise<void> {
    const user = await this.get(id);
    if (user.status !== 'PENDING')
      throw conflict('not_pending', 'Only a pending user can be sent a new invitation.');
    try {
      await this.resendLimiter.consume(user.id);
    } catch {
      throw new DomainError(
        'too_many_resends',
        'This invitation was re-sent several times already. Try again in an hour.',
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    await this.prisma.$transaction(async (tx) => {
      await this.sendInvitation(tx, user, actor);
      await this.audit.record(tx, {
        actor,
        action: 'user.invite_resent',
        subjectType: 'user',
        subjectId: user.id,
        ip,
      });
    });
    this.outbox.kick();
  }

  /** Removes a pending user that nothing is tied to. Active and deactivated users are never deleted. */
  async revoke(actor: AuthUser, id: string, ip: string): Promise<void> {
    const user = await this.get(id);
    if (user.status !== 'PENDING') {
      throw conflict(
        'not_pending',
        'Only a pending invitation can be revoked. Active users are deactivated, never deleted.',
      );
    }
    await this.prisma.$transaction(async (tx) => {
      if (await this.users.hasTies(user.id, tx))
        throw conflict('user_in_use', 'This user already has data in WMA; deactivate instead.');
      await tx.user.delete({ where: { id: user.id } });
      await this.audit.record(tx, {
        actor,
        action: 'user.revoked',
        subjectType: 'user',
        subjectId: user.id,
        summary: { before: snapshot(user) },
        ip,
      });
    });
    await this.sessions.destroyAll(user.id);
  }

  /** Name and role; the email only while pending (a new address gets a new invitation). */
  async update(actor: AuthUser, id: string, input: UpdateUserDto, ip: string): Promise<User> {
    const user = await this.get(id);
    const email = input.email !== undefined ? normaliseEmail(input.email) : user.email;
    if (email !== user.email && user.status !== 'PENDING') {
      throw new ValidationFailedError(
        [{ field: 'email', message: 'The email of an active or deactivated user cannot be changed.' }],
        'The email of an active or deactivated user cannot be changed.',
      );
    }
    const name = input.name ?? user.name;
    const role = input.role ?? user.role;
    const updated = await this.prisma.$transaction(async (tx) => {
      if (role !== user.role && user.role === 'MANAGEMENT' && user.status === 'ACTIVE') {
        await this.assertNotLastManager(tx, user.id);
      }
      if (email !== user.email && (await this.users.findByEmail(email, tx))) {
        throw conflict('email_taken', 'A user with this email already exists.', 'email');
      }
      const after = await tx.user.update({ where: { id: user.id }, data: { name, role, email } });
      if (email !== user.email) await this.sendInvitation(tx, after, actor);
      await this.audit.record(tx, {
        actor,
        action: role !== user.role ? 'user.role_changed' : 'user.edited',
        subjectType: 'user',
        subjectId: user.id,
        summary: { before: snapshot(user), after: snapshot(after) },
        ip,
      });
      return after;
    });
    if (email !== user.email) this.outbox.kick();
    return updated;
  }

  /**
   * Cuts access at once: status DEACTIVATED, every session destroyed, every API token revoked,
   * open links voided. Never one's own account, never the last active manager.
   */
  async deactivate(actor: AuthUser, id: string, ip: string): Promise<User> {
    const user = await this.get(id);
    if (user.id === actor.id)
      throw conflict('cannot_deactivate_self', 'You cannot deactivate your own account.');
    if (user.status !== 'ACTIVE') {
      throw conflict(
        'not_active',
        user.status === 'PENDING'
          ? 'A pending user is revoked, not deactivated.'
          : 'This user is already deactivated.',
      );
    }
    const updated = await this.prisma.$transaction(async (tx) => {
      if (user.role === 'MANAGEMENT') await this.assertNotLastManager(tx, user.id);
      const after = await tx.user.update({ where: { id: user.id }, data: { status: 'DEACTIVATED' } });
      await tx.apiToken.updateMany({
        where: { userId: user.id, revokedAt: null },
        data: { revokedAt: new Date() },
      });
      await this.tokens.voidAll(tx, user.id);
      await this.audit.record(tx, {
        actor,
        action: 'user.deactivated',
        subjectType: 'user',
        subjectId: user.id,
        summary: { before: { status: user.status }, after: { status: after.status } },
        ip,
      });
      return after;
    });
    await this.sessions.destroyAll(user.id);
    return updated;
  }

  async reactivate(actor: AuthUser, id: string, ip: string): Promise<User> {
    const user = await this.get(id);
    if (user.status !== 'DEACTIVATED')
      throw conflict('not_deactivated', 'Only a deactivated user can be reactivated.');
    return this.prisma.$transaction(async (tx) => {
      const after = await tx.user.update({ where: { id: user.id }, data: { status: 'ACTIVE' } });
      await this.audit.record(tx, {
        actor,
        action: 'user.reactivated',
        subjectType: 'user',
        subjectId: user.id,
        summary: { before: { status: user.status }, after: { status: after.status } },
        ip,
      });
      return after;
    });
  }

  /** The signed-in user's own name. */
  async updateOwnName(actor: AuthUser, name: string, ip: string): Promise<void> {
    const clean = name.trim();
    if (!clean || clean.length > 100)
      throw new ValidationFailedError([{ field: 'name', message: 'Enter a name of 1–100 characters.' }]);
    await this.prisma.$transaction(async (tx) => {
      await tx.user.update({ where: { id: actor.id }, data: { name: clean } });
      await this.audit.record(tx, {
        actor,
        action: 'profile.updated',
        subjectType: 'user',
        subjectId: actor.id,
        summary: { before: { name: actor.name }, after: { name: clean } },
        ip,
      });
    });
  }

  /** Creates a management user from the command line and returns a one-time invitation link. */
  async createAdmin(input: { email: string; name: string }): Promise<{ user: User; link: string }> {
    const email = normaliseEmail(input.email);
    return this.prisma.$transaction(async (tx) => {
      if (await this.users.findByEmail(email, tx))
        throw conflict('email_taken', `A user with the email ${email} already exists.`);
      const user = await tx.user.create({
        data: {
          email,
          name: input.name.trim(),
          role: 'MANAGEMENT',
          status: 'PENDING',
          mustChangePassword: true,
        },
      });
      const token = await this.tokens.issue(
        tx,
        user.id,
        'INVITE',
        this.config.tuning.inviteTtlHours * 3_600_000,
      );
      await this.audit.record(tx, {
        action: 'user.created_by_cli',
        subjectType: 'user',
        subjectId: user.id,
        summary: { after: snapshot(user) },
      });
      return { user, link: `${this.config.auth.baseUrl}/invite/${token}` };
    });
  }

  private async sendInvitation(db: Db, user: User, actor: AuthUser): Promise<void> {
    const ttlMs = this.config.tuning.inviteTtlHours * 3_600_000;
    const token = await this.tokens.issue(db, user.id, 'INVITE', ttlMs);
    await this.outbox.add(db, 'invitation', user.email, 'You are invited to WMA', {
      name: user.name,
      invitedBy: actor.name,
      isManagement: user.role === 'MANAGEMENT',
      link: `${this.config.auth.baseUrl}/invite/${token}`,
      expiresAt: new Date(Date.now() + ttlMs).toISOString().slice(0, 16).replace('T', ' '),
    });
  }

  private async assertNotLastManager(db: Db, leavingId: string): Promise<void> {
    const managers = await this.users.lockActiveManagers(db);
    if (managers.filter((id) => id !== leavingId).length === 0) {
      throw conflict(
        'last_manager',
        'WMA needs at least one active manager: make someone else a manager first.',
      );
    }
  }
}
