import { type DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig, loadConfig } from './app-config';

/**
 * Provides the validated {@link AppConfig} everywhere. `forRoot(overrides)` lets an entry point
 * adjust what the environment says (the worker forces its queue processors on); tests override
 * the whole object with `overrideProvider(AppConfig)`.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(overrides: Partial<AppConfig> = {}): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: AppConfig, useFactory: () => Object.assign(loadConfig(process.env), overrides) },
      ],
      exports: [AppConfig],
    };
  }
}
