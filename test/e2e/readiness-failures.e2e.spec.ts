import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServer, type Server } from 'node:net';
import { createTestApp, testConfig } from '../helpers/test-app';

/** A port that nothing listens on: bind, note the port, close. */
async function closedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

type Ready = {
  status: string;
  error: Record<string, { status: string; message?: string; pending?: string[] }>;
};

describe('/health/ready when a part is down (e2e)', () => {
  it('is 503 naming Redis when Redis is unreachable', async () => {
    const port = await closedPort();
    const base = testConfig();
    const app: NestFastifyApplication = await createTestApp({
      redis: { ...base.redis, url: undefined, host: '127.0.0.1', port },
      runWorkers: false,
    });
    try {
      const res = await app.inject({ method: 'GET', url: '/health/ready' });
      expect(res.statusCode).toBe(503);
      const body = res.json<Ready>();
      expect(Object.keys(body.error)).toEqual(['redis']);
      expect(body.error.redis.status).toBe('down');
    } finally {
      await app.close();
    }
  });

  it('is 503 naming storage when the bucket is missing', async () => {
    const base = testConfig();
    const app = await createTestApp({
      storage: { ...base.storage, bucket: 'wma-no-such-bucket', createBucket: false },
    });
    try {
      const res = await app.inject({ method: 'GET', url: '/health/ready' });
      expect(res.statusCode).toBe(503);
      const body = res.json<Ready>();
      expect(Object.keys(body.error)).toEqual(['storage']);
      expect(body.error.storage.message).toContain('wma-no-such-bucket');
    } finally {
      await app.close();
    }
  });

  it('is 503 naming the database when PostgreSQL is unreachable', async () => {
    const port = await closedPort();
    const app = await createTestApp({
      database: { url: `postgresql://postgres@127.0.0.1:${port}/nothing`, directUrl: '' },
    });
    try {
      const res = await app.inject({ method: 'GET', url: '/health/ready' });
      expect(res.statusCode).toBe(503);
      expect(Object.keys(res.json<Ready>().error)).toEqual(['database']);
    } finally {
      await app.close();
    }
  });
});
