import type { StreamKind } from '@switchyard/contracts';
import type { SwitchyardConfig } from './config.types';

/**
 * The longest one provider call may take under a config, in ms: the longest timeout of any
 * deployment, or the router's default timeout when that is longer.
 */
export function longestCallMs(config: SwitchyardConfig): number {
  const timeouts = Object.values(config.models).flatMap((model) =>
    model.deployments.map((deployment) => deployment.timeoutMs),
  );
  return Math.max(config.router.timeoutMs, ...timeouts);
}

/**
 * The jobs consumers' AckWait for a config, in ms: `switchyard.worker.ack_wait_seconds` (30 s
 * by default). It is how long a crashed worker's jobs wait before they are delivered to another
 * worker, so it is short; a live worker sends `working()` every third of it while a call runs,
 * however long the call takes. Every process that provisions the topology from one config uses
 * this same value, or they would keep updating the consumers.
 */
export function jobsAckWaitMs(config: SwitchyardConfig): number {
  return config.switchyard.worker.ackWaitMs;
}

/** What a config says about the JetStream topology (the settings of `provisionTopology`). */
export interface TopologyOfConfig {
  subjectRoot: string;
  streamPrefix: string;
  replicas: number;
  storage: 'file' | 'memory';
  maxBytes: Readonly<Record<StreamKind, number>>;
  jobsMaxMessages: number;
  duplicateWindowMs: number;
  answersMaxAgeMs: number;
  models: string[];
  ackWaitMs: number;
  maxAckPending: number;
  maxAckPendingByModel: Readonly<Record<string, number>>;
}

/**
 * The topology a config asks for: its streams' root, prefix, replicas, storage and max bytes, one
 * consumer per logical model with its `max_in_flight`, and {@link jobsAckWaitMs}. Every process that provisions from
 * one config passes this, so they all ask for the same thing.
 */
export function topologyOf(config: SwitchyardConfig): TopologyOfConfig {
  const { nats } = config.switchyard;
  return {
    subjectRoot: nats.subjectRoot,
    streamPrefix: nats.streamPrefix,
    replicas: nats.replicas,
    storage: nats.storage,
    maxBytes: nats.maxBytes,
    jobsMaxMessages: nats.jobsMaxMessages,
    duplicateWindowMs: nats.duplicateWindowMs,
    answersMaxAgeMs: nats.answersMaxAgeMs,
    models: Object.keys(config.models),
    ackWaitMs: jobsAckWaitMs(config),
    maxAckPending: config.switchyard.worker.maxInFlight,
    maxAckPendingByModel: config.switchyard.worker.maxInFlightByModel,
  };
}
