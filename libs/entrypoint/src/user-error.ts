/** A failure the user can act on: its message says everything, so no stack trace is printed. */
export class UserError extends Error {
  override readonly name: string = 'UserError';
}
