import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Role } from '../../generated/prisma/enums';
import type { AuthUser } from './auth-user';

export const IS_PUBLIC = 'wma:public';
export const ROLES = 'wma:roles';
export const ALLOW_PENDING_PASSWORD = 'wma:allow-pending-password';

/** Reachable without signing in (login, password reset, invitation links, health, home). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** Only users with one of these roles; everyone else gets 403 (and an audit row). */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES, roles);

/** Reachable while the user must still set a new password (the change-password page, logout). */
export const AllowPendingPassword = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ALLOW_PENDING_PASSWORD, true);

/** The signed-in user (set by the authentication guard). */
export const CurrentUser = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): AuthUser | undefined => {
    return ctx.switchToHttp().getRequest<FastifyRequest>().user;
  },
);
