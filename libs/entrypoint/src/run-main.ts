import { ConfigError } from '@switchyard/config';
import { UserError } from './user-error';

/** What a fatal error prints: the message alone when it is the user's to fix, else the stack. */
export function describeFatalError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error instanceof UserError || error instanceof ConfigError) return error.message;
  return error.stack ?? error.message;
}

/**
 * Runs a process's `main` and sets the exit code: what `main` returns (0 when it returns
 * nothing), or 1 after printing `<name>: <error>` to standard error when it throws.
 */
export function runMain(name: string, main: () => Promise<number | void>): void {
  main().then(
    (code) => {
      process.exitCode = code ?? 0;
    },
    (error: unknown) => {
      process.stderr.write(`${name}: ${describeFatalError(error)}\n`);
      process.exitCode = 1;
    },
  );
}
