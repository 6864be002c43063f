import { type LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { type LogLevel } from '../../config/app-config';
import { currentRequestContext } from '../request-context';

/**
 * Structured JSON logs; every line written inside a request carries its request id, and its trace
 * and span ids when tracing is on. Tests may pass a destination to read the lines.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    base: { service: 'charter' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => {
      const context = currentRequestContext();
      if (!context) return {};
      return context.logFields
        ? { requestId: context.requestId, ...context.logFields() }
        : { requestId: context.requestId };
    },
  };
  return destination ? pino(options, destination) : pino(options);
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
