import type { LoggerService } from '@nestjs/common';
import type { Logger } from './logger';

function text(message: unknown): string {
  return typeof message === 'string' ? message : JSON.stringify(message);
}

/**
 * Nest's logger, bridged to a service's pino logger: Nest's start-up chatter (`log`,
 * route mapping) goes to debug, its warnings and errors to warn and error.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.debug({ context }, text(message));
  }
  error(message: unknown, stack?: string, context?: string): void {
    this.logger.error({ context, stack }, text(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, text(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, text(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, text(message));
  }
}
