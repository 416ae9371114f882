import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PrismaService } from '../../src/modules/database';
import { hash } from '@node-rs/argon2';
import { hashPassword } from '../../src/modules/auth/password-hasher';
import { createUser, signedIn, TEST_PASSWORD } from '../helpers/factories';
import { PageClient } from '../helpers/page-client';
import { problemFields } from '../helpers/api';
import { createTestApp, testConfig } from '../helpers/test-app';

describe('API tokens and the JSON API’s authentication (e2e)', () => {
  let app: NestFastifyApplication;
  let prisma: PrismaService;
  beforeAll(async () => {
    app = await createTestApp();
    prisma = app.get(PrismaService);
  });
  afterAll(async () => {
    await app.close();
  });

  const tokenRequest = (body: object, ip = '203.0.113.1') =>
    app.inject({ method: 'POST', url: '/api/v1/auth/token', payload: body, remoteAddress: ip });

  it('exchanges email and password for a token that authenticates /api/v1/me; only its HMAC is stored', async () => {
    const user = await createUser(app, { name: 'Tia Token' });
    const res = await tokenRequest({
      email: user.email,
      password: TEST_PASSWORD,
      name: 'script',
      expiresInDays: 7,
    });
    expect(res.statusCode).toBe(201);
    const { token, expiresAt } = res.json<{ token: string; expiresAt: string }>();
    expect(token).toMatch(/^wma_[\w-]{43}$/);
    expect(new Date(expiresAt).getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    const me = await app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: user.id, name: 'Tia Token', role: 'STAFF', status: 'ACTIVE' });
    const stored = await prisma.apiToken.findFirstOrThrow({ where: { userId: user.id } });
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(token.slice(4));
    expect(stored.lastUsedAt).not.toBeNull();
  });

  it('answers wrong credentials and unknown emails alike with 401 problem+json, and validates input', async () => {
    const user = await createUser(app);
    const wrong = await tokenRequest({ email: user.email, password: 'nope-nope-nope' }, '203.0.113.2');
    const unknown = await tokenRequest(
      { email: 'nobody@example.test', password: 'nope-nope-nope' },
      '203.0.113.3',
    );
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.headers['content-type']).toMatch(/application\/problem\+json/);
    const strip = (b: Record<string, unknown>) => ({ ...b, requestId: undefined });
    expect(strip(wrong.json())).toEqual(strip(unknown.json()));
    const bad = await tokenRequest({ email: 'not-an-email', expiresInDays: 9999 });
    expect(bad.statusCode).toBe(422);
    expect(problemFields(bad)).toEqual(['email', 'expiresInDays', 'password']);
  });

  it('throttles token requests like sign-in', async () => {
    const user = await createUser(app);
    for (let i = 0; i < 10; i++)
      await tokenRequest({ email: user.email, password: `wrong-${i}` }, '203.0.113.9');
    const res = await tokenRequest({ email: user.email, password: TEST_PASSWORD }, '203.0.113.9');
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.json<{ code: string }>().code).toBe('too_many_attempts');
  });

  it('refuses a missing, malformed, unknown, expired or revoked token with 401', async () => {
    const user = await createUser(app);
    const expired = (
      await tokenRequest({ email: user.email, password: TEST_PASSWORD }, '203.0.113.20')
    ).json<{ token: string }>().token;
    await prisma.apiToken.updateMany({
      where: { userId: user.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    for (const header of [undefined, 'Basic abc', 'Bearer', 'Bearer wma_unknown', `Bearer ${expired}`]) {
      const res = await app.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: header ? { authorization: header } : {},
      });
      expect(`${header} ${res.statusCode}`).toBe(`${header} 401`);
    }
  });

  it('manages tokens on the profile page: shown once, listed with last use, revoked', async () => {
    const user = await createUser(app);
    const browser = await signedIn(app, user);
    await browser.get('/profile');
    const created = await browser.post('/profile/tokens', { tokenName: 'laptop', tokenDays: '30' });
    expect(created.status).toBe(200);
    expect(created.headers['cache-control']).toBe('no-store');
    const token = created.$('[data-testid="new-token"] code').text();
    expect(token).toMatch(/^wma_/);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } }))
        .statusCode,
    ).toBe(200);

    const page = await browser.get('/profile');
    expect(page.body).not.toContain(token); // never shown again
    const row = page.$('[data-testid="token-row"]').first();
    expect(row.text()).toContain('laptop');
    expect(row.text()).toContain(`…${token.slice(-4)}`);
    expect(row.text()).not.toContain('never'); // used just now

    const id = (await prisma.apiToken.findFirstOrThrow({ where: { userId: user.id, name: 'laptop' } })).id;
    expect((await browser.post(`/profile/tokens/${id}/revoke`)).status).toBe(303);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } }))
        .statusCode,
    ).toBe(401);
    const bad = await browser.post('/profile/tokens', { tokenName: '', tokenDays: '0' });
    expect(bad.status).toBe(422);
  });

  it('tells an API client of a user who must change the password to do so first (403 with a code)', async () => {
    const user = await createUser(app, { mustChangePassword: true });
    const token = (await tokenRequest({ email: user.email, password: TEST_PASSWORD }, '203.0.113.30')).json<{
      token: string;
    }>().token;
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json<{ code: string }>().code).toBe('password_change_required');
  });
});

