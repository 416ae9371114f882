import { HttpStatus, Injectable } from '@nestjs/common';
import { DomainError, ValidationFailedError } from '../../common/errors';
import type { AuthUser } from '../../common/auth/auth-user';
import { AppConfig } from '../../config';
import type { User } from '../../generated/prisma/client';
import { AuditService } from '../audit/audit.service';
import { PrismaService } from '../database';
import { OutboxService } from '../mail';
import { LoginThrottle } from './login-throttle';
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from './password-hasher';
import { passwordProblem } from './password-policy';
import { SessionRegistry } from './session-registry';
import { UserTokensService } from './user-tokens.service';

export class InvalidCredentialsError extends DomainError {
  constructor() {
    super('invalid_credentials', 'The email or password is not right.', HttpStatus.UNAUTHORIZED);
  }
}

export class AccountDeactivatedError extends DomainError {
  constructor() {
    super(
      'account_deactivated',
      'This account has been deactivated. Ask a manager if you need access again.',
      HttpStatus.FORBIDDEN,
    );
  }
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function toAuthUser(user: User, via: AuthUser['via']): AuthUser {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    status: user.status,
    mustChangePassword: user.mustChangePassword,
    via,
  };
}

/** Sign-in, passwords, invitation links and resets: one service behind the pages and the API. */
@Injectable()
export class AuthService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly throttle: LoginThrottle,
    private readonly tokens: UserTokensService,
    private readonly sessions: SessionRegistry,
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Checks an email and password. An unknown email and a wrong password get the same error
   * after the same amount of work; failures count towards the sign-in limits.
   */
  async authenticate(rawEmail: string, password: string, ip: string): Promise<User> {
    const email = normaliseEmail(rawEmail);
    await this.throttle.assertAllowed(email, ip);
    const user = await this.prisma.user.findUnique({ where: { email } });
    const ok = user?.passwordHash
      ? await verifyPassword(user.passwordHash, password)
      : await verifyAgainstDummy(password);
    if (!user || !ok) {
      await this.throttle.recordFailure(email, ip);
      await this.audit.record(this.prisma, {
        actor: user ? { id: user.id, email: user.email } : null,
        action: 'auth.login_failed',
        subjectType: 'user',
        subjectId: user?.id,
        summary: { email, reason: user ? 'wrong_password' : 'unknown_email' },
        ip,
      });
      throw new InvalidCredentialsError();
    }
    if (user.status !== 'ACTIVE') {
      await this.audit.record(this.prisma, {
        actor: { id: user.id, email: user.email },
        action: 'auth.access_refused',
        subjectType: 'user',
        subjectId: user.id,
        summary: { reason: `sign-in while ${user.status.toLowerCase()}` },
        ip,
      });
      if (user.status === 'DEACTIVATED') throw new AccountDeactivatedError();
      throw new InvalidCredentialsError();
    }
    await this.throttle.recordSuccess(email, ip);
    const rehash = needsRehash(user.passwordHash ?? '') ? await hashPassword(password) : undefined;
    return this.prisma.$transaction(async (tx) => {
      const updated = await tx.user.update({
        where: { id: user.id },
        data: { lastLoginAt: new Date(), ...(rehash ? { passwordHash: rehash } : {}) },
      });
      await this.audit.record(tx, {
        actor: user,
        action: 'auth.login',
        subjectType: 'user',
        subjectId: user.id,
        ip,
      });
      return updated;
    });
  }

  /** The user as the guards need it, or null when missing. */
  async loadAuthUser(id: string, via: AuthUser['via']): Promise<AuthUser | null> {
    const user = await this.prisma.user.findUnique({ where: { id } });
    return user ? toAuthUser(user, via) : null;
  }

  /**
   * Sets a new password. `current` is required unless the user must change theirs (first
   * sign-in through an invitation). Ends every other session of the user; a pending user
   * becomes active.
   */
  async changePassword(
    user: AuthUser,
    input: { current?: string; password: string; confirm: string },
    ip: string,
    keepSessionId?: string,
  ): Promise<void> {
    const row = await this.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    if (!row.mustChangePassword) {
      const ok = row.passwordHash ? await verifyPassword(row.passwordHash, input.current ?? '') : false;
      if (!ok)
        throw new ValidationFailedError([
          { field: 'current', message: 'Your current password is not right.' },
        ]);
    }
    this.assertNewPassword(input.password, input.confirm, row.email);
    if (row.passwordHash && (await verifyPassword(row.passwordHash, input.password))) {
      throw new ValidationFailedError([
        { field: 'password', message: 'Choose a password different from the current one.' },
      ]);
    }
    const passwordHash = await hashPassword(input.password);
    await this.prisma.$transaction(async (tx) => {
      await tx.user.update({
        where: { id: row.id },
        data: {
          passwordHash,
          mustChangePassword: false,
          status: row.status === 'PENDING' ? 'ACTIVE' : row.status,
        },
      });
      await this.audit.record(tx, {
        actor: row,
        action: 'auth.password_changed',
        subjectType: 'user',
        subjectId: row.id,
        summary: row.status === 'PENDING' ? { status: { before: 'PENDING', after: 'ACTIVE' } } : {},
        ip,
      });
    });
    await this.sessions.destroyAll(row.id, keepSessionId);
  }

  /** Spends an invitation link: the user may now sign in once to choose a password. */
  async acceptInvite(token: string, ip: string): Promise<User> {
    return this.prisma.$transaction(async (tx) => {
      const spent = await this.tokens.spend(tx, token, 'INVITE');
      const user = await tx.user.findUniqueOrThrow({ where: { id: spent.userId } });
      if (user.status !== 'PENDING')
        throw new DomainError('link_invalid', 'This invitation has already been used.', 410);
      const updated = await tx.user.update({
        where: { id: user.id },
        data: { lastLoginAt: new Date(), mustChangePassword: true },
      });
      await this.audit.record(tx, {
        actor: user,
        action: 'auth.invite_accepted',
        subjectType: 'user',
        subjectId: user.id,
        ip,
      });
      return updated;
    });
  }

  /**
   * Emails a reset link to an active user. Unknown, pending and deactivated emails get the
   * same silence, so the answer never tells whether an account exists.
   */
  async requestPasswordReset(rawEmail: string, ip: string): Promise<void> {
    const email = normaliseEmail(rawEmail);
    await this.throttle.assertAllowed(`reset:${email}`, ip);
    await this.throttle.recordFailure(`reset:${email}`, ip); // every request counts: resets are rare
    const user = await this.prisma.user.findUnique({ where: { email } });
    if (!user || user.status !== 'ACTIVE') {
      await verifyAgainstDummy(email); // similar timing either way
      return;
    }
    const ttlMs = this.config.tuning.resetTtlMinutes * 60_000;
    await this.prisma.$transaction(async (tx) => {
      const token = await this.tokens.issue(tx, user.id, 'PASSWORD_RESET', ttlMs);
      await this.outbox.add(tx, 'password-reset', user.email, 'Reset your WMA password', {
        name: user.name,
        link: `${this.config.auth.baseUrl}/reset-password/${token}`,
        validMinutes: this.config.tuning.resetTtlMinutes,
      });
      await this.audit.record(tx, {
        actor: user,
        action: 'auth.password_reset_requested',
        subjectType: 'user',
        subjectId: user.id,
        ip,
      });
    });
    this.outbox.kick();
  }

  /** Whether a reset link can still be used (the page shows the form only then). */
  async resetLinkUsable(token: string): Promise<boolean> {
    const row = await this.tokens.find(token, 'PASSWORD_RESET');
    if (!row) return false;
    const user = await this.prisma.user.findUnique({ where: { id: row.userId } });
    return user?.status === 'ACTIVE';
  }

  /** Spends a reset link and sets the password; ends every session. Does not sign in. */
  async resetPassword(token: string, password: string, confirm: string, ip: string): Promise<void> {
    const row = await this.tokens.find(token, 'PASSWORD_RESET');
    const user = row ? await this.prisma.user.findUnique({ where: { id: row.userId } }) : null;
    if (!row || !user || user.status !== 'ACTIVE') {
      throw new DomainError(
        'link_invalid',
        'This link is not valid any more. Ask for a new one.',
        HttpStatus.GONE,
      );
    }
    this.assertNewPassword(password, confirm, user.email);
    const passwordHash = await hashPassword(password);
    await this.prisma.$transaction(async (tx) => {
      await this.tokens.spend(tx, token, 'PASSWORD_RESET');
      await tx.user.update({ where: { id: user.id }, data: { passwordHash, mustChangePassword: false } });
      await this.audit.record(tx, {
        actor: user,
        action: 'auth.password_reset',
        subjectType: 'user',
        subjectId: user.id,
        ip,
      });
    });
    await this.sessions.destroyAll(user.id);
  }

  private assertNewPassword(password: string, confirm: string, email: string): void {
    const problem = passwordProblem(password, { email });
    if (problem) throw new ValidationFailedError([{ field: 'password', message: problem }]);
    if (password !== confirm)
      throw new ValidationFailedError([{ field: 'confirm', message: 'The two passwords differ.' }]);
  }
}
