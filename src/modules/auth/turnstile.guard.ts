import { type CanActivate, type ExecutionContext, HttpStatus, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../common/errors';
import { AuditService } from '../audit/audit.service';
import { PrismaService } from '../database';
import { type TurnstileAction, TurnstileService } from './turnstile.service';

const TURNSTILE_ACTION = 'wma:turnstile-action';

/** Protects a form with Cloudflare Turnstile; the widget posts `cf-turnstile-response`. */
export const RequireTurnstile = (action: TurnstileAction): MethodDecorator =>
  SetMetadata(TURNSTILE_ACTION, action);

export class TurnstileFailedError extends DomainError {
  constructor() {
    super(
      'turnstile_failed',
      'We could not confirm that you are human. Please try again.',
      HttpStatus.BAD_REQUEST,
      [{ field: 'turnstile', message: 'We could not confirm that you are human. Please try again.' }],
    );
  }
}

@Injectable()
export class TurnstileGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly turnstile: TurnstileService,
    private readonly audit: AuditService,
    private readonly prisma: PrismaService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const action = this.reflector.get<TurnstileAction | undefined>(TURNSTILE_ACTION, context.getHandler());
    if (!action || !this.turnstile.enabled) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest<{ Body: Record<string, unknown> }>>();
    const token = request.body?.['cf-turnstile-response'];
    const result = await this.turnstile.verify(
      typeof token === 'string' ? token : undefined,
      request.ip,
      action,
    );
    if (result.ok) return true;
    await this.audit.record(this.prisma, {
      action: 'auth.access_refused',
      subjectType: 'route',
      subjectId: `${request.method} ${request.routeOptions.url ?? request.url}`,
      summary: { reason: 'turnstile', detail: result.reason },
      ip: request.ip,
    });
    throw new TurnstileFailedError();
  }
}
