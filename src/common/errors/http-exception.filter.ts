import type {} from '@fastify/view';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RedirectException } from '../http/redirect.exception';
import { toProblem, type Problem } from './problem';

/** Paths answered with JSON rather than an HTML page. */
export function wantsJson(url: string): boolean {
  return url.startsWith('/api/') || url === '/api' || url.startsWith('/health/');
}

const escapeHtml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/**
 * The one error pipeline: normalise, log with the request id, then render the `error` page for
 * pages or `application/problem+json` (RFC 9457) for `/api`. Stack traces never leave the server.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    if (exception instanceof RedirectException) {
      if (!reply.sent) void reply.redirect(exception.location, exception.status);
      return;
    }
    const problem = toProblem(exception);
    const { expose: _expose, ...body } = problem;
    const url = request.url.split('?')[0] ?? '/';
    const withIds: Problem = { ...body, instance: url, requestId: request.id };

    if (problem.status >= 500) {
      this.logger.error({ err: exception, reqId: request.id, url }, 'request failed');
    }
    if (reply.sent) return;
    const retryAfter = (exception as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    if (typeof retryAfter === 'number') void reply.header('Retry-After', String(retryAfter));

    // Terminus' readiness answer keeps its own body (which part is down) so operators can read it.
    if (url.startsWith('/health/') && exception instanceof HttpException && problem.status === 503) {
      void reply.status(503).header('Cache-Control', 'no-store').send(exception.getResponse());
      return;
    }
    if (wantsJson(url)) {
      void reply
        .status(problem.status)
        .header('Content-Type', 'application/problem+json; charset=utf-8')
        .send(withIds);
      return;
    }
    this.renderPage(reply, withIds);
  }

  private renderPage(reply: FastifyReply, problem: Problem): void {
    reply
      .viewAsync('pages/error', { title: `${problem.status} ${problem.title}`, problem })
      .catch((renderError: unknown) => {
        // The error page itself failed: fall back to a minimal escaped page.
        this.logger.error({ err: renderError }, 'error page failed to render');
        return (
          `<!doctype html><meta charset="utf-8"><title>${problem.status}</title>` +
          `<h1>${problem.status} ${escapeHtml(problem.title)}</h1><p>${escapeHtml(problem.detail)}</p>`
        );
      })
      .then((html: string) => {
        if (!reply.sent)
          void reply.status(problem.status).header('Content-Type', 'text/html; charset=utf-8').send(html);
      })
      .catch(() => undefined);
  }
}
