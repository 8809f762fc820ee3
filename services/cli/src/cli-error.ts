/** A failure the user can act on: the CLI prints its message alone, without a stack trace. */
export class CliError extends Error {
  override readonly name = 'CliError';
}
