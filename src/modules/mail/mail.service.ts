import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { MAIL_JOB_OPTIONS, MAIL_QUEUE, MailJob, type MailTemplate, type SendMailJob } from './mail.constants';
import { logErrorsOnce } from '../../common/log-errors-once';

export interface EnqueueOptions {
  subject: string;
  /** Deterministic id: enqueuing the same id twice sends one mail. */
  jobId?: string;
  /** Delay before the first attempt, in milliseconds. */
  delayMs?: number;
}

/** Puts email on the `mail` queue. Nothing sends mail inside a request: the queue's worker does. */
@Injectable()
export class MailService {
  private readonly logger = new Logger(MailService.name);

  constructor(@InjectQueue(MAIL_QUEUE) private readonly queue: Queue<SendMailJob>) {
    logErrorsOnce(this.queue, this.logger, 'mail queue');
  }

  async enqueue(
    template: MailTemplate,
    to: string,
    context: Record<string, unknown>,
    options: EnqueueOptions,
  ): Promise<string> {
    const job = await this.queue.add(
      MailJob.Send,
      { template, to, subject: options.subject, context },
      { ...MAIL_JOB_OPTIONS, jobId: options.jobId, delay: options.delayMs },
    );
    return job.id ?? '';
  }
}
