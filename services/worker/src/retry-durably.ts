import type { Logger } from '@switchyard/telemetry';
import { InvalidMessageError } from '@switchyard/messaging';

/** How long a write that must be stored is retried before it counts as failed. */
export const durableRetryMs = 30_000;
const firstRetryDelayMs = 250;
const maxRetryDelayMs = 2_000;

/**
 * Runs `write` (a publish whose storing JetStream confirms) and, while it fails (a timeout
 * while a clustered stream elects a leader, no JetStream for a moment), runs it again with
 * backoff for up to `retryMs`. Every write this is used for is idempotent (a `Nats-Msg-Id`),
 * so a write that was stored but not confirmed is stored once. Resolves true once stored;
 * false, after logging, when it still failed at the end or the message fails its contract
 * (an InvalidMessageError, which no retry can mend). `context` goes into those log lines (it is
 * not made into a child logger up front: most writes never log).
 */
export async function retryDurably(
  what: string,
  write: () => Promise<unknown>,
  options: { log: Logger; context?: Record<string, unknown>; retryMs?: number },
): Promise<boolean> {
  const giveUpAt = Date.now() + (options.retryMs ?? durableRetryMs);
  for (let attempt = 1; ; attempt++) {
    try {
      await write();
      return true;
    } catch (error) {
      if (error instanceof InvalidMessageError || Date.now() >= giveUpAt) {
        options.log.error({ ...options.context, err: error, attempt }, `${what} failed`);
        return false;
      }
      options.log.warn({ ...options.context, err: error, attempt }, `${what} failed; retrying`);
      const delay = Math.min(firstRetryDelayMs * 2 ** (attempt - 1), maxRetryDelayMs);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