describe('sessions and passwords (e2e)', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('rehashes a password stored with weaker argon2 parameters at sign-in', async () => {
    const user = await createUser(app);
    const weak = await hash(TEST_PASSWORD, { algorithm: 2, memoryCost: 4096, timeCost: 1, parallelism: 1 });
    await app.get(PrismaService).user.update({ where: { id: user.id }, data: { passwordHash: weak } });
    await signedIn(app, user);
    const fresh = await app.get(PrismaService).user.findUniqueOrThrow({ where: { id: user.id } });
    expect(fresh.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(hashPassword).toBeDefined();
  });

  it('ends a session idle for longer than the idle timeout, and one older than the absolute timeout', async () => {
    const base = testConfig();
    const shortIdle = await createTestApp({ auth: { ...base.auth, sessionIdleMs: 1_000 } });
    const shortAbsolute = await createTestApp({ auth: { ...base.auth, sessionAbsoluteMs: 1_500 } });
    try {
      const a = await signedIn(shortIdle, await createUser(shortIdle));
      expect((await a.get('/profile')).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1_200));
      expect((await a.get('/profile')).status).toBe(303);

      const b = await signedIn(shortAbsolute, await createUser(shortAbsolute));
      for (let i = 0; i < 4; i++) {
        await new Promise((r) => setTimeout(r, 300));
        expect((await b.get('/profile')).status).toBe(200); // activity does not extend it
      }
      await new Promise((r) => setTimeout(r, 500));
      expect((await b.get('/profile')).location).toMatch(/^\/login/);
    } finally {
      await shortIdle.close();
      await shortAbsolute.close();
    }
  });

  it('requires the current password to change it, and signs out the other sessions', async () => {
    const user = await createUser(app);
    const other = await signedIn(app, user);
    const browser = await signedIn(app, user);
    await browser.get('/change-password');
    const wrong = await browser.post('/change-password', {
      current: 'not my password',
      password: 'my new long password',
      confirm: 'my new long password',
    });
    expect(wrong.status).toBe(422);
    expect(wrong.$('.field-error').text()).toContain('current password');
    const ok = await browser.post('/change-password', {
      current: TEST_PASSWORD,
      password: 'my new long password',
      confirm: 'my new long password',
    });
    expect(ok.status).toBe(303);
    expect((await browser.get('/profile')).status).toBe(200);
    expect((await other.get('/profile')).location).toMatch(/^\/login/);
    expect(new PageClient(app)).toBeDefined();
  });
});
