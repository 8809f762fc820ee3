/**
 * Every error a caller can see has one of these types, and this table is the one place that
 * says what each type means to the services. The provider layer classifies each failure once;
 * then:
 * - `retryable`: the same request may succeed later, so the worker retries it on the same
 *   model (nak with a delay) while the model's retry budget lasts;
 * - `coolsDown`: the failure says something about the deployment itself (it limits us, is
 *   busy or broken, does not answer, or is misconfigured: LiteLLM cools down on 401 and 404
 *   too), so it counts towards that deployment's cooldown; failures caused by the request or
 *   the job would happen on any deployment and never count;
 * - `fallsBack`: another model may cure it, so a dead-lettered job moves on to a fallback;
 *   no model cures an invalid job, a passed deadline, a spent budget (another model costs
 *   money too) or a cancellation. bad_request does fall back: one provider's translation of
 *   the request (a parameter it does not take) often works on another;
 * - `status`: the HTTP status the gateway answers with (`cancelled`: 499, nginx's "client
 *   closed request", since the caller that cancelled is no longer there to read it;
 *   `conflict`: 409, a job id reused as an idempotency key with another request).
 */
export const ErrorTypes = {
  rate_limit: { retryable: true, coolsDown: true, fallsBack: true, status: 429 },
  overloaded: { retryable: true, coolsDown: true, fallsBack: true, status: 503 },
  server: { retryable: true, coolsDown: true, fallsBack: true, status: 502 },
  timeout: { retryable: true, coolsDown: true, fallsBack: true, status: 504 },
  connection: { retryable: true, coolsDown: true, fallsBack: true, status: 502 },
  auth: { retryable: false, coolsDown: true, fallsBack: true, status: 401 },
  bad_request: { retryable: false, coolsDown: false, fallsBack: true, status: 400 },
  not_found: { retryable: false, coolsDown: true, fallsBack: true, status: 404 },
  context_window_exceeded: { retryable: false, coolsDown: false, fallsBack: true, status: 400 },
  content_policy: { retryable: false, coolsDown: false, fallsBack: true, status: 400 },
  budget_exceeded: { retryable: false, coolsDown: false, fallsBack: false, status: 429 },
  invalid_job: { retryable: false, coolsDown: false, fallsBack: false, status: 400 },
  deadline_exceeded: { retryable: false, coolsDown: false, fallsBack: false, status: 408 },
  cancelled: { retryable: false, coolsDown: false, fallsBack: false, status: 499 },
  conflict: { retryable: false, coolsDown: false, fallsBack: false, status: 409 },
} as const satisfies Record<
  string,
  { retryable: boolean; coolsDown: boolean; fallsBack: boolean; status: number }
>;

export type ErrorType = keyof typeof ErrorTypes;

export const errorTypeNames = Object.keys(ErrorTypes) as [ErrorType, ...ErrorType[]];

/** Whether a failure of this type may succeed if the same request is sent again later. */
export function isRetryable(type: ErrorType): boolean {
  return ErrorTypes[type].retryable;
}

/** The error types that count towards a deployment's cooldown. */
export type CooldownFailureType = {
  [T in ErrorType]: (typeof ErrorTypes)[T]['coolsDown'] extends true ? T : never;
}[ErrorType];

/** Whether a failure of this type counts towards the deployment's cooldown. */
export function countsTowardsCooldown(type: ErrorType): type is CooldownFailureType {
  return ErrorTypes[type].coolsDown;
}

/** Whether another model may cure a failure of this type (a dead letter falls back). */
export function mayFallBack(type: ErrorType): boolean {
  return ErrorTypes[type].fallsBack;
}
