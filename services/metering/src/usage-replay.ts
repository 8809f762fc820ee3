import { DeliverPolicy, type JetStreamClient } from '@nats-io/jetstream';
import { decodeUsageEvent, type UsageEvent } from '@switchyard/contracts';
import type { Logger } from '@switchyard/telemetry';

/** Options of {@link replayUsage}. */
export interface ReplayOptions {
  js: JetStreamClient;
  /** The usage stream (LLM_USAGE, with the installation's prefix). */
  stream: string;
  /** Replays up to this stream sequence (the last one when the rebuild started). */
  target: number;
  /** Applies a batch of events; a rejection is retried after `retryDelayMs`. */
  apply: (events: readonly UsageEvent[]) => Promise<void>;
  /** After each batch, with the number of messages replayed; false stops the replay. */
  progress: (replayed: number) => Promise<boolean>;
  /** Aborted when metering stops. */
  signal: AbortSignal;
  logger: Logger;
  /** @defaultValue 256 */
  batchSize?: number;
  /** @defaultValue 1_000 */
  retryDelayMs?: number;
}

/** How a replay ended. */
export type ReplayEnd = 'done' | 'stopped' | 'interrupted';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reads the usage stream from its first event up to `target` with an ordered consumer (an
 * ephemeral one: no durable state, nothing acked) and applies it in batches: 'done' when
 * `target` (or the end of the stream) was reached, 'interrupted' when `progress` said to stop,
 * 'stopped' when `signal` aborted. Events that fail the contract are skipped, as the live
 * consumer terminates them. Applying an event twice must be harmless (it is: metering and the
 * budget ledger count each event id once).
 */
export async function replayUsage(options: ReplayOptions): Promise<ReplayEnd> {
  const { js, stream, target, signal, logger } = options;
  const batchSize = options.batchSize ?? 256;
  const retryDelayMs = options.retryDelayMs ?? 1_000;
  if (target === 0) return 'done';
  const consumer = await js.consumers.get(stream, { deliver_policy: DeliverPolicy.All });
  let replayed = 0;
  try {
    for (;;) {
      if (signal.aborted) return 'stopped';
      const messages = await consumer.fetch({ max_messages: batchSize, expires: 2_000 });
      const events: UsageEvent[] = [];
      let received = 0;
      let reachedEnd = false;
      for await (const msg of messages) {
        received += 1;
        const decoded = decodeUsageEvent(msg.data);
        if (decoded.ok) events.push(decoded.event);
        if (msg.seq >= target || msg.info.pending === 0) reachedEnd = true;
      }
      if (received === 0) return 'done';
      for (;;) {
        try {
          await options.apply(events);
          replayed += received;
          if (!(await options.progress(replayed))) return 'interrupted';
          break;
        } catch (error) {
          logger.error({ err: error, replayed }, 'replaying usage events failed; will retry');
          if (signal.aborted) return 'stopped';
          await sleep(retryDelayMs);
        }
      }
      if (reachedEnd) return 'done';
    }
  } finally {
    await consumer.delete().catch(() => undefined);
  }
}
