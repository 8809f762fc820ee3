import type { SwitchyardConfig } from './config.types';

/**
 * The jobs consumers' AckWait for a config, in ms: the longest provider timeout of any
 * deployment (or the router's default timeout) plus `switchyard.worker.ack_wait_margin_seconds`
 * (30 s by default), so that it is longer than any provider call. It is how long a crashed
 * worker's jobs wait before they are delivered to another worker. Every process that provisions
 * the topology from one config must use this same value, or they would keep updating the
 * consumers.
 */
export function jobsAckWaitMs(config: SwitchyardConfig): number {
  const timeouts = Object.values(config.models).flatMap((model) =>
    model.deployments.map((deployment) => deployment.timeoutMs),
  );
  return Math.max(config.router.timeoutMs, ...timeouts) + config.switchyard.worker.ackWaitMarginMs;
}
