import { createLogger, type Logger } from '@switchyard/telemetry';

let fallback: Logger | undefined;

/** The logger used when a caller passes none: one `messaging` logger per process. */
export function loggerOrDefault(logger: Logger | undefined): Logger {
  if (logger !== undefined) return logger;
  fallback ??= createLogger({ name: 'messaging' });
  return fallback;
}
