import { MailerService } from '@nestjs-modules/mailer';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { AppConfig } from '../../config';
import { MAIL_QUEUE, MailJob, type SendMailJob } from './mail.constants';

/**
 * Renders and sends queued mail. Built with autorun off: it starts only where RUN_WORKERS is
 * true (the web process by default, or `node dist/worker.js`), so web replicas can leave it out.
 */
@Processor(MAIL_QUEUE, { autorun: false, concurrency: 4 })
export class MailProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(MailProcessor.name);

  constructor(
    private readonly mailer: MailerService,
    private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    if (this.config.runWorkers) void this.worker.run().catch((err: Error) => this.logger.error(err.message));
  }

  async process(job: Job<SendMailJob>): Promise<{ messageId: string }> {
    const name = job.name as MailJob;
    switch (name) {
      case MailJob.Send: {
        const { template, to, subject, context } = job.data;
        const info = (await this.mailer.sendMail({ to, subject, template, context })) as {
          messageId?: string;
        };
        return { messageId: info.messageId ?? '' };
      }
      default: {
        const unknown: never = name;
        throw new Error(`unknown mail job: ${String(unknown)}`);
      }
    }
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job<SendMailJob> | undefined, err: Error): void {
    this.logger.warn({ jobId: job?.id, attempt: job?.attemptsMade, err: err.message }, 'mail job failed');
  }

  @OnWorkerEvent('error')
  onError(err: Error): void {
    this.logger.warn(`mail worker: ${err.message}`);
  }
}
