import type { SwitchyardConfig } from '@switchyard/config';
import type { Logger } from '@switchyard/telemetry';
import { checkJetStream, checkRedis } from './check-connections';
import { ensureServer } from './ensure-server';
import type { Stack } from './stack';

/** The servers the stack uses. */
export interface StackServers {
  /** NATS servers: the first answered or was started; the rest come from the config. */
  nats: string[];
  redis: string;
}

/**
 * Makes sure NATS (with JetStream) and Redis are there — the configured ones when they
 * answer, else started (PATH, then Docker) and handed to `stack` to stop last — and proves
 * both answer.
 */
export async function startServers(
  config: SwitchyardConfig,
  dataDir: string,
  stack: Stack,
  log: Logger,
): Promise<StackServers> {
  const configured = config.switchyard.nats.servers;
  const nats = await ensureServer('nats', configured[0] ?? '', dataDir, log);
  if (nats.started !== undefined) stack.addServer(nats.started);
  const redis = await ensureServer('redis', config.switchyard.redis.url, dataDir, log);
  if (redis.started !== undefined) stack.addServer(redis.started);
  const servers = [nats.url, ...configured.slice(1)];
  const natsVersion = await checkJetStream(servers);
  const redisVersion = await checkRedis(redis.url, config.switchyard.redis);
  log.info(
    `nats-server ${natsVersion} with JetStream at ${nats.url}, redis ${redisVersion} at ${redis.url}`,
  );
  return { nats: servers, redis: redis.url };
}
