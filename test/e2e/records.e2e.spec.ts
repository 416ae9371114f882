import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { PrismaService } from '../../src/modules/database';
import { apiTokenFor, createManager, createUser, signedIn } from '../helpers/factories';
import { readInbox, waitForMail } from '../helpers/inbox';
import { apiRequest, problemFields } from '../helpers/api';
import { createTestApp, testConfig } from '../helpers/test-app';

const today = () => new Date().toISOString().slice(0, 10);

describe('work records (e2e)', () => {
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

  it('draft → submit → reject with comment → edit → submit → approve, through the pages, with emails', async () => {
    const manager = await createManager(app, {
      name: 'Rita Reviewer',
      email: `rita-${randomUUID()}@example.test`,
    });
    const staff = await createUser(app, { name: 'Sam Staff', email: `sam-${randomUUID()}@example.test` });
    const s = await signedIn(app, staff);
    const m = await signedIn(app, manager);

    await s.get('/records/new');
    const created = await s.post('/records/new', {
      title: 'Wrote the report',
      workDate: today(),
      hours: '7,5',
      category: 'Writing',
      description: 'Line one\nLine two',
    });
    expect(created.status).toBe(303);
    const id = created.location?.split('/').pop() as string;
    let page = await s.get(`/records/${id}`);
    expect(page.$('[data-testid="record-status"]').text()).toBe('Draft');
    expect(page.$('[data-testid="description"]').text()).toBe('Line one\nLine two');
    expect(page.$('dl.facts').text()).toContain('7.5');

    expect((await s.post(`/records/${id}/submit`, { version: '1' })).status).toBe(303);
    const submitted = await waitForMail(
      (x) => x.to.includes(manager.email) && x.subject === 'Waiting for review: Wrote the report',
    );
    expect(submitted.html).toContain('Wrote the report</a> — Sam Staff, 7.5 h');

    await m.get(`/records/${id}`);
    const noComment = await m.post(`/records/${id}/reject`, { comment: '' });
    expect(noComment.status).toBe(422);
    expect(noComment.$('.field-error').text()).toContain('Say why');
    expect(
      (await m.post(`/records/${id}/reject`, { comment: 'Please add the hours per task.' })).status,
    ).toBe(303);
    const rejected = await waitForMail(
      (x) => x.to.includes(staff.email) && x.subject.startsWith('Your record was rejected'),
    );
    expect(rejected.html).toContain('Please add the hours per task.');

    page = await s.get(`/records/${id}/edit`);
    const version = page.$('input[name=version]').attr('value') as string;
    expect(
      (
        await s.post(`/records/${id}/edit`, {
          title: 'Wrote the report (per task)',
          workDate: today(),
          hours: '8',
          category: 'Writing',
          description: 'Task A 4h\nTask B 4h',
          version,
        })
      ).status,
    ).toBe(303);
    page = await s.get(`/records/${id}`);
    expect(
      (
        await s.post(`/records/${id}/submit`, {
          version: page.$('[data-testid=record]').attr('data-version') as string,
        })
      ).status,
    ).toBe(303);

    await m.get(`/records/${id}`);
    expect((await m.post(`/records/${id}/approve`, { comment: '' })).status).toBe(303);
    await waitForMail((x) => x.to.includes(staff.email) && x.subject.startsWith('Your record was approved'));
    page = await s.get(`/records/${id}`);
    expect(page.$('[data-testid="record-status"]').text()).toBe('Approved');
    expect(page.$('a[href$="/edit"]').length).toBe(0);

    const trail = await prisma.auditEvent.findMany({ where: { subjectId: id }, orderBy: { at: 'asc' } });
    expect(trail.map((e) => e.action)).toEqual([
      'record.created',
      'record.submitted',
      'record.rejected',
      'record.edited',
      'record.submitted',
      'record.approved',
    ]);
  });

  it('the same journey through the API, with problem+json for refusals', async () => {
    const manager = await createManager(app);
    const staff = await createUser(app);
    const st = await apiTokenFor(app, staff);
    const mt = await apiTokenFor(app, manager);
    const bad = await api(st, 'POST', '/api/v1/records', {
      title: '',
      workDate: '2026-13-40',
      hours: 0.3,
      category: '',
    });
    expect(bad.statusCode).toBe(422);
    expect(problemFields(bad)).toEqual(['category', 'title', 'workDate']);
    const quarter = await api(st, 'POST', '/api/v1/records', {
      title: 'x',
      workDate: today(),
      hours: 0.3,
      category: 'c',
    });
    expect(quarter.statusCode).toBe(422);
    expect(quarter.json<{ errors: { field: string }[] }>().errors[0]?.field).toBe('hours');

    const r = (
      await api(st, 'POST', '/api/v1/records', {
        title: 'API work',
        workDate: today(),
        hours: 2.25,
        category: 'Dev',
      })
    ).json<{ id: string; version: number; status: string }>();
    expect(r.status).toBe('DRAFT');
    expect((await api(st, 'POST', `/api/v1/records/${r.id}/approve`)).statusCode).toBe(404); // staff cannot review
    expect((await api(mt, 'POST', `/api/v1/records/${r.id}/approve`)).statusCode).toBe(409); // not submitted
    const sub = await api(st, 'POST', `/api/v1/records/${r.id}/submit`, { version: r.version });
    expect(sub.json<{ status: string }>().status).toBe('SUBMITTED');
    const rej = await api(mt, 'POST', `/api/v1/records/${r.id}/reject`, { comment: 'More detail' });
    expect(rej.json()).toMatchObject({ status: 'REJECTED', reviewComment: 'More detail' });
    const v = rej.json<{ version: number }>().version;
    const edited = await api(st, 'PATCH', `/api/v1/records/${r.id}`, { hours: 3, version: v });
    expect(edited.json()).toMatchObject({ hours: 3, status: 'REJECTED' });
    await api(st, 'POST', `/api/v1/records/${r.id}/submit`, {});
    const ok = await api(mt, 'POST', `/api/v1/records/${r.id}/approve`, {});
    expect(ok.json()).toMatchObject({ status: 'APPROVED', reviewerId: manager.id });
    expect((await api(st, 'DELETE', `/api/v1/records/${r.id}`)).statusCode).toBe(409); // only drafts
  });

  it('refuses an edit made on a stale version, and keeps the other change', async () => {
    const staff = await createUser(app);
    const t = await apiTokenFor(app, staff);
    const r = (
      await api(t, 'POST', '/api/v1/records', {
        title: 'Original',
        workDate: today(),
        hours: 1,
        category: 'c',
      })
    ).json<{ id: string; version: number }>();
    expect(
      (await api(t, 'PATCH', `/api/v1/records/${r.id}`, { title: 'First tab', version: r.version }))
        .statusCode,
    ).toBe(200);
    const stale = await api(t, 'PATCH', `/api/v1/records/${r.id}`, {
      title: 'Second tab',
      version: r.version,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<{ code: string; detail: string }>()).toMatchObject({ code: 'stale_record' });
    expect((await prisma.record.findUniqueOrThrow({ where: { id: r.id } })).title).toBe('First tab');
    const missing = await api(t, 'PATCH', `/api/v1/records/${r.id}`, { title: 'No version' });
    expect(missing.statusCode).toBe(422);

    const browser = await signedIn(app, staff);
    const form = await browser.get(`/records/${r.id}/edit`);
    expect(form.status).toBe(200);
    await api(t, 'PATCH', `/api/v1/records/${r.id}`, { title: 'Changed meanwhile', version: 2 });
    const res = await browser.post(`/records/${r.id}/edit`, {
      title: 'My stale edit',
      workDate: today(),
      hours: '1',
      category: 'c',
      version: '2',
    });
    expect(res.status).toBe(409);
    expect(res.$('.form-errors').text()).toContain('Someone changed this record');
    expect(res.$('#title').attr('value')).toBe('My stale edit'); // the input is not lost
  });

  it('never lets a staff user read or change another user’s record (404 on every route)', async () => {
    const owner = await createUser(app);
    const other = await createUser(app);
    const ot = await apiTokenFor(app, owner);
    const xt = await apiTokenFor(app, other);
    const r = (
      await api(ot, 'POST', '/api/v1/records', { title: 'Mine', workDate: today(), hours: 1, category: 'c' })
    ).json<{ id: string }>();
    for (const [method, url] of [
      ['GET', `/api/v1/records/${r.id}`],
      ['PATCH', `/api/v1/records/${r.id}`],
      ['DELETE', `/api/v1/records/${r.id}`],
      ['POST', `/api/v1/records/${r.id}/submit`],
      ['POST', `/api/v1/records/${r.id}/approve`],
      ['POST', `/api/v1/records/${r.id}/reject`],
    ] as const) {
      const res = await api(
        xt,
        method,
        url,
        method === 'GET' || method === 'DELETE' ? undefined : { version: 1, comment: 'x', title: 'hijack' },
      );
      expect(`${method} ${url} ${res.statusCode}`).toBe(`${method} ${url} 404`);
    }
    const browser = await signedIn(app, other);
    expect((await browser.get(`/records/${r.id}`)).status).toBe(404);
    expect((await browser.get(`/records/${r.id}/edit`)).status).toBe(404);
    await browser.get('/records');
    expect((await browser.post(`/records/${r.id}/delete`)).status).toBe(404);
    const list = await api(xt, 'GET', '/api/v1/records?pageSize=100');
    expect(list.json<{ items: { id: string }[] }>().items.some((i) => i.id === r.id)).toBe(false);
    const csv = await browser.get('/records/export.csv');
    expect(csv.body).not.toContain(r.id);
    expect((await prisma.record.findUniqueOrThrow({ where: { id: r.id } })).title).toBe('Mine');
  });

  it('streams a CSV export of 1,000 records with a header row and defused formulas', async () => {
    const staff = await createUser(app);
    await prisma.record.createMany({
      data: Array.from({ length: 1000 }, (_, i) => ({
        authorId: staff.id,
        title: i === 0 ? '=HYPERLINK("http://evil.example","click")' : `Task ${i}, part "${i % 7}"`,
        description: i === 1 ? '+cmd|calc' : `line 1\nline 2 of ${i}`,
        workDate: new Date(Date.UTC(2026, 10, 1 + (i % 28))),
        hours: 0.25 + (i % 8),
        category: i === 2 ? '@SUM(A1:A9)' : 'Export',
      })),
    });
    const browser = await signedIn(app, staff);
    const res = await browser.get('/records/export.csv?from=2026-11-01&to=2026-11-30');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="wma-records-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(res.headers['transfer-encoding']).toBe('chunked'); // streamed, not one buffered body
    const body = res.body.replace(/^\uFEFF/, '');
    expect(body.split('\r\n')[0]).toBe(
      'id,work_date,title,category,hours,status,author,author_email,submitted_at,reviewed_at,review_comment,description',
    );
    const records = body.match(/^[0-9a-f]{8}-[0-9a-f]{4}-/gm) ?? [];
    expect(records).toHaveLength(1000);
    expect(body).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(body).toContain("'+cmd|calc");
    expect(body).toContain("'@SUM(A1:A9)");
    expect(body).not.toMatch(/,=|,\+cmd|,@SUM/);
  });

  it('updates the cached dashboard right after an approval', async () => {
    const manager = await createManager(app);
    const staff = await createUser(app);
    const st = await apiTokenFor(app, staff);
    const mt = await apiTokenFor(app, manager);
    const browser = await signedIn(app, staff);
    const figures = async () => {
      const page = await browser.get('/dashboard');
      const row = (status: string) => page.$(`[data-testid=week] tr[data-status=${status}]`);
      return {
        submitted: Number(row('SUBMITTED').find('.count').text()),
        approved: Number(row('APPROVED').find('.count').text()),
        approvedHours: Number(row('APPROVED').find('.hours').text()),
      };
    };
    const r = (
      await api(st, 'POST', '/api/v1/records', {
        title: 'Dash',
        workDate: today(),
        hours: 1.5,
        category: 'c',
      })
    ).json<{ id: string }>();
    await api(st, 'POST', `/api/v1/records/${r.id}/submit`, {});
    expect(await figures()).toEqual({ submitted: 1, approved: 0, approvedHours: 0 });
    expect(await figures()).toEqual({ submitted: 1, approved: 0, approvedHours: 0 }); // from the cache
    await api(mt, 'POST', `/api/v1/records/${r.id}/approve`, {});
    expect(await figures()).toEqual({ submitted: 0, approved: 1, approvedHours: 1.5 });

    const mb = await signedIn(app, manager);
    const mpage = await mb.get('/dashboard');
    expect(mpage.$('[data-testid=waiting] h2').text()).toMatch(/Waiting for review \(\d+\)/);
  });

  it('tells management of the submissions of one window in a single email', async () => {
    const base = testConfig();
    const digestApp = await createTestApp({ tuning: { ...base.tuning, submissionDigestMs: 3_000 } });
    try {
      const manager = await createManager(digestApp, { email: `digest-${randomUUID()}@example.test` });
      const a = await apiTokenFor(digestApp, await createUser(digestApp, { name: 'Avery' }));
      const b = await apiTokenFor(digestApp, await createUser(digestApp, { name: 'Blake' }));
      const call = (t: string, method: 'POST', url: string, payload?: object) =>
        apiRequest(digestApp, t, method, url, payload);
      const ra = (
        await call(a, 'POST', '/api/v1/records', {
          title: 'Digest A',
          workDate: today(),
          hours: 1,
          category: 'c',
        })
      ).json<{ id: string }>();
      const rb = (
        await call(b, 'POST', '/api/v1/records', {
          title: 'Digest B',
          workDate: today(),
          hours: 2,
          category: 'c',
        })
      ).json<{ id: string }>();
      while (Date.now() % 3_000 > 1_000) await new Promise((r) => setTimeout(r, 50)); // both in one window
      await call(a, 'POST', `/api/v1/records/${ra.id}/submit`, {});
      await call(b, 'POST', `/api/v1/records/${rb.id}/submit`, {});
      const mail = await waitForMail((x) => x.to.includes(manager.email), 15_000);
      expect(mail.subject).toBe('2 records waiting for review');
      expect(mail.html).toContain('Digest A</a> — Avery');
      expect(mail.html).toContain('Digest B</a> — Blake');
      await new Promise((r) => setTimeout(r, 1_000));
      expect((await readInbox()).filter((x) => x.to.includes(manager.email))).toHaveLength(1);
    } finally {
      await digestApp.close();
    }
  }, 30_000);

  it('lets the author delete a draft, and nothing else', async () => {
    const staff = await createUser(app);
    const t = await apiTokenFor(app, staff);
    const r = (
      await api(t, 'POST', '/api/v1/records', {
        title: 'Delete me',
        workDate: today(),
        hours: 1,
        category: 'c',
      })
    ).json<{ id: string }>();
    expect((await api(t, 'DELETE', `/api/v1/records/${r.id}`)).statusCode).toBe(204);
    expect(await prisma.record.findUnique({ where: { id: r.id } })).toBeNull();
    const audit = await prisma.auditEvent.findFirst({ where: { subjectId: r.id, action: 'record.deleted' } });
    expect(audit?.summary).toMatchObject({ before: { title: 'Delete me' } });
  });
});
