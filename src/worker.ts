import 'reflect-metadata';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadConfig } from './config';
import { exitCleanlyOnSignals } from './shutdown';
import { exitOnStartupFailure, verifyDependencies } from './startup';
import { WorkerModule } from './worker.module';

/**
 * Queue workers without the web server. Run web replicas with RUN_WORKERS=false and as many of
 * these as the queues need; all share Redis and PostgreSQL.
 */
async function bootstrap(): Promise<void> {
  loadConfig(process.env);
  const app = await NestFactory.createApplicationContext(WorkerModule, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.flushLogs();
  await verifyDependencies(app);
  exitCleanlyOnSignals(app);
  await app.init();
  new NestLogger('Worker').log('queue workers running');
}

bootstrap().catch(exitOnStartupFailure);
