import { makeError, type ErrorType, type SwitchyardError } from '@switchyard/contracts';

export interface ProviderErrorDetails {
  /** The provider that failed, e.g. `anthropic`. */
  provider: string;
  /** The HTTP status the provider answered with, when it answered. */
  providerStatus?: number;
  /** How long to wait before retrying, from Retry-After or rate-limit reset headers. */
  retryAfterMs?: number;
  /** The request parameter at fault, for bad_request errors. */
  param?: string;
  cause?: unknown;
}

/**
 * A provider failure, classified once: `type` says whether to retry (see ErrorTypes) and
 * `code` is stable (e.g. `rate_limit_exceeded`, `context_length_exceeded`). `message` is the
 * provider's own message where it sent one.
 */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  readonly provider: string;
  readonly providerStatus?: number;
  readonly retryAfterMs?: number;
  readonly param?: string;

  constructor(
    readonly type: ErrorType,
    readonly code: string,
    message: string,
    details: ProviderErrorDetails,
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.provider = details.provider;
    if (details.providerStatus !== undefined) this.providerStatus = details.providerStatus;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
    if (details.param !== undefined) this.param = details.param;
  }

  /** The error as it goes on the wire (type, code, status and retryable from the table). */
  toWire(): SwitchyardError {
    return makeError(this.type, this.code, this.message, {
      provider: this.provider,
      ...(this.param === undefined ? {} : { param: this.param }),
      ...(this.retryAfterMs === undefined ? {} : { retry_after_ms: this.retryAfterMs }),
    });
  }
}
