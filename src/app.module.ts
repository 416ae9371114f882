import { Module } from '@nestjs/common';
import { ConfigModule } from './config';
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
    HealthModule,
    HomeModule,
  ],
})
export class AppModule {}
