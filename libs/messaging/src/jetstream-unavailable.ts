import { setTimeout as delay } from 'node:timers/promises';
import { TimeoutError } from '@nats-io/nats-core';
import { JetStreamApiError } from '@nats-io/jetstream';
import type { Logger } from '@switchyard/telemetry';
import { loggerOrDefault } from './default-logger';

/** `err_code`s of a cluster that is electing its leader or waiting for a peer to come up. */
const notYetAvailable = [
  /** JetStream system temporarily unavailable. */
  10008 /** No suitable peers for placement: fewer nodes up than the stream's replicas. */, 10005,
];

/**
 * True for the errors a JetStream API request gets while a cluster elects its meta leader,
 * waits for enough peers to place a replicated stream, or is too busy to answer: a request
 * that timed out, "temporarily unavailable", "no suitable peers for placement". Asking again
 * later is the cure; anything else (JetStream not enabled at all, a conflict, a permission
 * error) is not.
 */
export function isJetStreamUnavailable(error: unknown): boolean {
  return (
    error instanceof TimeoutError ||
    (error instanceof JetStreamApiError && notYetAvailable.includes(error.code))
  );
}

/**
 * Runs `work` (idempotent JetStream set-up), and runs it again with backoff while it fails
 * because JetStream is unavailable ({@link isJetStreamUnavailable}), for up to `forMs`; then
 * the last error is thrown. Each retry is logged as a warning.
 */
export async function retryWhileJetStreamUnavailable<T>(
  work: () => Promise<T>,
  { forMs, logger, what }: { forMs: number; logger?: Logger | undefined; what: string },
): Promise<T> {
  const giveUpAt = Date.now() + forMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isJetStreamUnavailable(error) || Date.now() >= giveUpAt) throw error;
      const retryMs = Math.min(5_000, 250 * 2 ** attempt);
      loggerOrDefault(logger).warn(
        { err: error, retryMs },
        `JetStream is unavailable; ${what} again`,
      );
      await delay(retryMs);
    }
  }
}
