import { getQueueToken } from '@nestjs/bullmq';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../../src/config';
import { MAIL_QUEUE, MailService } from '../../src/modules/mail';
import { WorkerModule } from '../../src/worker.module';
import { readInbox, waitForMail } from '../helpers/inbox';
import { createTestApp, testConfig } from '../helpers/test-app';

/** Polls until the job's first attempt has failed (it then waits for its backoff retry). */
async function waitForFirstFailure(queue: Queue, id: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const job = await queue.getJob(id);
    if (job && job.attemptsMade >= 1 && job.failedReason) return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${id} did not fail within ${timeoutMs} ms`);
}

describe('mail through the queue (e2e, real Redis and SMTP)', () => {
  describe('with workers in the web process (the default)', () => {
    let app: NestFastifyApplication;
    beforeAll(async () => {
      app = await createTestApp();
    });
    afterAll(async () => {
      await app.close();
    });

    it('renders the template in the layout and delivers it over SMTP', async () => {
      const to = `ada-${randomUUID()}@example.test`;
      await app.get(MailService).enqueue(
        'test-message',
        to,
        { name: 'Ada <Lovelace>', message: 'Your records await.' },
        {
          subject: 'Hello from WMA',
        },
      );
      const mail = await waitForMail((m) => m.to.includes(to));
      expect(mail.subject).toBe('Hello from WMA');
      expect(mail.from).toBe('"WMA Test" <no-reply@wma.test>');
      expect(mail.html).toContain('Hello Ada &lt;Lovelace&gt;,');
      expect(mail.html).toContain('Your records await.');
      expect(mail.html).toContain('sent by WMA'); // the layout
    });

    it('sends one mail for two enqueues with the same job id', async () => {
      const to = `dedupe-${randomUUID()}@example.test`;
      const mail = app.get(MailService);
      const jobId = `dedupe-${to}`;
      await mail.enqueue('test-message', to, { name: 'A', message: 'once' }, { subject: 'Once', jobId });
      await mail.enqueue('test-message', to, { name: 'A', message: 'once' }, { subject: 'Once', jobId });
      await waitForMail((m) => m.to.includes(to));
      await new Promise((r) => setTimeout(r, 500));
      expect((await readInbox()).filter((m) => m.to.includes(to))).toHaveLength(1);
    });

    it('fails the job (strict templates) instead of sending a blank when a variable is missing', async () => {
      const to = `strict-${randomUUID()}@example.test`;
      const id = await app
        .get(MailService)
        .enqueue('test-message', to, { name: 'No message' }, { subject: 'Strict' });
      const queue = app.get<Queue>(getQueueToken(MAIL_QUEUE));
      const job = await waitForFirstFailure(queue, id);
      expect(job.failedReason).toMatch(/"message" not defined/);
      expect(await job.getState()).toBe('delayed'); // retried later with exponential backoff
      expect((await readInbox()).some((m) => m.to.includes(to))).toBe(false);
      await job.remove();
    });
  });

  describe('with web replicas leaving queue work to `node dist/worker.js`', () => {
    it('queues mail in the web process and sends it from the worker process', async () => {
      const web = await createTestApp({ runWorkers: false });
      const to = `worker-${randomUUID()}@example.test`;
      try {
        await web
          .get(MailService)
          .enqueue('test-message', to, { name: 'W', message: 'via worker' }, { subject: 'Worker' });
        await new Promise((r) => setTimeout(r, 800));
        expect((await readInbox()).some((m) => m.to.includes(to))).toBe(false);

        const workerRef = await Test.createTestingModule({ imports: [WorkerModule] })
          .overrideProvider(AppConfig)
          .useValue(testConfig({ runWorkers: true }))
          .compile();
        const worker = await workerRef.init();
        try {
          const mail = await waitForMail((m) => m.to.includes(to));
          expect(mail.subject).toBe('Worker');
        } finally {
          await worker.close();
        }
      } finally {
        await web.close();
      }
    });
  });
});
