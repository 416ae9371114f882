import { Module } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../../config';

const QUIET_PATHS = /^\/(health\/live|static\/|favicon\.ico)/;

/** Structured JSON logs (pino) with the request id on every line; readable output in development. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.logLevel,
          genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id?: string }).id ?? 'unknown',
          // Lean request lines: who asked what, and the answer. No headers, so no secrets.
          serializers: {
            req: (req: { id?: string; method?: string; url?: string; remoteAddress?: string }) => ({
              id: req.id,
              method: req.method,
              url: req.url?.replace(/([?&]_csrf=)[^&]*/, '$1[redacted]'),
              remoteAddress: req.remoteAddress,
            }),
            res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
          },
          autoLogging: { ignore: (req: IncomingMessage) => QUIET_PATHS.test(req.url ?? '') },
          transport:
            config.env === 'development'
              ? { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss' } }
              : undefined,
        },
      }),
    }),
  ],
})
export class LoggingModule {}
