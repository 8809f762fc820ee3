import { trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import pretty from 'pino-pretty';
import { redactText, redactValue } from './redact';

export type { Logger } from 'pino';
export type LogLevel = LevelWithSilent;

export interface LoggerOptions {
  /** The service or component name, written as `name` on every line. */
  name: string;
  /** @defaultValue 'info' */
  level?: LogLevel;
  /** Human-readable coloured lines (for a terminal) instead of JSON. @defaultValue false */
  pretty?: boolean;
  /** Where lines go. @defaultValue standard output */
  destination?: DestinationStream;
}

/**
 * The one logger factory of Switchyard. Every line is JSON (or pretty in a terminal), and
 * secrets are removed before a line is written: values under key names such as
 * `authorization`, `api_key` or `password` at any depth, and API keys or bearer credentials
 * inside any string, including the message and errors. A line written while a recording
 * span is active (a job being served, with tracing on) carries its `trace_id` and `span_id`.
 */
export function createLogger(options: LoggerOptions): Logger {
  const destination =
    options.destination ??
    (options.pretty
      ? pretty({ colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' })
      : pino.destination({ sync: false }));
  return pino(
    {
      name: options.name,
      level: options.level ?? 'info',
      base: { pid: process.pid },
      mixin: traceFields,
      formatters: {
        log: (object) => redactValue(object) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const cleaned = args.map((arg) => (typeof arg === 'string' ? redactText(arg) : arg));
          method.apply(this, cleaned as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

/** The active span's ids, for joining a log line to its trace; nothing when no span records. */
function traceFields(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (span === undefined || !span.isRecording()) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}
