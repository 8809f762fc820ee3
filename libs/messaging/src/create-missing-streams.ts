import type { JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import type { Logger } from '@switchyard/telemetry';
import { ensureStream, streamInfoOrNull } from './ensure-stream';
import { retryWhileJetStreamUnavailable } from './jetstream-unavailable';
import { planCapabilities } from './server-version';
import { planTopology, type TopologySettings } from './topology-plan';

/** Where and how the streams are kept: the installation's `switchyard.nats` settings. */
export type StreamSettings = Pick<
  TopologySettings,
  'subjectRoot' | 'streamPrefix' | 'replicas' | 'storage' | 'maxBytes' | 'jobsMaxMessages'
>;

/**
 * Creates the Switchyard streams that do not exist yet, so a service that reads or writes
 * them (the fallback router, metering) can start before any worker. Streams that exist are
 * left exactly as they are: the workers' provisioning (provisionTopology) owns their settings.
 * Returns the names of the streams it created. Waits, like provisionTopology, while JetStream
 * is unavailable (a cluster electing its leader) for up to a minute.
 */
export async function createMissingStreams(
  nc: NatsConnection,
  jsm: JetStreamManager,
  settings: StreamSettings,
  logger: Logger,
): Promise<string[]> {
  const plan = planTopology({ ...settings, models: [], ackWaitMs: 1 }, planCapabilities(nc));
  const created: string[] = [];
  const createMissing = async () => {
    for (const { config } of plan.streams) {
      if (created.includes(config.name) || (await streamInfoOrNull(jsm, config.name)) !== null)
        continue;
      if ((await ensureStream(jsm, config, { logger })) === 'created') created.push(config.name);
    }
    return created;
  };
  return retryWhileJetStreamUnavailable(createMissing, {
    forMs: 60_000,
    logger,
    what: 'creating the streams',
  });
}
