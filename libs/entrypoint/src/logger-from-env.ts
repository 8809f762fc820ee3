import { createLogger, type Logger, type LogLevel } from '@switchyard/telemetry';

/**
 * The logger of a process: level from LOG_LEVEL (default info), pretty lines when standard
 * output is a terminal, JSON otherwise.
 */
export function loggerFromEnv(name: string, env: Record<string, string | undefined>): Logger {
  return createLogger({
    name,
    level: (env['LOG_LEVEL'] as LogLevel | undefined) ?? 'info',
    pretty: process.stdout.isTTY,
  });
}
