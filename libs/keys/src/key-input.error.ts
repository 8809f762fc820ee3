/**
 * A create or revoke request the store refuses: an invalid tenant, alias, model list, rpm or
 * budget, or an alias a live key already holds. The message says which field and why.
 */
export class KeyInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyInputError';
  }
}
