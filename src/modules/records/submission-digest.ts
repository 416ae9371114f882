import { InjectQueue, OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { AppConfig } from '../../config';
import type { Db } from '../audit/audit.service';
import { PrismaService } from '../database';
import { MailService, OutboxService } from '../mail';
import { logErrorsOnce } from '../../common/log-errors-once';
import { isoDay } from '../../common/dates';

export const RECORDS_QUEUE = 'records';
const DIGEST_JOB = 'submission-digest';
const OUTBOX_KIND = 'submission-digest';
/** Leave the relay a moment to bring in submissions made in the last second of a window. */
const SETTLE_MS = 5_000;

interface DigestPayload {
  windowStart: number;
  /** The window's length, carried along so any worker reads the same window. */
  windowMs: number;
}

/**
 * Tells management of submissions as one email per window (SUBMISSION_DIGEST_MINUTES, 15 by
 * default) rather than one per record. A submission writes an outbox row in its transaction;
 * the relay turns it into one delayed job per window (deterministic job id), which at the end of
 * the window mails each active manager the records still waiting that others submitted in it.
 */
@Injectable()
export class SubmissionDigest implements OnModuleInit {
  private readonly logger = new Logger(SubmissionDigest.name);

  constructor(
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
    @InjectQueue(RECORDS_QUEUE) private readonly queue: Queue<DigestPayload>,
  ) {
    logErrorsOnce(this.queue, this.logger, 'records queue');
  }

  onModuleInit(): void {
    this.outbox.registerHandler(OUTBOX_KIND, (payload) => this.schedule(payload as DigestPayload));
  }

  /** Called in the submission's transaction. */
  async noteSubmission(tx: Db, at = new Date()): Promise<void> {
    const windowMs = Math.max(this.config.tuning.submissionDigestMs, 1);
    const windowStart = Math.floor(at.getTime() / windowMs) * windowMs;
    await this.outbox.addMessage(tx, OUTBOX_KIND, { windowStart, windowMs });
  }

  private async schedule({ windowStart, windowMs }: DigestPayload): Promise<void> {
    const delay = windowMs <= 1 ? 0 : Math.max(0, windowStart + windowMs + SETTLE_MS - Date.now());
    await this.queue.add(
      DIGEST_JOB,
      { windowStart, windowMs },
      {
        jobId: `digest-${windowMs}-${windowStart}`,
        delay,
        attempts: 5,
        backoff: { type: 'exponential', delay: 5_000 },
        removeOnComplete: { age: 7 * 24 * 3600 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    );
  }
}

@Processor(RECORDS_QUEUE, { autorun: false })
export class SubmissionDigestProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(SubmissionDigestProcessor.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly mail: MailService,
    private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    if (this.config.runWorkers) void this.worker.run().catch((err: Error) => this.logger.error(err.message));
  }

  async process(job: Job<DigestPayload>): Promise<{ mails: number }> {
    const { windowStart, windowMs } = job.data;
    const records = await this.prisma.record.findMany({
      where: {
        status: 'SUBMITTED',
        submittedAt: { gte: new Date(windowStart), lt: new Date(windowStart + windowMs) },
      },
      include: { author: { select: { name: true } } },
      orderBy: { submittedAt: 'asc' },
    });
    if (!records.length) return { mails: 0 };
    const managers = await this.prisma.user.findMany({
      where: { role: 'MANAGEMENT', status: 'ACTIVE' },
      select: { id: true, email: true, name: true },
    });
    let mails = 0;
    for (const m of managers) {
      const theirs = records.filter((r) => r.authorId !== m.id);
      if (!theirs.length) continue;
      await this.mail.enqueue(
        'submission-digest',
        m.email,
        {
          name: m.name,
          count: theirs.length,
          plural: theirs.length !== 1,
          records: theirs.map((r) => ({
            title: r.title,
            author: r.author.name,
            hours: Number(r.hours),
            workDate: isoDay(r.workDate),
            link: `${this.config.auth.baseUrl}/records/${r.id}`,
          })),
          listLink: `${this.config.auth.baseUrl}/records?status=SUBMITTED&sort=workDate&order=asc`,
        },
        {
          subject:
            theirs.length === 1
              ? `Waiting for review: ${theirs[0]?.title}`
              : `${theirs.length} records waiting for review`,
          jobId: `digest-${windowMs}-${windowStart}-${m.id}`,
        },
      );
      mails++;
    }
    return { mails };
  }

  @OnWorkerEvent('error')
  onError(err: Error): void {
    this.logger.warn(`records worker: ${err.message}`);
  }
}
