import type { JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import type { NatsSettings } from '@switchyard/config';
import { ensureStream, planTopology, serverSupports } from '@switchyard/messaging';
import type { Logger } from '@switchyard/telemetry';

/**
 * Creates the usage stream when it does not exist yet, so metering can start before any
 * worker; an existing stream is left exactly as it is (the workers' provisioning owns its
 * settings). Returns its name.
 */
export async function ensureUsageStream(
  nc: NatsConnection,
  jsm: JetStreamManager,
  nats: NatsSettings,
  logger: Logger,
): Promise<string> {
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
  const usage = plan.streams.find((stream) => stream.kind === 'usage');
  if (usage === undefined) throw new Error('the topology plan has no usage stream');
  const exists = await jsm.streams.info(usage.config.name).then(
    () => true,
    () => false,
  );
  if (!exists) await ensureStream(jsm, usage.config, { logger });
  return usage.config.name;
}
