import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PrismaService } from '../../src/modules/database';
import { createUser, signedIn, TEST_PASSWORD } from '../helpers/factories';
import { readInbox, waitForMail } from '../helpers/inbox';
import { PageClient } from '../helpers/page-client';
import { createTestApp, testConfig } from '../helpers/test-app';
import {
  startTurnstileStandIn,
  TURNSTILE_SECRETS,
  type TurnstileStandIn,
} from '../helpers/turnstile-standin';

const NEW_PASSWORD = 'reset to something long';

describe('Turnstile (e2e, against a local siteverify stand-in)', () => {
  let standIn: TurnstileStandIn;
  const apps: NestFastifyApplication[] = [];
  beforeAll(async () => {
    standIn = await startTurnstileStandIn('wma.test');
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await standIn.close();
  });

  async function appWith(secret: string): Promise<NestFastifyApplication> {
    const base = testConfig();
    const app = await createTestApp({
      turnstile: {
        ...base.turnstile,
        enabled: true,
        secretKey: secret,
        siteKey: '1x00000000000000000000AA',
        verifyUrl: standIn.url,
        timeoutMs: 300,
      },
    });
    apps.push(app);
    return app;
  }

  async function tryLogin(app: NestFastifyApplication, token: string | undefined, ip: string) {
    const user = await createUser(app);
    const client = new PageClient(app, ip);
    const page = await client.get('/login');
    expect(page.$('.cf-turnstile').attr('data-action')).toBe('login');
    const form: Record<string, string> = { email: user.email, password: TEST_PASSWORD };
    if (token !== undefined) form['cf-turnstile-response'] = token;
    return client.post('/login', form);
  }

  it('lets a passing check through and sends the secret, token and client IP', async () => {
    const app = await appWith(TURNSTILE_SECRETS.alwaysPasses);
    const res = await tryLogin(app, 'dummy:login', '192.0.2.10');
    expect(res.status).toBe(303);
    const sent = standIn.requests.at(-1);
    expect(sent?.get('secret')).toBe(TURNSTILE_SECRETS.alwaysPasses);
    expect(sent?.get('response')).toBe('dummy:login');
    expect(sent?.get('remoteip')).toBe('192.0.2.10');
  });

  it('refuses a token minted for another action', async () => {
    const app = await appWith(TURNSTILE_SECRETS.alwaysPasses);
    const res = await tryLogin(app, 'dummy:forgot-password', '192.0.2.11');
    expect(res.status).toBe(400);
    expect(res.$('.field-error').text()).toContain('confirm that you are human');
  });

  it.each([
    ['a failing check', TURNSTILE_SECRETS.alwaysFails, 'dummy:login'],
    ['an already spent token', TURNSTILE_SECRETS.alreadySpent, 'dummy:login'],
    ['a missing token', TURNSTILE_SECRETS.alwaysPasses, undefined],
    ['a siteverify timeout (fails closed)', TURNSTILE_SECRETS.hangs, 'dummy:login'],
    ['a siteverify 5xx with HTML (fails closed)', TURNSTILE_SECRETS.breaks, 'dummy:login'],
  ])('refuses %s with 400 and does not sign in', async (_label, secret, token) => {
    const app = await appWith(secret);
    const res = await tryLogin(app, token, '192.0.2.12');
    expect(res.status).toBe(400);
    expect(res.$('.field-error').text()).toContain('confirm that you are human');
    const refused = await app.get(PrismaService).auditEvent.findFirst({
      where: { action: 'auth.access_refused', subjectId: 'POST /login' },
      orderBy: { at: 'desc' },
    });
    expect(refused?.summary).toMatchObject({ reason: 'turnstile' });
  });
});

describe('forgot and reset password (e2e)', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  async function requestReset(email: string, ip = '198.51.100.1') {
    const client = new PageClient(app, ip);
    await client.get('/forgot-password');
    return client.post('/forgot-password', { email });
  }

  it('gives the same answer for a known and an unknown email, and mails only the known one', async () => {
    const user = await createUser(app);
    const known = await requestReset(user.email);
    const unknown = await requestReset('ghost@example.test');
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    const text = (r: typeof known) =>
      r
        .$('[data-testid="reset-requested"]')
        .text()
        .replace(/\S+@\S+/, 'EMAIL');
    expect(text(unknown)).toBe(text(known));
    await waitForMail((m) => m.to.includes(user.email) && m.subject === 'Reset your WMA password');
    await new Promise((r) => setTimeout(r, 1500));
    expect((await readInbox()).some((m) => m.to.includes('ghost@example.test'))).toBe(false);
  });

  it('resets once, ends every session, and does not sign in', async () => {
    const user = await createUser(app);
    const elsewhere = await signedIn(app, user);
    await requestReset(user.email);
    const mail = await waitForMail(
      (m) => m.to.includes(user.email) && m.subject === 'Reset your WMA password',
    );
    const link = /http:\/\/wma\.test(\/reset-password\/[\w-]+)/.exec(mail.html)?.[1] as string;

    const client = new PageClient(app);
    const page = await client.get(link);
    expect(page.status).toBe(200);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const mismatch = await client.post(link, { password: NEW_PASSWORD, confirm: 'something else entirely' });
    expect(mismatch.status).toBe(422);
    expect(mismatch.$('.field-error').text()).toContain('differ');
    const done = await client.post(link, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(done.status).toBe(303);
    expect(done.location).toBe('/login');
    expect((await client.get('/profile')).status).toBe(303); // not signed in
    expect((await elsewhere.get('/profile')).location).toMatch(/^\/login/); // the other session ended
    expect((await new PageClient(app).get(link)).status).toBe(410); // single use

    const again = new PageClient(app);
    await again.get('/login');
    expect((await again.post('/login', { email: user.email, password: NEW_PASSWORD })).status).toBe(303);
  });

  it('does not let a deactivated user reset their way back in', async () => {
    const user = await createUser(app);
    await requestReset(user.email);
    const mail = await waitForMail(
      (m) => m.to.includes(user.email) && m.subject === 'Reset your WMA password',
    );
    const link = /http:\/\/wma\.test(\/reset-password\/[\w-]+)/.exec(mail.html)?.[1] as string;
    await app.get(PrismaService).user.update({ where: { id: user.id }, data: { status: 'DEACTIVATED' } });
    const client = new PageClient(app);
    expect((await client.get(link)).status).toBe(410);
    await client.get('/forgot-password');
    const res = await client.post(link, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(res.status).toBe(410);
    const fresh = await app.get(PrismaService).user.findUniqueOrThrow({ where: { id: user.id } });
    expect(fresh.passwordHash).toBe(user.passwordHash);
  });
});
