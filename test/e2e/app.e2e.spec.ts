import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { load } from 'cheerio';
import { createTestApp } from '../helpers/test-app';

describe('WMA app (e2e, real PostgreSQL, Redis, S3, SMTP)', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  describe('home page', () => {
    it('renders the layout and says nobody is signed in', async () => {
      const res = await app.inject({ method: 'GET', url: '/' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      const $ = load(res.body);
      expect($('title').text()).toBe('Home · WMA');
      expect($('[data-testid="signed-in-as"]').text()).toBe('Nobody is signed in.');
      expect($('header .who').text().trim()).toBe('Not signed in');
      expect($('link[rel="stylesheet"]').attr('href')).toBe('/static/css/app.css');
      expect(res.body).not.toMatch(/\{\{|\}\}/);
      expect($('.site-footer').text()).toContain(res.headers['x-request-id'] as string);
    });

    it('sends security headers and a request id', async () => {
      const res = await app.inject({ method: 'GET', url: '/' });
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['content-security-policy']).toContain('https://challenges.cloudflare.com');
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    });

    it('keeps a well-formed incoming request id and replaces a malformed one', async () => {
      const kept = await app.inject({
        method: 'GET',
        url: '/',
        headers: { 'x-request-id': 'proxy-req-12345678' },
      });
      expect(kept.headers['x-request-id']).toBe('proxy-req-12345678');
      const replaced = await app.inject({ method: 'GET', url: '/', headers: { 'x-request-id': '<script>' } });
      expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  it('serves the stylesheet from public/', async () => {
    const res = await app.inject({ method: 'GET', url: '/static/css/app.css' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/css/);
    expect(res.body).toContain('--accent');
  });

  describe('errors', () => {
    it('answers an unknown page with an HTML 404 page', async () => {
      const res = await app.inject({ method: 'GET', url: '/no/such/page' });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      const $ = load(res.body);
      expect($('h1').text()).toContain('404');
      expect($('.error-page').text()).toContain(res.headers['x-request-id'] as string);
      // Unknown routes never reach the authentication guard: the header claims nothing about who is signed in.
      expect($('header .who').length).toBe(0);
    });

    it('answers an unknown API route with problem+json', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/v1/no-such-thing' });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      const body = res.json<Record<string, unknown>>();
      expect(body).toMatchObject({ type: 'about:blank', title: 'Not Found', status: 404, code: 'not_found' });
      expect(body.instance).toBe('/api/v1/no-such-thing');
      expect(body.requestId).toBe(res.headers['x-request-id']);
    });

    it('answers malformed JSON with a 400 problem, not a 500', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/anything',
        headers: { 'content-type': 'application/json' },
        payload: '{"broken": ',
      });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json<{ detail: string }>().detail).toMatch(/JSON/);
      expect(res.body).not.toMatch(/at .*\.js:\d+/);
    });

    it('refuses a body over the limit with 413', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/anything',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ blob: 'x'.repeat(1024 * 1024 + 10) }),
      });
      expect(res.statusCode).toBe(413);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    });
  });

  describe('health', () => {
    it('/health/live answers without calling anything', async () => {
      const res = await app.inject({ method: 'GET', url: '/health/live' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ status: 'ok' });
    });

    it('/health/ready is 200 with database, Redis and storage up', async () => {
      const res = await app.inject({ method: 'GET', url: '/health/ready' });
      expect(res.statusCode).toBe(200);
      const body = res.json<{ status: string; details: Record<string, { status: string }> }>();
      expect(body.status).toBe('ok');
      expect(Object.keys(body.details).sort()).toEqual(['database', 'process', 'redis', 'storage']);
      for (const part of Object.values(body.details)) expect(part.status).toBe('up');
    });
  });
});

describe('OpenAPI document (e2e)', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('describes the JSON API at /api/docs.json, with bearer auth, and not the pages', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/docs.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{
      openapi: string;
      paths: Record<string, unknown>;
      components: { securitySchemes: Record<string, unknown> };
    }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/token',
        '/api/v1/me',
        '/api/v1/users',
        '/api/v1/users/{id}',
        '/api/v1/audit',
      ]),
    );
    expect(Object.keys(doc.paths).every((p) => p.startsWith('/api/v1/'))).toBe(true);
    expect(doc.components.securitySchemes).toHaveProperty('bearer');
  });

  it('serves the reference page at /api/docs', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('swagger-ui');
  });
});
