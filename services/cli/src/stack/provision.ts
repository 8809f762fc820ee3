import { serviceNatsOptions, topologyOf, type SwitchyardConfig } from '@switchyard/config';
import { closeNats, connectNats, provisionTopology } from '@switchyard/messaging';
import type { Logger } from '@switchyard/telemetry';

/**
 * Creates or updates the JetStream streams and model consumers once, before any service
 * starts, so that the gateway can publish and the workers consume from the first moment.
 * Uses the same settings every worker provisions with (so nothing is updated twice).
 */
export async function provisionStack(
  config: SwitchyardConfig,
  servers: string[],
  log: Logger,
): Promise<void> {
  const nc = await connectNats({
    ...serviceNatsOptions(config, 'admin'),
    servers,
    name: 'switchyard-up',
    logger: log,
  });
  try {
    const topology = await provisionTopology(nc, { ...topologyOf(config), logger: log });
    log.info(
      `topology: streams ${Object.values(topology.streams)
        .map((stream) => stream.name)
        .join(', ')}; ${topology.consumers.length} model consumers`,
    );
  } finally {
    await closeNats(nc);
  }
}
