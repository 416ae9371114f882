import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ModuleMetadata } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { AppModule } from '../../src/app.module';
import { configureApp, createFastifyAdapter } from '../../src/app.setup';
import { AppConfig, ConfigModule, loadConfig } from '../../src/config';

/** The test run's configuration (from the global setup's environment), with overrides. */
export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return Object.assign(loadConfig(process.env), overrides);
}

/**
 * The real AppModule on Fastify, set up by the same configureApp as production, against the
 * run's PostgreSQL, Redis, S3 and SMTP. Nothing is mocked; only the configuration may differ.
 */
export async function createTestApp(overrides: Partial<AppConfig> = {}): Promise<NestFastifyApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(AppConfig)
    .useValue(testConfig(overrides))
    .compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(), {
    bufferLogs: true,
  });
  await configureApp(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

/** A testing module of just the given infrastructure modules, with the run's configuration. */
export async function createInfraModule(
  imports: ModuleImports,
  overrides: Partial<AppConfig> = {},
): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({ imports: [ConfigModule.forRoot(), ...imports] })
    .overrideProvider(AppConfig)
    .useValue(testConfig(overrides))
    .compile();
  await moduleRef.init();
  return moduleRef;
}

type ModuleImports = NonNullable<ModuleMetadata['imports']>;
