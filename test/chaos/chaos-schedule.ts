import type { ServiceName } from '../processes/service-process.test-support';

/** The processes the schedule kills: the two worker pools have names of their own. */
export type ChaosServiceName = 'worker-a' | 'worker-b' | Exclude<ServiceName, 'worker'>;

/** One fault of the chaos run, `at` a fraction of the time the jobs take to arrive. */
export type ChaosFault = { at: number; label: string } & (
  | { kind: 'service'; name: ChaosServiceName }
  | { kind: 'nats-node'; downMs: number }
  | { kind: 'redis'; downMs: number }
);

/**
 * What goes wrong, in order, while the jobs arrive: kill -9 of each service (started again at
 * once, as its supervisor would), of the NATS node the callers are connected to (back after
 * 5 s), and of Redis (back after 1 s, empty).
 */
export const chaosSchedule: readonly ChaosFault[] = [
  { at: 0.1, kind: 'service', name: 'worker-a', label: 'kill -9 worker a, restarted' },
  { at: 0.22, kind: 'service', name: 'metering', label: 'kill -9 metering, restarted' },
  { at: 0.34, kind: 'service', name: 'fallback', label: 'kill -9 fallback router, restarted' },
  { at: 0.46, kind: 'nats-node', downMs: 5_000, label: 'kill -9 NATS node n3, back after 5 s' },
  { at: 0.62, kind: 'redis', downMs: 1_000, label: 'kill -9 Redis, back empty after 1 s' },
  { at: 0.76, kind: 'service', name: 'gateway', label: 'kill -9 gateway, restarted' },
  { at: 0.88, kind: 'service', name: 'worker-b', label: 'kill -9 worker b, restarted' },
];
