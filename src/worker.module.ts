import { Module } from '@nestjs/common';
import { ConfigModule } from './config';
import { CacheModule } from './modules/cache';
import { DatabaseModule } from './modules/database';
import { LoggingModule } from './modules/logging/logging.module';
import { MailModule } from './modules/mail';
import { AuditModule } from './modules/audit/audit.module';
import { RecordsModule } from './modules/records/records.module';
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
    AuditModule,
    // Its queue processors (submission digests) and the attachment sweeper.
    RecordsModule,
  ],
})
export class WorkerModule {}
