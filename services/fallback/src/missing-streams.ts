import type { JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import type { NatsSettings } from '@switchyard/config';
import { ensureStream, planTopology, serverSupports } from '@switchyard/messaging';
import type { Logger } from '@switchyard/telemetry';

/**
 * Creates the Switchyard streams that do not exist yet (the router reads dead letters and
 * publishes jobs and batch replies), so the router can start before any worker. Streams that
 * exist are left exactly as they are: the workers' provisioning owns their settings, and the
 * router must not fight it over them.
 */
export async function createMissingStreams(
  nc: NatsConnection,
  jsm: JetStreamManager,
  nats: NatsSettings,
  logger: Logger,
): Promise<string[]> {
  const plan = planTopology(
    {
      models: [],
      ackWaitMs: 1,
      subjectRoot: nats.subjectRoot,
      streamPrefix: nats.streamPrefix,
      replicas: nats.replicas,
      storage: nats.storage,
    },
    { metadata: serverSupports(nc, 'metadata') },
  );
  const created: string[] = [];
  for (const { config } of plan.streams) {
    const exists = await jsm.streams.info(config.name).then(
      () => true,
      () => false,
    );
    if (exists) continue;
    if ((await ensureStream(jsm, config, { logger })) === 'created') created.push(config.name);
  }
  return created;
}
