import { Module } from '@nestjs/common';
import { ConfigModule } from './config';
import { CacheModule } from './modules/cache';
import { DatabaseModule } from './modules/database';
import { LoggingModule } from './modules/logging/logging.module';
import { MailModule } from './modules/mail';
import { StorageModule } from './modules/storage';

/** The queue processors alone, without HTTP: `node dist/worker.js`. Workers are always on here. */
@Module({
  imports: [
    ConfigModule.forRoot({ runWorkers: true }),
    LoggingModule,
    DatabaseModule,
    CacheModule,
    StorageModule,
    MailModule,
  ],
})
export class WorkerModule {}
