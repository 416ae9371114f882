import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  HttpStatus,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../common/errors';
import { RedirectException } from '../../common/http/redirect.exception';
import type { Role } from '../../generated/prisma/enums';
import { AuditService } from '../audit/audit.service';
import { ApiTokensService } from './api-tokens.service';
import { AuthService } from './auth.service';
import { WebSession } from './web-session';
import { PrismaService } from '../database';
import type { AuthUser } from '../../common/auth/auth-user';
import { ALLOW_PENDING_PASSWORD, IS_PUBLIC, ROLES } from '../../common/auth/decorators';

export class PasswordChangeRequiredError extends DomainError {
  constructor() {
    super(
      'password_change_required',
      'Set a new password before using WMA (sign in through the website).',
      HttpStatus.FORBIDDEN,
    );
  }
}

/**
 * Runs on every request: finds who is asking (browser session or bearer token), reloads them
 * from the database so that a deactivation or role change applies at once, then enforces
 * sign-in, the forced password change and role restrictions. Refusals are audited.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly apiTokens: ApiTokensService,
    private readonly session: WebSession,
    private readonly audit: AuditService,
    private readonly prisma: PrismaService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply & { locals?: Record<string, unknown> }>();
    const isApi = request.url.startsWith('/api/');
    const user = isApi ? await this.fromToken(request) : await this.fromSession(request);
    request.user = user ?? undefined;
    if (reply.locals) reply.locals.currentUser = user ?? null;

    const target = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, target)) return true;

    if (!user) {
      if (isApi) throw new UnauthorizedException('Send a valid API token: Authorization: Bearer <token>.');
      const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
      throw new RedirectException(`/login${next}`);
    }
    if (
      user.mustChangePassword &&
      !this.reflector.getAllAndOverride<boolean>(ALLOW_PENDING_PASSWORD, target)
    ) {
      if (isApi) throw new PasswordChangeRequiredError();
      throw new RedirectException('/change-password');
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, target);
    if (roles && !roles.includes(user.role)) {
      await this.audit.record(this.prisma, {
        actor: user,
        action: 'auth.access_refused',
        subjectType: 'route',
        subjectId: `${request.method} ${request.routeOptions.url ?? request.url}`,
        summary: { role: user.role, required: roles },
        ip: request.ip,
      });
      throw new ForbiddenException('This page is for management only.');
    }
    return true;
  }

  private async fromToken(request: FastifyRequest): Promise<AuthUser | null> {
    const header = request.headers.authorization;
    if (!header) return null;
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const userId = match ? await this.apiTokens.resolve(match[1] ?? '') : null;
    const user = userId ? await this.auth.loadAuthUser(userId, 'token') : null;
    if (!user || user.status !== 'ACTIVE') {
      throw new UnauthorizedException(
        'This API token is not valid (unknown, expired, revoked, or its owner has no access).',
      );
    }
    return user;
  }

  private async fromSession(request: FastifyRequest): Promise<AuthUser | null> {
    const state = this.session.check(request);
    if (state === 'none') return null;
    if (state === 'expired') {
      await this.session.signOut(request);
      return null;
    }
    const user = await this.auth.loadAuthUser(request.session.get('userId') as string, 'session');
    if (!user || user.status === 'DEACTIVATED' || (user.status === 'PENDING' && !user.mustChangePassword)) {
      await this.session.signOut(request);
      return null;
    }
    if (user.role !== request.session.get('role')) await this.session.rotate(request, user.role);
    return user;
  }
}
