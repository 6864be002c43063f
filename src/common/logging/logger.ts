import { type LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';
import { type LogLevel } from '../../config/app-config';
import { currentRequestContext } from '../request-context';

/** Structured JSON logs; every line written inside a request carries its request id. */
export function createLogger(level: LogLevel): Logger {
  return pino({
    level,
    base: { service: 'charter' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => {
      const context = currentRequestContext();
      return context ? { requestId: context.requestId } : {};
    },
  });
}

/** Nest's own log lines (boot, module wiring) through the same JSON logger. */
export class JsonNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
