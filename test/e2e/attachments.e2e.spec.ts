import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHash, randomBytes } from 'node:crypto';
import { connect, createServer, type AddressInfo } from 'node:net';
import { PrismaService } from '../../src/modules/database';
import { OrphanSweeper } from '../../src/modules/records/orphan-sweeper';
import { StorageService } from '../../src/modules/storage';
import { apiTokenFor, createUser, signedIn } from '../helpers/factories';
import { createTestApp, testConfig } from '../helpers/test-app';

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7356b8b0000000049454e44ae426082',
  'hex',
);
const today = () => new Date().toISOString().slice(0, 10);

function multipart(fileName: string, content: Buffer, contentType = 'application/octet-stream') {
  const boundary = `----wma${randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${contentType}\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('attachments (e2e, real S3-compatible storage)', () => {
  let app: NestFastifyApplication;
  let prisma: PrismaService;
  let storage: StorageService;
  beforeAll(async () => {
    const base = testConfig();
    app = await createTestApp({ tuning: { ...base.tuning, maxUploadMb: 1, maxAttachmentsPerRecord: 3 } });
    prisma = app.get(PrismaService);
    storage = app.get(StorageService);
  });
  afterAll(async () => {
    await app.close();
  });

  async function draft(token: string): Promise<string> {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/records',
      headers: { authorization: `Bearer ${token}` },
      payload: { title: 'With files', workDate: today(), hours: 1, category: 'c' },
    });
    return res.json<{ id: string }>().id;
  }

  const upload = (token: string, recordId: string, name: string, content: Buffer, type?: string) => {
    const body = multipart(name, content, type);
    return app.inject({
      method: 'POST',
      url: `/api/v1/records/${recordId}/attachments`,
      payload: body.payload,
      headers: { ...body.headers, authorization: `Bearer ${token}` },
    });
  };

  async function keysUnder(recordId: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const k of storage.listKeys(`records/${recordId}/`)) keys.push(k.key);
    return keys;
  }

  it('stores an upload under a server-made key with its sniffed type, and downloads it through a presigned URL', async () => {
    const user = await createUser(app);
    const token = await apiTokenFor(app, user);
    const id = await draft(token);
    const res = await upload(token, id, 'résumé photo.png', PNG, 'text/plain'); // the client's type is ignored
    expect(res.statusCode).toBe(201);
    const body = res.json<{
      id: string;
      contentType: string;
      size: number;
      checksum: string;
      originalName: string;
    }>();
    expect(body).toMatchObject({
      contentType: 'image/png',
      size: PNG.length,
      originalName: 'résumé photo.png',
    });
    expect(body.checksum).toBe(createHash('sha256').update(PNG).digest('hex'));
    const row = await prisma.attachment.findUniqueOrThrow({ where: { id: body.id } });
    expect(row.storageKey).toMatch(new RegExp(`^records/${id}/[0-9a-f-]{36}$`));

    const record = await app.inject({
      method: 'GET',
      url: `/api/v1/records/${id}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(record.json<{ attachments: { id: string; contentType: string }[] }>().attachments).toEqual([
      expect.objectContaining({ id: body.id, contentType: 'image/png' }),
    ]);
    const dl = await app.inject({
      method: 'GET',
      url: `/api/v1/records/${id}/attachments/${body.id}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(dl.statusCode).toBe(302);
    const fetched = await fetch(dl.headers.location as string);
    expect(fetched.status).toBe(200);
    expect(Buffer.from(await fetched.arrayBuffer()).equals(PNG)).toBe(true);
    expect(fetched.headers.get('content-disposition')).toBe(
      `attachment; filename="r_sum_ photo.png"; filename*=UTF-8''r%C3%A9sum%C3%A9%20photo.png`,
    );
    expect(fetched.headers.get('content-type')).toBe('image/png');
  });

  it('refuses a file over the limit with 413 and leaves no object and no row', async () => {
    const user = await createUser(app);
    const token = await apiTokenFor(app, user);
    const id = await draft(token);
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(1024 * 1024 + 100)]);
    const res = await upload(token, id, 'big.pdf', big);
    expect(res.statusCode).toBe(413);
    expect(res.json<{ code: string; errors: { field: string }[] }>()).toMatchObject({
      code: 'file_too_large',
      errors: [{ field: 'file' }],
    });
    expect(await prisma.attachment.count({ where: { recordId: id } })).toBe(0);
    expect(await keysUnder(id)).toEqual([]);
  });

  it('refuses HTML disguised as a PNG with 415 and stores nothing', async () => {
    const user = await createUser(app);
    const token = await apiTokenFor(app, user);
    const id = await draft(token);
    const res = await upload(
      token,
      id,
      'cat.png',
      Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>'),
      'image/png',
    );
    expect(res.statusCode).toBe(415);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(await prisma.attachment.count({ where: { recordId: id } })).toBe(0);
    expect(await keysUnder(id)).toEqual([]);
  });

  it('keeps another user’s attachment out of reach (404 on every route)', async () => {
    const owner = await createUser(app);
    const other = await createUser(app);
    const ot = await apiTokenFor(app, owner);
    const xt = await apiTokenFor(app, other);
    const id = await draft(ot);
    const aid = (await upload(ot, id, 'notes.txt', Buffer.from('private notes'))).json<{ id: string }>().id;
    const h = { authorization: `Bearer ${xt}` };
    expect(
      (await app.inject({ method: 'GET', url: `/api/v1/records/${id}/attachments/${aid}`, headers: h }))
        .statusCode,
    ).toBe(404);
    expect(
      (await app.inject({ method: 'DELETE', url: `/api/v1/records/${id}/attachments/${aid}`, headers: h }))
        .statusCode,
    ).toBe(404);
    expect((await upload(xt, id, 'x.txt', Buffer.from('intruder'))).statusCode).toBe(404);
    const browser = await signedIn(app, other);
    expect((await browser.get(`/records/${id}/attachments/${aid}`)).status).toBe(404);
    expect(await prisma.attachment.count({ where: { recordId: id } })).toBe(1);
  });

  it('accepts files only while the record is a draft or rejected, and at most the configured number', async () => {
    const user = await createUser(app);
    const token = await apiTokenFor(app, user);
    const id = await draft(token);
    for (let i = 0; i < 3; i++)
      expect((await upload(token, id, `n${i}.txt`, Buffer.from(`note ${i}`))).statusCode).toBe(201);
    const fourth = await upload(token, id, 'n4.txt', Buffer.from('one too many'));
    expect(fourth.statusCode).toBe(409);
    expect(fourth.json<{ code: string }>().code).toBe('too_many_files');
    await app.inject({
      method: 'POST',
      url: `/api/v1/records/${id}/submit`,
      headers: { authorization: `Bearer ${token}` },
      payload: {},
    });
    const aid = (await prisma.attachment.findFirstOrThrow({ where: { recordId: id } })).id;
    expect(
      (
        await app.inject({
          method: 'DELETE',
          url: `/api/v1/records/${id}/attachments/${aid}`,
          headers: { authorization: `Bearer ${token}` },
        })
      ).statusCode,
    ).toBe(409);
  });

  it('uploads from the record page (CSRF token in the form action) and refuses without it', async () => {
    const user = await createUser(app);
    const token = await apiTokenFor(app, user);
    const id = await draft(token);
    const browser = await signedIn(app, user);
    const page = await browser.get(`/records/${id}`);
    const action = page.$('form[data-upload]').attr('action') as string;
    expect(action).toMatch(new RegExp(`^/records/${id}/attachments\\?_csrf=`));
    const body = multipart('plan.csv', Buffer.from('task,hours\nwrite,2\n'));
    const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const ok = await app.inject({
      method: 'POST',
      url: action,
      payload: body.payload,
      headers: { ...body.headers, cookie },
    });
    expect(ok.statusCode).toBe(303);
    const after = await browser.get(`/records/${id}`);
    expect(after.$('[data-testid="attachment"]').text()).toContain('plan.csv');
    expect(after.$('[data-testid="attachment"]').text()).toContain('text/csv');
    const refused = await app.inject({
      method: 'POST',
      url: `/records/${id}/attachments`,
      payload: body.payload,
      headers: { ...body.headers, cookie },
    });
    expect(refused.statusCode).toBe(403);
  });

  it('leaves nothing behind when storage fails during the upload', async () => {
    const base = testConfig();
    const broken = await createTestApp({
      storage: { ...base.storage, bucket: 'wma-bucket-that-is-gone', createBucket: false },
    });
    try {
      const user = await createUser(broken);
      const token = await apiTokenFor(broken, user);
      const res = await broken.inject({
        method: 'POST',
        url: '/api/v1/records',
        headers: { authorization: `Bearer ${token}` },
        payload: { title: 't', workDate: today(), hours: 1, category: 'c' },
      });
      const id = res.json<{ id: string }>().id;
      const body = multipart('doc.pdf', Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(200_000)]));
      const up = await broken.inject({
        method: 'POST',
        url: `/api/v1/records/${id}/attachments`,
        payload: body.payload,
        headers: { ...body.headers, authorization: `Bearer ${token}` },
      });
      expect(up.statusCode).toBe(503);
      expect(up.headers['content-type']).toMatch(/problem\+json/);
      expect(up.json<{ code: string }>().code).toBe('storage_unavailable');
      expect(up.body).not.toMatch(/NoSuchBucket|at .*\.js/);
      expect(await prisma.attachment.count({ where: { recordId: id } })).toBe(0);
      expect(await keysUnder(id)).toEqual([]);
    } finally {
      await broken.close();
    }
  });

  it('leaves nothing behind when the storage connection breaks in the middle of a multipart upload', async () => {
    // A proxy in front of the S3 server that cuts every connection after 2 MB have gone through:
    // the first 5 MB part of the upload dies half-way.
    const target = new URL(testConfig().storage.endpoint as string);
    const proxy = createServer((client) => {
      const upstream = connect(Number(target.port), target.hostname);
      let sent = 0;
      client.on('data', (chunk: Buffer) => {
        sent += chunk.length;
        if (sent > 2 * 1024 * 1024) {
          client.destroy();
          upstream.destroy();
          return;
        }
        upstream.write(chunk);
      });
      upstream.pipe(client);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const base = testConfig();
    const flaky = await createTestApp({
      storage: {
        ...base.storage,
        endpoint: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
        createBucket: false,
      },
    });
    try {
      const user = await createUser(flaky);
      const token = await apiTokenFor(flaky, user);
      const res = await flaky.inject({
        method: 'POST',
        url: '/api/v1/records',
        headers: { authorization: `Bearer ${token}` },
        payload: { title: 't', workDate: today(), hours: 1, category: 'c' },
      });
      const id = res.json<{ id: string }>().id;
      const body = multipart(
        'big.pdf',
        Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(7 * 1024 * 1024)]),
      );
      const up = await flaky.inject({
        method: 'POST',
        url: `/api/v1/records/${id}/attachments`,
        payload: body.payload,
        headers: { ...body.headers, authorization: `Bearer ${token}` },
      });
      expect(up.statusCode).toBe(503);
      expect(await prisma.attachment.count({ where: { recordId: id } })).toBe(0);
      expect(await keysUnder(id)).toEqual([]);
    } finally {
      await flaky.close();
      proxy.close();
    }
  }, 60_000);

  it('sweeps objects that have no row once they are old enough', async () => {
    const { Readable } = await import('node:stream');
    await storage.putStream(
      'records/00000000-0000-0000-0000-000000000000/orphan',
      Readable.from([Buffer.from('orphan')]),
      { contentType: 'text/plain' },
    );
    const sweeper = app.get(OrphanSweeper);
    expect(await sweeper.sweep(new Date(), 60_000)).not.toContain(
      'records/00000000-0000-0000-0000-000000000000/orphan',
    ); // too young
    const removed = await sweeper.sweep(new Date(Date.now() + 2 * 86_400_000));
    expect(removed).toContain('records/00000000-0000-0000-0000-000000000000/orphan');
    expect(removed.every((k) => k.includes('00000000-0000-0000-0000-000000000000'))).toBe(true); // rows' objects stay
  });
});
