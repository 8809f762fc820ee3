import { AckPolicy, DeliverPolicy, ReplayPolicy, type JsMsg } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import type { SwitchyardSubjects } from '@switchyard/contracts';
import type { ManagedConsumerConfig } from '@switchyard/messaging';

/** The durable name of metering's consumer on the usage stream, shared by all replicas. */
export const METERING_CONSUMER_NAME = 'metering';

/** Settings of the metering consumer. */
export const MeteringConsumerDefaults = {
  /** A delivered event not acked within this is delivered again (to any replica). */
  ackWaitMs: 30_000,
  /** Events delivered and not yet acked, across replicas: bounds each replica's buffer. */
  maxAckPending: 4_096,
} as const;

/**
 * Metering's durable pull consumer on LLM_USAGE: every usage event of every tenant and
 * model, explicit ack, from the first stored event (so events published before metering
 * first started are counted). Replicas share it: each event goes to one of them at a time,
 * and one that dies unacked is redelivered to another after AckWait (`ackWaitMs`; every
 * replica should use the same, the last to start sets it).
 */
export function meteringConsumerConfig(
  subjects: SwitchyardSubjects,
  ackWaitMs: number = MeteringConsumerDefaults.ackWaitMs,
): ManagedConsumerConfig {
  return {
    durable_name: METERING_CONSUMER_NAME,
    description: 'Switchyard metering: usage events aggregated exactly once in Redis',
    filter_subject: subjects.streamSubjects.usage,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    replay_policy: ReplayPolicy.Instant,
    ack_wait: nanos(ackWaitMs),
    max_deliver: -1,
    max_ack_pending: MeteringConsumerDefaults.maxAckPending,
  };
}

/**
 * Messages handed over one by one, taken out in batches: the consume loop pushes, the apply
 * loop takes whatever is waiting (up to `max`), first waiting for the next push when nothing
 * is, and then up to `lingerMs` more for the batch to fill.
 */
export class MessageBatches {
  private readonly waiting: JsMsg[] = [];
  private wake: (() => void) | undefined;
  private wakeAt = 1;
  private closed = false;

  push(msg: JsMsg): void {
    this.waiting.push(msg);
    if (this.waiting.length >= this.wakeAt) this.wake?.();
  }

  close(): void {
    this.closed = true;
    this.wake?.();
  }

  /**
   * The next batch; an empty one once closed and drained. Once a message is waiting, waits up
   * to `lingerMs` for `max` of them: events taken a few at a time cost Redis and this process
   * more per event than full batches (docs/benchmarks.md, "Metering: one script per batch").
   */
  async take(max: number, lingerMs = 0): Promise<JsMsg[]> {
    await this.waitFor(1);
    if (lingerMs > 0 && this.waiting.length < max && !this.closed) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.waitFor(max),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, lingerMs))),
      ]);
      clearTimeout(timer);
    }
    this.wake = undefined;
    this.wakeAt = 1;
    return this.waiting.splice(0, max);
  }

  /** Resolves once `count` messages are waiting, or when closed. */
  private async waitFor(count: number): Promise<void> {
    this.wakeAt = count;
    while (this.waiting.length < count && !this.closed) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }
}
