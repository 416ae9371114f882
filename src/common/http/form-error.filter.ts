import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/csrf-protection';
import type {} from '@fastify/view';
import { DomainError, type FieldError } from '../errors';

/** Fields never echoed back into a form. */
const SECRET_FIELDS = new Set(['password', 'confirm', 'current', '_csrf', 'cf-turnstile-response']);

/**
 * For HTML forms: a rule broken by the input re-renders the same form with the message beside
 * the field and the other values kept, with the error's status (4xx). Anything else goes on to
 * the global filter.
 */
@Catch(DomainError)
export class FormErrorFilter implements ExceptionFilter {
  constructor(
    private readonly view: string,
    private readonly context: (
      request: FastifyRequest,
      host: ArgumentsHost,
    ) => Record<string, unknown> | Promise<Record<string, unknown>> = () => ({}),
  ) {}

  catch(error: DomainError, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest<{ Body: Record<string, unknown> }>>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const values: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(request.body ?? {}))
      if (!SECRET_FIELDS.has(k) && typeof v === 'string') values[k] = v;
    const errors: FieldError[] = error.errors?.length
      ? error.errors
      : [{ field: '_form', message: error.message }];
    const retryAfter = (error as DomainError & { retryAfterSeconds?: number }).retryAfterSeconds;
    if (retryAfter) void reply.header('Retry-After', String(retryAfter));
    void Promise.resolve(this.context(request, host))
      .then((context) =>
        reply.status(error.status).view(this.view, {
          ...context,
          values,
          errors,
          formError: error.errors?.length ? undefined : error.message,
          csrfToken: reply.generateCsrf(),
        }),
      )
      .catch((err: unknown) => {
        // The page behind the form could not be built (e.g. its subject vanished): a plain answer.
        if (!reply.sent)
          void reply
            .status(error.status)
            .type('text/plain')
            .send((err as Error).message ?? error.message);
      });
  }
}
