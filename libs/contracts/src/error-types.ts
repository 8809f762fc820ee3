/**
 * Every error a caller can see has one of these types. The provider layer classifies each
 * failure once; the worker maps `retryable` to nak(delay) and the rest to the dead-letter
 * subject. `status` is the HTTP status the gateway answers with (`cancelled`: 499, nginx's
 * "client closed request", since the caller that cancelled is no longer there to read it).
 */
export const ErrorTypes = {
  rate_limit: { retryable: true, status: 429 },
  overloaded: { retryable: true, status: 503 },
  server: { retryable: true, status: 502 },
  timeout: { retryable: true, status: 504 },
  connection: { retryable: true, status: 502 },
  auth: { retryable: false, status: 401 },
  bad_request: { retryable: false, status: 400 },
  not_found: { retryable: false, status: 404 },
  context_window_exceeded: { retryable: false, status: 400 },
  content_policy: { retryable: false, status: 400 },
  budget_exceeded: { retryable: false, status: 429 },
  invalid_job: { retryable: false, status: 400 },
  deadline_exceeded: { retryable: false, status: 408 },
  cancelled: { retryable: false, status: 499 },
} as const satisfies Record<string, { retryable: boolean; status: number }>;

export type ErrorType = keyof typeof ErrorTypes;

export const errorTypeNames = Object.keys(ErrorTypes) as [ErrorType, ...ErrorType[]];

/** Whether a failure of this type may succeed if the same request is sent again later. */
export function isRetryable(type: ErrorType): boolean {
  return ErrorTypes[type].retryable;
}
