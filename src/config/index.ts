export { AppConfig, ConfigError, loadConfig } from './app-config';
export { DEV_DEFAULTS, DEV_SEED_LOGIN, DEV_SERVICES } from './dev-defaults';
export type { MailSettings, NodeEnv, RedisSettings, StorageSettings } from './app-config';
export { ConfigModule } from './config.module';
