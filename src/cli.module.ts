import { Module } from '@nestjs/common';
import { ConfigModule } from './config';
import { AuditModule } from './modules/audit/audit.module';
import { CacheModule } from './modules/cache';
import { DatabaseModule } from './modules/database';
import { MailModule } from './modules/mail';
import { UsersModule } from './modules/users/users.module';

/** What the command-line tool needs: the services, no HTTP, no queue workers. */
@Module({
  imports: [
    ConfigModule.forRoot({ runWorkers: false }),
    DatabaseModule,
    CacheModule,
    MailModule,
    AuditModule,
    UsersModule,
  ],
})
export class CliModule {}
