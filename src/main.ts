import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { configureApp, createFastifyAdapter } from './app.setup';
import { loadConfig } from './config';
import { exitCleanlyOnSignals } from './shutdown';
import { exitOnStartupFailure, verifyDependencies } from './startup';

async function bootstrap(): Promise<void> {
  const config = loadConfig(process.env); // fails fast, listing every problem
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createFastifyAdapter(), {
    bufferLogs: true,
    abortOnError: false,
  });
  await configureApp(app);
  await verifyDependencies(app);
  exitCleanlyOnSignals(app);
  await app.listen({ port: config.port, host: '0.0.0.0' });
  new Logger('Bootstrap').log(
    `WMA listening on port ${config.port} (${config.env}); public URL ${config.auth.baseUrl}`,
  );
}

bootstrap().catch(exitOnStartupFailure);
