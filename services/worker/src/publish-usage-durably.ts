import type { JetStreamClient } from '@nats-io/jetstream';
import type { SwitchyardSubjects, UsageEventInput } from '@switchyard/contracts';
import { InvalidMessageError, publishUsageEvent } from '@switchyard/messaging';
import type { Logger } from '@switchyard/telemetry';

/** How long a usage event is retried before it is given up (and logged as lost). */
export const usageRetryMs = 60_000;
const firstRetryDelayMs = 250;
const maxRetryDelayMs = 2_000;

/**
 * Publishes a usage event and, when the stream does not confirm it (a timeout while a
 * clustered stream elects a new leader, no JetStream for a moment), publishes it again with
 * backoff for up to `retryMs`. The event id is its `Nats-Msg-Id`, so a publish that was stored
 * but not confirmed is stored once. Resolves true once stored; false (after logging an error)
 * for an event that fails the contract or is still unconfirmed after `retryMs`.
 */
export async function publishUsageDurably(
  js: JetStreamClient,
  event: UsageEventInput,
  options: { subjects: SwitchyardSubjects; log: Logger; retryMs?: number },
): Promise<boolean> {
  const giveUpAt = Date.now() + (options.retryMs ?? usageRetryMs);
  for (let attempt = 1; ; attempt++) {
    try {
      await publishUsageEvent(js, event, { subjects: options.subjects });
      return true;
    } catch (error) {
      if (error instanceof InvalidMessageError || Date.now() >= giveUpAt) {
        options.log.error(
          { err: error, usageEventId: event.id, attempt },
          'publishing a usage event failed',
        );
        return false;
      }
      options.log.warn(
        { err: error, usageEventId: event.id, attempt },
        'publishing a usage event failed; retrying',
      );
      const delay = Math.min(firstRetryDelayMs * 2 ** (attempt - 1), maxRetryDelayMs);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
