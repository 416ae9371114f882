import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { WebSession } from './web-session';

/**
 * For every page (after the guards have settled who is signed in): a CSRF token for the
 * page's forms (the header's sign-out included) and the flash messages waiting in the session.
 */
@Injectable()
export class PageLocalsInterceptor implements NestInterceptor {
  constructor(private readonly session: WebSession) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply & { locals?: Record<string, unknown> }>();
    if (
      request.method === 'GET' &&
      !request.url.startsWith('/api/') &&
      !request.url.startsWith('/health/') &&
      reply.locals
    ) {
      reply.locals.csrfToken = reply.generateCsrf();
      reply.locals.flash = this.session.takeFlash(request);
    }
    return next.handle();
  }
}
