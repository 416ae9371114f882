import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpAdapterHost } from '@nestjs/core';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Session-bound CSRF check (@fastify/csrf-protection) on every state-changing page request,
 * sign-in and sign-out included. The JSON API is exempt: it authenticates with bearer tokens and
 * never reads the session cookie. Wrapped in a guard because the plugin answers through
 * `reply.send`, and the body token needs the body parsed (so it cannot run in `onRequest`).
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  canActivate(context: ExecutionContext): Promise<boolean> | boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (SAFE.has(request.method) || request.url.startsWith('/api/')) return true;
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    return new Promise<boolean>((resolve, reject) => {
      const standIn = {
        send: () => {
          reject(new ForbiddenException('This form has expired. Go back, reload the page and try again.'));
          return standIn;
        },
      } as unknown as FastifyReply;
      fastify.csrfProtection(request, standIn, () => resolve(true));
    });
  }
}
