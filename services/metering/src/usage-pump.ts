import type { Consumer, JsMsg } from '@nats-io/jetstream';
import { decodeUsageEvent, type UsageEvent } from '@switchyard/contracts';
import type { Logger } from '@switchyard/telemetry';
import { MessageBatches } from './metering-consumer';
import type { MeteringMetrics } from './metering-metrics';
import type { ApplyOutcome, UsageApplier } from './usage-applier';

/** Options of {@link startUsagePump}. */
export interface UsagePumpOptions {
  consumer: Consumer;
  applier: UsageApplier;
  metrics?: MeteringMetrics;
  logger: Logger;
  /** Events applied per Redis round trip at most. @defaultValue 256 */
  batchSize?: number;
  /**
   * How long a batch that is not full waits for more events before it is applied, in
   * milliseconds: the aggregates lag by at most this much. @defaultValue 20
   */
  lingerMs?: number;
  /** Delay before events whose apply failed (Redis down) are delivered again. @defaultValue 2_000 */
  retryDelayMs?: number;
  /** Called after each batch is settled, with what each event did (for tests and benchmarks). */
  onSettled?: (outcomes: (ApplyOutcome | 'invalid')[]) => void;
}

/** The running consume-and-apply loop. */
export interface UsagePump {
  /** Stops pulling, settles the events already taken, waits at most `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Pulls usage events and applies them in batches: each batch is one script in one round trip
 * (see usage-applier), and each message is acked only after the script returned, so an event
 * is never acked uncommitted. An event that fails the contract is logged and terminated (never
 * retried); when Redis fails, the batch is nak'd with a delay.
 */
export async function startUsagePump(options: UsagePumpOptions): Promise<UsagePump> {
  const { applier, metrics, logger } = options;
  const batchSize = options.batchSize ?? 256;
  const lingerMs = options.lingerMs ?? 20;
  const retryDelayMs = options.retryDelayMs ?? 2_000;
  const messages = await options.consumer.consume({ max_messages: 1_024 });
  const batches = new MessageBatches();

  const settle = async (batch: JsMsg[]): Promise<void> => {
    const valid: { msg: JsMsg; event: UsageEvent }[] = [];
    const outcomes: (ApplyOutcome | 'invalid')[] = [];
    for (const msg of batch) {
      const decoded = decodeUsageEvent(msg.data);
      if (decoded.ok) {
        valid.push({ msg, event: decoded.event });
        continue;
      }
      logger.warn(
        { seq: msg.seq, error: decoded.error.message },
        'invalid usage event terminated (never retried)',
      );
      msg.term();
      metrics?.settled('invalid');
      outcomes.push('invalid');
    }
    try {
      const applied = await applier.apply(valid.map((entry) => entry.event));
      valid.forEach(({ msg, event }, i) => {
        const outcome = applied[i] ?? 'duplicate';
        msg.ack();
        metrics?.settled(outcome, event);
        outcomes.push(outcome);
      });
    } catch (error) {
      logger.error(
        { err: error, events: valid.length },
        'applying usage events failed; will retry',
      );
      for (const { msg } of valid) msg.nak(retryDelayMs);
    }
    options.onSettled?.(outcomes);
  };

  const feed = (async () => {
    for await (const msg of messages) batches.push(msg);
  })()
    .catch((error: unknown) => logger.error({ err: error }, 'usage consume loop failed'))
    .finally(() => batches.close());
  const apply = (async () => {
    for (;;) {
      const batch = await batches.take(batchSize, lingerMs);
      if (batch.length === 0) return;
      await settle(batch);
    }
  })();

  return {
    async stop(graceMs = 5_000) {
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      });
      await Promise.race([messages.close().then(() => Promise.all([feed, apply])), graceOver]);
      clearTimeout(timer);
    },
  };
}
