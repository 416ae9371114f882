import type { TestingModule } from '@nestjs/testing';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { ObjectNotFoundError, StorageModule, StorageService } from '../../src/modules/storage';
import { createInfraModule } from '../helpers/test-app';

/** A stream of `size` pseudo-random bytes produced in 64 KiB chunks, with the SHA-256 of the whole. */
function generated(size: number): { stream: Readable; sha256: () => string } {
  const hash = createHash('sha256');
  let sent = 0;
  const stream = new Readable({
    read() {
      if (sent >= size) return this.push(null);
      const chunk = randomBytes(Math.min(65_536, size - sent));
      sent += chunk.length;
      hash.update(chunk);
      this.push(chunk);
    },
  });
  return { stream, sha256: () => hash.digest('hex') };
}

async function sha256Of(stream: Readable): Promise<{ hex: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { hex: hash.digest('hex'), size };
}

describe(`${StorageService.name} (real S3-compatible server)`, () => {
  let moduleRef: TestingModule;
  let storage: StorageService;

  beforeAll(async () => {
    moduleRef = await createInfraModule([StorageModule]);
    storage = moduleRef.get(StorageService);
  });
  afterAll(async () => {
    await moduleRef.close();
  });

  it('streams a multi-part object in and reads back the same bytes', async () => {
    const size = 12 * 1024 * 1024 + 123; // three 5 MiB parts
    const body = generated(size);
    const stored = await storage.putStream('it/large.bin', body.stream, {
      contentType: 'application/octet-stream',
      metadata: { 'original-name': 'large.bin' },
    });
    expect(stored.size).toBe(size);
    expect(stored.metadata['original-name']).toBe('large.bin');
    const back = await sha256Of(await storage.getStream('it/large.bin'));
    expect(back).toEqual({ hex: body.sha256(), size });
  });

  it('reads a small object back through head and getStream', async () => {
    await storage.putStream('it/hello.txt', Readable.from([Buffer.from('hello, storage')]), {
      contentType: 'text/plain',
    });
    const head = await storage.head('it/hello.txt');
    expect(head).toMatchObject({ size: 14, contentType: 'text/plain' });
    const text = (await (await storage.getStream('it/hello.txt')).toArray()).join('');
    expect(text).toBe('hello, storage');
  });

  it('gives a presigned URL that downloads the object with the requested disposition', async () => {
    await storage.putStream('it/report.pdf', Readable.from([Buffer.from('%PDF-1.4 tiny')]), {
      contentType: 'application/pdf',
    });
    const url = await storage.presignedGetUrl('it/report.pdf', {
      expiresInSeconds: 60,
      contentDisposition: "attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf",
    });
    expect(url).toContain('X-Amz-Expires=60');
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('%PDF-1.4 tiny');
    expect(res.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf");
  });

  it('deletes an object; reading it then fails with ObjectNotFoundError', async () => {
    await storage.putStream('it/gone.txt', Readable.from([Buffer.from('bye')]), {
      contentType: 'text/plain',
    });
    await storage.delete('it/gone.txt');
    await expect(storage.head('it/gone.txt')).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(storage.getStream('it/gone.txt')).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it('leaves no object behind when the source stream fails mid-upload', async () => {
    let sent = 0;
    const failing = new Readable({
      read() {
        if (sent >= 6 * 1024 * 1024) return this.destroy(new Error('client went away'));
        sent += 1024 * 1024;
        this.push(randomBytes(1024 * 1024));
      },
    });
    await expect(
      storage.putStream('it/partial.bin', failing, { contentType: 'application/octet-stream' }),
    ).rejects.toThrow('client went away');
    await expect(storage.head('it/partial.bin')).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it('reports whether the bucket is reachable', async () => {
    expect(await storage.bucketReachable()).toBe(true);
  });
});
