import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { PrismaService } from '../../src/modules/database';
import { apiTokenFor, createManager, createUser, signedIn, TEST_PASSWORD } from '../helpers/factories';
import { waitForMail } from '../helpers/inbox';
import { PageClient } from '../helpers/page-client';
import { apiRequest, problemFields } from '../helpers/api';
import { createTestApp } from '../helpers/test-app';

const NEW_PASSWORD = 'a brand new passphrase 2026';

function linkIn(html: string, path: 'invite' | 'reset-password'): string {
  const m = new RegExp(`http://wma\\.test(/${path}/[\\w-]+)`).exec(html);
  if (!m?.[1]) throw new Error(`no ${path} link in the mail`);
  return m[1];
}

describe('user management (e2e)', () => {
  let app: NestFastifyApplication;
  let prisma: PrismaService;
  beforeAll(async () => {
    app = await createTestApp();
    prisma = app.get(PrismaService);
  });
  afterAll(async () => {
    await app.close();
  });

  const api = (token: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    apiRequest(app, token, method, url, payload);

  describe('the invitation journey (pages, mail read from SMTP)', () => {
    it('invite → email → link → POST → forced password change → Active', async () => {
      const manager = await createManager(app, { name: 'Morgan Boss' });
      const browser = await signedIn(app, manager);
      const email = `new-${randomUUID()}@example.test`;
      await browser.get('/users/invite');
      const invited = await browser.post('/users/invite', { name: 'Nia New', email, role: 'STAFF' });
      expect(invited.status).toBe(303);
      const user = await prisma.user.findUniqueOrThrow({ where: { email } });
      expect(user.status).toBe('PENDING');
      expect(invited.location).toBe(`/users/${user.id}`);

      const mail = await waitForMail((m) => m.to.includes(email));
      expect(mail.subject).toBe('You are invited to WMA');
      expect(mail.html).toContain('Morgan Boss has invited you');
      const link = linkIn(mail.html, 'invite');

      const guest = new PageClient(app);
      const page = await guest.get(link);
      expect(page.status).toBe(200);
      expect(page.headers['referrer-policy']).toBe('no-referrer');
      expect(page.$('button[type=submit]').text()).toBe('Set up my account');
      // Looking at the page (as a mail scanner would) does not spend the link.
      expect((await new PageClient(app).get(link)).status).toBe(200);

      const accepted = await guest.post(link);
      expect(accepted.status).toBe(303);
      expect(accepted.location).toBe('/change-password');
      // Every other page sends them back until a password is set.
      expect((await guest.get('/profile')).location).toBe('/change-password');
      await guest.get('/change-password');
      const weak = await guest.post('/change-password', {
        password: 'password1234',
        confirm: 'password1234',
      });
      expect(weak.status).toBe(422);
      expect(weak.$('.field-error').text()).toContain('too common');
      const set = await guest.post('/change-password', { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
      expect(set.status).toBe(303);
      expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).status).toBe('ACTIVE');
      expect((await guest.get('/profile')).status).toBe(200);

      // The link is spent.
      expect((await new PageClient(app).get(link)).status).toBe(410);
      // And the new password signs in.
      const again = new PageClient(app);
      await again.get('/login');
      expect((await again.post('/login', { email, password: NEW_PASSWORD })).status).toBe(303);

      const actions = (
        await prisma.auditEvent.findMany({ where: { subjectId: user.id }, orderBy: { at: 'asc' } })
      ).map((a) => a.action);
      expect(actions).toEqual([
        'user.invited',
        'auth.invite_accepted',
        'auth.password_changed',
        'auth.login',
      ]);
    });

    it('refuses an expired link, a used link and a link replaced by a resend', async () => {
      const manager = await createManager(app);
      const token = await apiTokenFor(app, manager);
      const email = `links-${randomUUID()}@example.test`;
      const created = await api(token, 'POST', '/api/v1/users', { name: 'Lee Link', email, role: 'STAFF' });
      expect(created.statusCode).toBe(201);
      const id = created.json<{ id: string }>().id;
      const first = linkIn((await waitForMail((m) => m.to.includes(email))).html, 'invite');

      expect((await api(token, 'POST', `/api/v1/users/${id}/resend-invite`)).statusCode).toBe(204);
      const second = await waitForMail((m) => m.to.includes(email) && !m.html.includes(first));
      const secondLink = linkIn(second.html, 'invite');
      expect((await new PageClient(app).get(first)).status).toBe(410); // resent away
      const c = new PageClient(app);
      await c.get(secondLink);
      expect((await c.post(first)).status).toBe(410);

      await prisma.userToken.updateMany({
        where: { userId: id, usedAt: null, voidedAt: null },
        data: { expiresAt: new Date(Date.now() - 1000) },
      });
      expect((await new PageClient(app).get(secondLink)).status).toBe(410); // expired
    });

    it('limits resends to three an hour', async () => {
      const manager = await createManager(app);
      const token = await apiTokenFor(app, manager);
      const pending = await createUser(app, { status: 'PENDING', password: null });
      for (let i = 0; i < 3; i++)
        expect((await api(token, 'POST', `/api/v1/users/${pending.id}/resend-invite`)).statusCode).toBe(204);
      const fourth = await api(token, 'POST', `/api/v1/users/${pending.id}/resend-invite`);
      expect(fourth.statusCode).toBe(429);
      expect(fourth.json<{ code: string }>().code).toBe('too_many_resends');
    });
  });

  describe('deactivation', () => {
    it('ends an open session and an API token on their next request; reactivation restores sign-in', async () => {
      const manager = await createManager(app);
      const staff = await createUser(app);
      const staffBrowser = await signedIn(app, staff);
      const staffToken = await apiTokenFor(app, staff);
      expect((await staffBrowser.get('/profile')).status).toBe(200);
      expect((await api(staffToken, 'GET', '/api/v1/me')).statusCode).toBe(200);

      const boss = await signedIn(app, manager);
      await boss.get(`/users/${staff.id}`);
      const res = await boss.post(`/users/${staff.id}/deactivate`);
      expect(res.status).toBe(303);

      const after = await staffBrowser.get('/profile');
      expect(after.status).toBe(303);
      expect(after.location).toMatch(/^\/login/);
      const apiAfter = await api(staffToken, 'GET', '/api/v1/me');
      expect(apiAfter.statusCode).toBe(401);
      expect(apiAfter.headers['content-type']).toMatch(/problem\+json/);

      await boss.get(`/users/${staff.id}`);
      expect((await boss.post(`/users/${staff.id}/reactivate`)).status).toBe(303);
      await signedIn(app, staff); // signs in again
      expect((await api(staffToken, 'GET', '/api/v1/me')).statusCode).toBe(401); // tokens stay revoked
    });

    it('refuses self-deactivation and deactivating the last active manager', async () => {
      await prisma.user.updateMany({
        where: { role: 'MANAGEMENT', status: 'ACTIVE' },
        data: { status: 'DEACTIVATED' },
      });
      const only = await createManager(app);
      const other = await createManager(app, { status: 'DEACTIVATED' });
      const browser = await signedIn(app, only);
      await browser.get(`/users/${only.id}`);
      const self = await browser.post(`/users/${only.id}/deactivate`);
      expect(self.status).toBe(409);
      expect(self.$('.form-errors').text()).toContain('cannot deactivate your own account');

      const token = await apiTokenFor(app, only);
      const demote = await api(token, 'PATCH', `/api/v1/users/${only.id}`, { role: 'STAFF' });
      expect(demote.statusCode).toBe(409);
      expect(demote.json<{ code: string }>().code).toBe('last_manager');
      expect((await prisma.user.findUniqueOrThrow({ where: { id: only.id } })).role).toBe('MANAGEMENT');
      expect(other.status).toBe('DEACTIVATED');
    });
  });

  describe('editing', () => {
    it('never changes the email of an active user, through the form or the API; extra fields are ignored', async () => {
      const manager = await createManager(app);
      const staff = await createUser(app, { name: 'Eve Edit' });
      const browser = await signedIn(app, manager);
      await browser.get(`/users/${staff.id}/edit`);
      const form = await browser.post(`/users/${staff.id}/edit`, {
        name: 'Eve Edited',
        role: 'STAFF',
        email: 'changed@example.test',
      });
      expect(form.status).toBe(422);
      expect(form.$('.field-error').text()).toContain('cannot be changed');

      const token = await apiTokenFor(app, manager);
      const res = await api(token, 'PATCH', `/api/v1/users/${staff.id}`, { email: 'changed@example.test' });
      expect(res.statusCode).toBe(422);
      expect(res.json<{ errors: { field: string }[] }>().errors[0]?.field).toBe('email');

      const ok = await api(token, 'PATCH', `/api/v1/users/${staff.id}`, {
        name: 'Eve Renamed',
        status: 'DEACTIVATED',
        passwordHash: 'x',
      });
      expect(ok.statusCode).toBe(200);
      const fresh = await prisma.user.findUniqueOrThrow({ where: { id: staff.id } });
      expect(fresh).toMatchObject({ name: 'Eve Renamed', status: 'ACTIVE', email: staff.email });
      expect(fresh.passwordHash).toBe(staff.passwordHash);
    });

    it('applies a role change on the next request, with a new session id', async () => {
      const manager = await createManager(app);
      const staff = await createUser(app);
      const browser = await signedIn(app, staff);
      expect((await browser.get('/users')).status).toBe(403);
      const before = browser.sessionId;
      const token = await apiTokenFor(app, manager);
      expect(
        (await api(token, 'PATCH', `/api/v1/users/${staff.id}`, { role: 'MANAGEMENT' })).statusCode,
      ).toBe(200);
      expect((await browser.get('/users')).status).toBe(200);
      expect(browser.sessionId).not.toBe(before);
    });

    it('never deletes an active user (409), but revokes a pending one', async () => {
      const manager = await createManager(app);
      const token = await apiTokenFor(app, manager);
      const active = await createUser(app);
      const del = await api(token, 'DELETE', `/api/v1/users/${active.id}`);
      expect(del.statusCode).toBe(409);
      const pending = await createUser(app, { status: 'PENDING', password: null });
      expect((await api(token, 'DELETE', `/api/v1/users/${pending.id}`)).statusCode).toBe(204);
      expect(await prisma.user.findUnique({ where: { id: pending.id } })).toBeNull();
    });

    it('answers a duplicate invitation with 409 and a field error', async () => {
      const manager = await createManager(app);
      const token = await apiTokenFor(app, manager);
      const existing = await createUser(app);
      const res = await api(token, 'POST', '/api/v1/users', {
        name: 'Dup',
        email: existing.email.toUpperCase(),
        role: 'STAFF',
      });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'email_taken', errors: [{ field: 'email' }] });
      const bad = await api(token, 'POST', '/api/v1/users', {
        name: '',
        email: 'not-an-email',
        role: 'BOSS',
      });
      expect(bad.statusCode).toBe(422);
      expect(problemFields(bad)).toEqual(['email', 'name', 'role']);
    });
  });

  it('lists users as cards, filtered by status and role', async () => {
    const manager = await createManager(app);
    await createUser(app, { name: 'Pat Pending', status: 'PENDING', password: null });
    const browser = await signedIn(app, manager);
    const page = await browser.get('/users?status=PENDING&role=STAFF');
    expect(page.status).toBe(200);
    const cards = page.$('[data-testid="user-card"]');
    expect(cards.length).toBeGreaterThan(0);
    cards.each((_, el) => expect(page.$(el).attr('data-status')).toBe('PENDING'));
    expect(page.$('[data-testid="invite-button"]').attr('href')).toBe('/users/invite');
  });

  it('audits every management action in the trail, with before and after', async () => {
    const manager = await createManager(app);
    const token = await apiTokenFor(app, manager);
    const a = (
      await api(token, 'POST', '/api/v1/users', {
        name: 'Ann Audit',
        email: `ann-${randomUUID()}@example.test`,
        role: 'STAFF',
      })
    ).json<{ id: string }>();
    await api(token, 'POST', `/api/v1/users/${a.id}/resend-invite`);
    await api(token, 'PATCH', `/api/v1/users/${a.id}`, { name: 'Ann Audited' });
    await api(token, 'DELETE', `/api/v1/users/${a.id}`);
    const b = await createUser(app);
    await api(token, 'PATCH', `/api/v1/users/${b.id}`, { role: 'MANAGEMENT' });
    await api(token, 'POST', `/api/v1/users/${b.id}/deactivate`);
    await api(token, 'POST', `/api/v1/users/${b.id}/reactivate`);
    const trail = await prisma.auditEvent.findMany({
      where: { actorId: manager.id, subjectType: 'user' },
      orderBy: { at: 'asc' },
    });
    expect(trail.map((e) => e.action)).toEqual([
      'user.invited',
      'user.invite_resent',
      'user.edited',
      'user.revoked',
      'user.role_changed',
      'user.deactivated',
      'user.reactivated',
    ]);
    const roleChange = trail.find((e) => e.action === 'user.role_changed');
    expect(roleChange?.summary).toMatchObject({ before: { role: 'STAFF' }, after: { role: 'MANAGEMENT' } });
    expect(trail.every((e) => e.actorEmail === manager.email && e.ip)).toBe(true);
  });

  it('writes the audit trail and shows it to management', async () => {
    const manager = await createManager(app);
    const browser = await signedIn(app, manager);
    await browser.get('/users/invite');
    const email = `audited-${randomUUID()}@example.test`;
    await browser.post('/users/invite', { name: 'Audrey', email, role: 'STAFF' });
    const audit = await browser.get('/audit?action=user.invited');
    expect(audit.status).toBe(200);
    expect(audit.$('[data-testid="audit-row"]').first().text()).toContain(manager.email);
    const token = await apiTokenFor(app, manager);
    const res = await api(token, 'GET', '/api/v1/audit?action=user.invited&pageSize=5');
    expect(res.statusCode).toBe(200);
    const body = res.json<{
      items: { action: string; summary: { after?: { email?: string } } }[];
      total: number;
    }>();
    expect(body.items[0]?.summary.after?.email).toBe(email);
    expect(TEST_PASSWORD).toBeTruthy();
  });
});
