import { Module } from '@nestjs/common';
import { ConfigModule } from './config';
import { AuditModule } from './modules/audit/audit.module';
import { AuthModule } from './modules/auth/auth.module';
import { RecordsModule } from './modules/records/records.module';
import { UsersModule } from './modules/users/users.module';
import { CacheModule } from './modules/cache';
import { DatabaseModule } from './modules/database';
import { HealthModule } from './modules/health/health.module';
import { HomeModule } from './modules/home/home.module';
import { LoggingModule } from './modules/logging/logging.module';
import { MailModule } from './modules/mail';
import { StorageModule } from './modules/storage';

@Module({
  imports: [
    ConfigModule.forRoot(),
    LoggingModule,
    DatabaseModule,
    CacheModule,
    StorageModule,
    MailModule,
    AuditModule,
    AuthModule,
    UsersModule,
    RecordsModule,
    HealthModule,
    HomeModule,
  ],
})
export class AppModule {}
