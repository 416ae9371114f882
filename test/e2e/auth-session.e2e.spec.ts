import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PrismaService } from '../../src/modules/database';
import { createUser, TEST_PASSWORD } from '../helpers/factories';
import { PageClient } from '../helpers/page-client';
import { createTestApp } from '../helpers/test-app';

describe('sign-in and sessions (e2e)', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  async function signIn(client: PageClient, email: string, password = TEST_PASSWORD) {
    await client.get('/login');
    return client.post('/login', { email, password });
  }

  it('signs in, shows who is signed in, and signs out', async () => {
    const user = await createUser(app, { name: 'Sam Signin' });
    const client = new PageClient(app);
    const res = await signIn(client, user.email.toUpperCase());
    expect(res.status).toBe(303);
    expect(res.location).toBe('/');
    const home = await client.get('/');
    expect(home.$('[data-testid="current-user"]').text()).toBe('Sam Signin');

    const out = await client.post('/logout');
    expect(out.status).toBe(303);
    expect((await client.get('/')).$('header .who').text()).toBe('Not signed in');
    const actions = await app
      .get(PrismaService)
      .auditEvent.findMany({ where: { actorId: user.id }, orderBy: { at: 'asc' } });
    expect(actions.map((a) => a.action)).toEqual(['auth.login', 'auth.logout']);
  });

  it('issues a new session id at sign-in (no fixation)', async () => {
    const user = await createUser(app);
    const client = new PageClient(app);
    await client.get('/login');
    const anonymous = client.sessionId;
    expect(anonymous).toBeDefined();
    await client.post('/login', { email: user.email, password: TEST_PASSWORD });
    expect(client.sessionId).toBeDefined();
    expect(client.sessionId).not.toBe(anonymous);
  });

  it('sets the session cookie HttpOnly and SameSite=Lax', async () => {
    const user = await createUser(app);
    const client = new PageClient(app);
    await client.get('/login');
    const res = await client.post('/login', { email: user.email, password: TEST_PASSWORD });
    const setCookie = ([] as string[]).concat(res.headers['set-cookie'] as string[] | string).join('\n');
    expect(setCookie).toMatch(/wma_sid=[^;]+;.*HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
  });

  it('answers a wrong password and an unknown email identically', async () => {
    const user = await createUser(app);
    const a = new PageClient(app, '10.0.0.1');
    const b = new PageClient(app, '10.0.0.2');
    const wrong = await signIn(a, user.email, 'not-the-right-password');
    const unknown = await signIn(b, 'nobody-here@example.test', 'not-the-right-password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const message = (r: typeof wrong) => r.$('.form-errors').text().trim();
    expect(message(wrong)).toBe('The email or password is not right.');
    expect(message(unknown)).toBe(message(wrong));
    expect(wrong.$('#email').attr('value')).toBe(user.email); // the email is kept, the password is not
    expect(wrong.$('#password').attr('value')).toBeUndefined();
  });

  it('refuses a form posted without its CSRF token, and changes nothing', async () => {
    const user = await createUser(app);
    const client = new PageClient(app);
    await client.get('/login');
    const res = await client.post('/login', { email: user.email, password: TEST_PASSWORD }, null);
    expect(res.status).toBe(403);
    expect(res.body).toContain('This form has expired');
    const fresh = await app.get(PrismaService).user.findUniqueOrThrow({ where: { id: user.id } });
    expect(fresh.lastLoginAt).toBeNull();
  });

  it('throttles repeated failures for an account with 429 and Retry-After', async () => {
    const user = await createUser(app);
    const client = new PageClient(app, '10.0.1.1');
    for (let i = 0; i < 10; i++)
      expect((await signIn(client, user.email, `wrong-password-${i}`)).status).toBe(401);
    const blocked = await signIn(client, user.email, TEST_PASSWORD);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.$('.form-errors').text()).toContain('Too many attempts');
    // The same account from another address is not locked out.
    const elsewhere = await signIn(new PageClient(app, '10.0.1.2'), user.email, TEST_PASSWORD);
    expect(elsewhere.status).toBe(303);
  });

  it('redirects a signed-out visitor of a protected page to the sign-in page', async () => {
    const res = await new PageClient(app).get('/change-password');
    expect(res.status).toBe(303);
    expect(res.location).toBe('/login?next=%2Fchange-password');
  });

  it('refuses a deactivated user with the correct password', async () => {
    const user = await createUser(app, { status: 'DEACTIVATED' });
    const res = await signIn(new PageClient(app, '10.0.2.1'), user.email);
    expect(res.status).toBe(403);
    expect(res.$('.form-errors').text()).toContain('deactivated');
  });
});
