import type {
  DeploymentAttempt,
  ErrorType,
  SwitchyardError as WireError,
} from '@switchyard/contracts';

/**
 * The base of every error a job can fail with, built from the error reply on the wire.
 * `type` says what kind of failure it is, `code` is stable (branch on it), `message` is the
 * provider's own where there is one, `status` the HTTP status the gateway would answer with,
 * `retryable` whether sending the same request again later may succeed, and
 * `deploymentsTried` every deployment that failed the job on the way, across fallbacks.
 */
export class SwitchyardError extends Error {
  override readonly name: string = 'SwitchyardError';
  readonly type: ErrorType;
  readonly code: string;
  readonly status: number;
  readonly retryable: boolean;
  readonly provider: string | undefined;
  readonly param: string | undefined;
  /** The provider's Retry-After, in milliseconds, when it sent one. */
  readonly retryAfterMs: number | undefined;
  readonly deploymentsTried: readonly DeploymentAttempt[];
  /** The job that failed; null when the service could not read the job's id. */
  readonly jobId: string | null;
  /** The error exactly as it arrived. */
  readonly error: WireError;

  constructor(error: WireError, jobId: string | null, options?: ErrorOptions) {
    super(error.message, options);
    this.type = error.type;
    this.code = error.code;
    this.status = error.status;
    this.retryable = error.retryable;
    this.provider = error.provider;
    this.param = error.param;
    this.retryAfterMs = error.retry_after_ms;
    this.deploymentsTried = error.deployments_tried;
    this.jobId = jobId;
    this.error = error;
  }
}

/** The provider refused for rate limiting (429) and the retries and fallbacks ran out. */
export class RateLimitError extends SwitchyardError {
  override readonly name = 'RateLimitError';
}
/** The provider is overloaded (503, 529). */
export class OverloadedError extends SwitchyardError {
  override readonly name = 'OverloadedError';
}
/** The provider failed (5xx), or the service sent something this client cannot read. */
export class ServerError extends SwitchyardError {
  override readonly name = 'ServerError';
}
/** The provider call timed out, or (code `client_timeout`) no answer came in time. */
export class TimeoutError extends SwitchyardError {
  override readonly name = 'TimeoutError';
}
/** The provider could not be reached, or (code `publish_failed`) the job was not queued. */
export class ConnectionError extends SwitchyardError {
  override readonly name = 'ConnectionError';
}
/** The provider refused the credentials. */
export class AuthError extends SwitchyardError {
  override readonly name = 'AuthError';
}
/** The provider refused the request as malformed. */
export class BadRequestError extends SwitchyardError {
  override readonly name = 'BadRequestError';
}
/** The provider does not know the model. */
export class NotFoundError extends SwitchyardError {
  override readonly name = 'NotFoundError';
}
/** The prompt is longer than the model's context window, on every model tried. */
export class ContextWindowExceededError extends SwitchyardError {
  override readonly name = 'ContextWindowExceededError';
}
/** The provider refused the content. */
export class ContentPolicyError extends SwitchyardError {
  override readonly name = 'ContentPolicyError';
}
/** The tenant's budget is spent. */
export class BudgetExceededError extends SwitchyardError {
  override readonly name = 'BudgetExceededError';
}
/** The job was malformed, schema-invalid, or named an unknown model. */
export class InvalidJobError extends SwitchyardError {
  override readonly name = 'InvalidJobError';
}
/** The job's deadline passed before it could be served. */
export class DeadlineExceededError extends SwitchyardError {
  override readonly name = 'DeadlineExceededError';
}

/** The job was cancelled by its caller before it finished; its provider call was aborted. */
export class CancelledError extends SwitchyardError {
  override readonly name = 'CancelledError';
}
/**
 * The job id was already used, as an idempotency key, for another request (code
 * `idempotency_key_reused`), or the earlier job's answer cannot be given again (code
 * `stream_not_replayable`: a stream's text went to its first caller only).
 */
export class ConflictError extends SwitchyardError {
  override readonly name = 'ConflictError';
}
type SwitchyardErrorClass = new (
  error: WireError,
  jobId: string | null,
  options?: ErrorOptions,
) => SwitchyardError;

/** The error class of each error type. */
export const errorClasses: Readonly<Record<ErrorType, SwitchyardErrorClass>> = {
  rate_limit: RateLimitError,
  overloaded: OverloadedError,
  server: ServerError,
  timeout: TimeoutError,
  connection: ConnectionError,
  auth: AuthError,
  bad_request: BadRequestError,
  not_found: NotFoundError,
  context_window_exceeded: ContextWindowExceededError,
  content_policy: ContentPolicyError,
  budget_exceeded: BudgetExceededError,
  invalid_job: InvalidJobError,
  deadline_exceeded: DeadlineExceededError,
  cancelled: CancelledError,
  conflict: ConflictError,
};

/** The typed error for an error that arrived on the wire (or was made by this client). */
export function errorFromWire(
  error: WireError,
  jobId: string | null,
  options?: ErrorOptions,
): SwitchyardError {
  return new errorClasses[error.type](error, jobId, options);
}

/**
 * Thrown when the caller's AbortSignal aborted the call. The job is cancelled: the worker
 * serving it aborts the provider call. `cause` is the signal's reason.
 */
export class AbortError extends Error {
  override readonly name = 'AbortError';
}
