import { AckPolicy, DeliverPolicy, ReplayPolicy } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import type { SwitchyardSubjects } from '@switchyard/contracts';
import type { ManagedConsumerConfig } from '@switchyard/messaging';

/** The durable name of the fallback router's consumer on the dead-letter stream. */
export const ROUTER_CONSUMER_NAME = 'fallback-router';

/**
 * The router's durable consumer on LLM_DLQ: every dead letter of every tenant and model,
 * shared by all router replicas (each dead letter goes to one of them). It starts at the
 * first stored dead letter, so dead letters written before the first router started are
 * handled too; the stream keeps them afterwards for inspection and replay.
 */
export function routerConsumerConfig(
  subjects: SwitchyardSubjects,
  ackWaitMs = 30_000,
): ManagedConsumerConfig {
  return {
    durable_name: ROUTER_CONSUMER_NAME,
    description: 'Switchyard fallback router: moves dead-lettered jobs to their next model',
    filter_subject: subjects.streamSubjects.dlq,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    replay_policy: ReplayPolicy.Instant,
    ack_wait: nanos(ackWaitMs),
    max_deliver: -1,
    max_ack_pending: 1_000,
  };
}
