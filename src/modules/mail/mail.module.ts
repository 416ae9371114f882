import { MailerModule } from '@nestjs-modules/mailer';
import { HandlebarsAdapter } from '@nestjs-modules/mailer/adapters/handlebars.adapter';
import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import type { ConnectionOptions } from 'bullmq';
import { join } from 'node:path';
import { AppConfig } from '../../config';
import { redisOptions } from '../cache/redis-options';
import { MAIL_QUEUE } from './mail.constants';
import { MailProcessor } from './mail.processor';
import { MailService } from './mail.service';
import { OutboxService } from './outbox.service';

export const EMAIL_TEMPLATES_DIR = join(process.cwd(), 'views', 'emails');

@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // ioredis' options type and BullMQ's structural copy of it differ only in typing detail.
        connection: redisOptions(config.redis, { maxRetriesPerRequest: null }) as ConnectionOptions,
        prefix: `${config.redis.prefix}bull`,
      }),
    }),
    BullModule.registerQueue({ name: MAIL_QUEUE }),
    MailerModule.forRootAsync({
      imports: [],
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        transport: {
          host: config.mail.host,
          port: config.mail.port,
          secure: config.mail.secure,
          auth: config.mail.user ? { user: config.mail.user, pass: config.mail.password } : undefined,
          connectionTimeout: 10_000,
          greetingTimeout: 10_000,
          socketTimeout: 30_000,
        },
        defaults: { from: config.mail.from },
        preview: false,
        template: {
          dir: EMAIL_TEMPLATES_DIR,
          adapter: new HandlebarsAdapter(undefined, { inlineCssEnabled: false }),
          // Strict: a variable missing from the context fails the job instead of sending a blank.
          options: { strict: true },
        },
        options: { layout: 'layouts/main' },
      }),
    }),
  ],
  providers: [MailService, MailProcessor, OutboxService],
  exports: [MailService, OutboxService, BullModule],
})
export class MailModule {}
