import { ConfigError } from '@switchyard/config';
import { startTracing } from '@switchyard/telemetry';
import { UserError } from './user-error';

/** What a fatal error prints: the message alone when it is the user's to fix, else the stack. */
export function describeFatalError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error instanceof UserError || error instanceof ConfigError) return error.message;
  return error.stack ?? error.message;
}

/**
 * Runs a process's `main` and sets the exit code: what `main` returns (0 when it returns
 * nothing), or 1 after printing `<name>: <error>` to standard error when it throws. Traces
 * are exported around it when the OTEL_* variables ask for them (startTracing), and flushed
 * before the process ends.
 */
export function runMain(name: string, main: () => Promise<number | void>): void {
  const run = async (): Promise<number> => {
    const serviceName = name.startsWith('switchyard') ? name : `switchyard-${name}`;
    const tracing = await startTracing(serviceName, process.env);
    try {
      return (await main()) ?? 0;
    } finally {
      await tracing.shutdown();
    }
  };
  run().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${name}: ${describeFatalError(error)}\n`);
      process.exitCode = 1;
    },
  );
}
