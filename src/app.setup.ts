import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifySession from '@fastify/session';
import { RedisStore } from 'connect-redis';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'nestjs-pino';
import { AppConfig } from './config';
import { AllExceptionsFilter } from './common/errors';
import { genRequestId, REQUEST_ID_HEADER } from './common/http/request-id';
import { createValidationPipe } from './common/http/validation';
import { PUBLIC_DIR, viewEngineOptions } from './common/view/view-engine';
import { RedisService } from './modules/cache';
import { SessionRegistry } from './modules/auth/session-registry';

/** Largest non-multipart body accepted (JSON and forms). Uploads have their own limit. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** The Fastify adapter with WMA's server options; main.ts and the e2e tests both use it. */
export function createFastifyAdapter(): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: genRequestId,
    trustProxy: true,
    logger: false,
    return503OnClosing: true,
  });
}

/** The OpenAPI document of /api/v1 at /api/docs.json, and its reference page at /api/docs. */
function setUpOpenApi(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('WMA API')
    .setDescription(
      'JSON API of WMA. Authenticate with a personal access token (profile page, or POST /api/v1/auth/token): ' +
        '`Authorization: Bearer <token>`. Errors are application/problem+json (RFC 9457) with a stable `code` ' +
        'and, for validation, `errors: [{ field, message }]`.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs.json', raw: ['json'] });
  // Swagger UI's page carries a small inline <style>: allow inline styles on that page only.
  const docsCsp =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
    "connect-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'";
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      if (request.url === '/api/docs' || request.url.startsWith('/api/docs/'))
        void reply.header('content-security-policy', docsCsp);
      done();
    });
}

/**
 * Everything that makes the app WMA besides its modules: logging, security headers, body
 * parsing, views, static files, validation and the error pipeline. main.ts and every e2e test
 * call it, so tests run the production setup.
 */
export async function configureApp(app: NestFastifyApplication): Promise<NestFastifyApplication> {
  const config = app.get(AppConfig);
  app.useLogger(app.get(Logger));
  app.flushLogs();

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Cloudflare Turnstile's widget script and frame (sign-in, forgot and reset password).
        scriptSrc: ["'self'", 'https://challenges.cloudflare.com'],
        frameSrc: ["'self'", 'https://challenges.cloudflare.com'],
        connectSrc: ["'self'", 'https://challenges.cloudflare.com'],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: config.isProduction ? [] : null,
      },
    },
    hsts: config.isProduction ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
  });

  // Server-side sessions in Redis. Cookie: HttpOnly, SameSite=Lax, Secure in production (over
  // plain HTTP a Secure cookie is silently dropped), living as long as the absolute timeout.
  // Not rolling: the idle timeout is enforced server-side, so the store is written at most once
  // a minute per session rather than on every request.
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    secret: config.auth.sessionSecret,
    cookieName: 'wma_sid',
    cookie: {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: config.isProduction,
      maxAge: config.auth.sessionAbsoluteMs,
    },
    saveUninitialized: false,
    rolling: false,
    store: new RedisStore({
      client: app.get(RedisService).client,
      prefix: app.get(SessionRegistry).storePrefix,
    }),
  });
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/session',
    // A multipart upload's body is streamed to storage, not parsed first: its form carries the
    // token in the query string instead (redacted from the logs).
    getToken: (req: FastifyRequest) => {
      const body = req.body as { _csrf?: string } | undefined;
      const header = req.headers['x-csrf-token'];
      const query = req.isMultipart() ? (req.query as { _csrf?: string })._csrf : undefined;
      return body?._csrf ?? (typeof header === 'string' ? header : undefined) ?? query;
    },
  });
  // Uploads: one file per request, at most MAX_UPLOAD_MB; larger files are cut and refused with 413.
  await app.register(fastifyMultipart, {
    limits: { fileSize: config.tuning.maxUploadMb * 1024 * 1024, files: 1, fields: 10, parts: 11 },
  });

  setUpOpenApi(app);
  app.useStaticAssets({
    root: PUBLIC_DIR,
    prefix: '/static/',
    maxAge: config.isProduction ? '1d' : 0,
    decorateReply: false,
  });
  app.setViewEngine(
    viewEngineOptions(
      { appName: 'WMA', turnstileSiteKey: config.turnstile.enabled ? config.turnstile.siteKey : undefined },
      config.isProduction,
    ),
  );
  // After setViewEngine: @fastify/view's own onRequest hook resets reply.locals.
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    // Values every page may show. `currentUser` stays undefined until the authentication guard
    // has looked (null: nobody is signed in); pages of unknown routes never reach the guard.
    (reply as FastifyReply & { locals?: Record<string, unknown> }).locals = {
      currentUser: undefined,
      requestId: request.id,
    };
    done();
  });

  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  return app;
}
