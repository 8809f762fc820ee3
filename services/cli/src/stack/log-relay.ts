import type { Writable } from 'node:stream';
import { prettyFactory } from 'pino-pretty';

/** Merges the log lines of the stack's processes into one output. */
export interface LogRelay {
  /** One line a service wrote: a pino JSON line, or plain text (wrapped into one). */
  line(service: string, text: string, stream: 'stdout' | 'stderr'): void;
}

const levels = { info: 30, error: 50 } as const;

/**
 * Lines go to `out` as JSON lines (each naming its service in `name`), or, with `pretty`,
 * as pino-pretty's coloured lines, `(worker-anthropic)` naming the service.
 */
export function createLogRelay(options: { pretty: boolean; out: Writable }): LogRelay {
  const format = options.pretty
    ? prettyFactory({ colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' })
    : undefined;
  return {
    line(service, text, stream) {
      if (text.trim() === '') return;
      let entry = parseObject(text);
      if (entry === undefined) {
        entry = {
          level: stream === 'stderr' ? levels.error : levels.info,
          time: Date.now(),
          name: service,
          msg: text,
        };
      } else if (typeof entry['name'] !== 'string') {
        entry = { ...entry, name: service };
      }
      options.out.write(format === undefined ? `${JSON.stringify(entry)}\n` : format(entry));
    },
  };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
