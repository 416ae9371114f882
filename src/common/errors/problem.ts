import { HttpException, HttpStatus } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { DomainError, type FieldError } from './domain-error';

/** RFC 9457 problem details, with WMA's `code`, `requestId` and field `errors` extensions. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: string;
  requestId?: string;
  errors?: FieldError[];
}

const DEFAULT_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_failed',
  429: 'too_many_requests',
  500: 'internal_error',
  503: 'service_unavailable',
};

const FRIENDLY_DETAIL: Record<number, string> = {
  404: 'The page or resource you asked for does not exist.',
  500: 'Something went wrong on our side. The error has been logged; please try again.',
};

const PRISMA_CODES: Record<string, { status: number; code: string; detail: string }> = {
  P2002: { status: 409, code: 'conflict', detail: 'A record with the same unique value already exists.' },
  P2025: { status: 404, code: 'not_found', detail: 'The record does not exist.' },
  P2003: {
    status: 409,
    code: 'conflict',
    detail: 'The change refers to a record that does not exist or is still in use.',
  },
};

function isPrismaKnownError(err: unknown): err is { code: string; name: string } {
  return (
    typeof err === 'object' &&
    err !== null &&
    (err as { name?: unknown }).name === 'PrismaClientKnownRequestError' &&
    typeof (err as { code?: unknown }).code === 'string'
  );
}

function messageOf(response: unknown, fallback: string): string {
  if (typeof response === 'string') return response;
  if (response && typeof response === 'object') {
    const m = (response as { message?: unknown }).message;
    if (typeof m === 'string') return m;
    if (Array.isArray(m)) return m.map(String).join('; ');
  }
  return fallback;
}

/**
 * Normalises anything thrown into a problem. Unknown errors become a 500 whose detail reveals
 * nothing about the server; `expose` is false for them so the caller logs the original.
 */
export function toProblem(err: unknown): Problem & { expose: boolean } {
  if (err instanceof DomainError) {
    return {
      type: 'about:blank',
      title: STATUS_CODES[err.status] ?? 'Error',
      status: err.status,
      detail: err.message,
      code: err.code,
      errors: err.errors,
      expose: true,
    };
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const response = err.getResponse();
    const code = (response as { code?: unknown })?.code;
    return {
      type: 'about:blank',
      title: STATUS_CODES[status] ?? 'Error',
      status,
      detail:
        status >= 500
          ? (FRIENDLY_DETAIL[500] ?? '')
          : (FRIENDLY_DETAIL[status] ?? messageOf(response, err.message)),
      code: typeof code === 'string' ? code : (DEFAULT_CODES[status] ?? `http_${status}`),
      expose: status < 500,
    };
  }
  if (isPrismaKnownError(err) && PRISMA_CODES[err.code]) {
    const mapped = PRISMA_CODES[err.code];
    return { type: 'about:blank', title: STATUS_CODES[mapped.status] ?? 'Error', ...mapped, expose: true };
  }
  // Fastify's own client errors (malformed JSON, body too large, unsupported media type).
  const statusCode = (err as { statusCode?: unknown })?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return {
      type: 'about:blank',
      title: STATUS_CODES[statusCode] ?? 'Error',
      status: statusCode,
      detail: fastifyClientMessage(err as { code?: string; message?: string }, statusCode),
      code: DEFAULT_CODES[statusCode] ?? `http_${statusCode}`,
      expose: true,
    };
  }
  return {
    type: 'about:blank',
    title: STATUS_CODES[HttpStatus.INTERNAL_SERVER_ERROR] ?? 'Internal Server Error',
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    detail: FRIENDLY_DETAIL[500] ?? '',
    code: 'internal_error',
    expose: false,
  };
}

const FASTIFY_CLIENT_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON.',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The request body is not valid JSON.',
  FST_ERR_CTP_BODY_TOO_LARGE: 'The request body is too large.',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'This content type is not accepted here.',
};

function fastifyClientMessage(err: { code?: string }, status: number): string {
  const known = err.code ? FASTIFY_CLIENT_MESSAGES[err.code] : undefined;
  return (
    known ?? (status === 413 ? 'The request body is too large.' : 'The request could not be understood.')
  );
}
