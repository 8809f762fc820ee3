import type { Writable } from 'node:stream';

/** What every `switchyard` command is given: its own arguments and the process's surroundings. */
export interface CliContext {
  /** The arguments after the command's name (`batch run a.jsonl -o b.jsonl` → `['run', 'a.jsonl', '-o', 'b.jsonl']`). */
  argv: string[];
  env: Record<string, string | undefined>;
  out: Writable;
  err: Writable;
}

/**
 * One `switchyard` command. `run` returns the exit code: 0 done, 1 failed (the output says
 * why), 2 the command line was wrong. It throws UserError for a failure to print without a
 * stack trace.
 */
export interface CliCommand {
  name: string;
  /** The help lines of the command, as shown by `switchyard --help`. */
  usage: string;
  run(context: CliContext): Promise<number>;
}
