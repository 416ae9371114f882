// Browser journeys in headless Chromium against the app listening on a real port.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { PrismaService } from '../../src/modules/database';
import { launchChromium } from '../helpers/browser';
import { createManager, createUser, TEST_PASSWORD } from '../helpers/factories';
import { createTestApp } from '../helpers/test-app';

describe('browser journeys (headless Chromium)', () => {
  let app: NestFastifyApplication;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    app = await createTestApp();
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = await app.getUrl();
    base = base.replace('[::1]', '127.0.0.1');
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function signIn(page: Page, email: string): Promise<void> {
    await page.goto(`${base}/login`);
    await page.fill('#email', email);
    await page.fill('#password', TEST_PASSWORD);
    await Promise.all([page.waitForURL(`${base}/`), page.click('button[type=submit]')]);
  }

  it('a manager signs in, invites a user and deactivates another, with no console errors', async () => {
    const manager = await createManager(app, { name: 'Browser Boss' });
    const staff = await createUser(app, { name: 'Soon Gone' });
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });

    await signIn(page, manager.email);
    expect(await page.textContent('[data-testid="current-user"]')).toBe('Browser Boss');
    const cookie = (await context.cookies()).find((c) => c.name === 'wma_sid');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

    await page.click('a[href="/users"]');
    await page.click('[data-testid="invite-button"]');
    const email = `browser-${randomUUID()}@example.test`;
    await page.fill('#name', 'Bea Browser');
    await page.fill('#email', email);
    await page.selectOption('#role', 'STAFF');
    await Promise.all([page.waitForURL(/\/users\/[0-9a-f-]{36}$/), page.click('main button[type=submit]')]);
    expect(await page.textContent('.flash-success')).toContain(`Invitation sent to ${email}`);
    expect(await page.getAttribute('[data-testid="user-detail"]', 'data-status')).toBe('PENDING');

    await page.goto(`${base}/users/${staff.id}`);
    await page.click('summary:has-text("Deactivate")');
    await Promise.all([
      page.waitForURL(`${base}/users/${staff.id}`),
      page.click('button:has-text("Yes, deactivate")'),
    ]);
    expect(await page.getAttribute('[data-testid="user-detail"]', 'data-status')).toBe('DEACTIVATED');
    expect((await app.get(PrismaService).user.findUniqueOrThrow({ where: { id: staff.id } })).status).toBe(
      'DEACTIVATED',
    );

    await page.screenshot({ path: '.tmp/browser-user-page.png', fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('shows a wrong password beside the form and keeps the email', async () => {
    const user = await createUser(app);
    const page = await browser.newPage();
    await page.goto(`${base}/login`);
    await page.fill('#email', user.email);
    await page.fill('#password', 'definitely not it');
    await page.click('button[type=submit]');
    await page.waitForSelector('.form-errors');
    expect(await page.textContent('.form-errors')).toContain('The email or password is not right.');
    expect(await page.inputValue('#email')).toBe(user.email);
    expect(await page.inputValue('#password')).toBe('');
    await page.close();
  }, 30_000);
});

describe('record journey in the browser (headless Chromium)', () => {
  let app: NestFastifyApplication;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    app = await createTestApp();
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('logs work, uploads a file with the progress script, and submits it', async () => {
    const staff = await createUser(app, { name: 'Uma Upload' });
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${base}/login`);
    await page.fill('#email', staff.email);
    await page.fill('#password', TEST_PASSWORD);
    await Promise.all([page.waitForURL(`${base}/`), page.click('main button[type=submit]')]);

    await page.goto(`${base}/records/new`);
    await page.fill('#title', 'Browser-logged work');
    await page.fill('#hours', '2.5');
    await page.fill('#category', 'Testing');
    await page.fill('#description', 'First line\nSecond line');
    await Promise.all([
      page.waitForURL(/\/records\/[0-9a-f-]{36}$/),
      page.click('main form button[type=submit]'),
    ]);
    const recordUrl = page.url();

    await page.setInputFiles('#file', {
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('some notes\n'.repeat(5000)),
    });
    await page.click('form[data-upload] button[type=submit]');
    await page.waitForSelector('[data-testid="attachment"]');
    expect(await page.textContent('[data-testid="attachment"]')).toContain('notes.txt');
    expect(page.url()).toBe(recordUrl);

    await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Submit for review")')]);
    await page.waitForSelector('[data-testid="record-status"]:has-text("Submitted")');
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
