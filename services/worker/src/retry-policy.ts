import type { Deployment, RouterSettings } from '@switchyard/config';
import type { ErrorType } from '@switchyard/contracts';

/** Exponential backoff settings: the n-th retry waits a random time in [0, min(cap, base·2ⁿ⁻¹)]. */
export const BackoffDefaults = {
  baseMs: 500,
  capMs: 30_000,
} as const;

/**
 * How many times a failure of `type` on `deployment` may be retried on the same model:
 * `router.retryPolicy[type]` when set, else the deployment's `maxRetries`.
 */
export function retryBudget(
  deployment: Deployment,
  type: ErrorType,
  router: Pick<RouterSettings, 'retryPolicy'>,
): number {
  return router.retryPolicy[type] ?? deployment.maxRetries;
}

/**
 * The delay before retry number `retry` (1 for the first retry): the provider's Retry-After
 * when it sent one, else exponential backoff with full jitter — uniform in
 * [0, min(capMs, baseMs · 2^(retry−1))] (AWS's "full jitter", which spreads retries of a
 * burst of failures instead of sending them back together).
 */
export function retryDelayMs(
  retry: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
  backoff: { baseMs: number; capMs: number } = BackoffDefaults,
): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0) return Math.ceil(retryAfterMs);
  const ceiling = Math.min(backoff.capMs, backoff.baseMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}
