import type { NatsConnection } from '@nats-io/nats-core';
import {
  ConfigError,
  loadConfig,
  serviceNatsOptions,
  type SwitchyardConfig,
} from '@switchyard/config';
import { UserError, connectRedis } from '@switchyard/entrypoint';
import { closeNats, connectNats } from '@switchyard/messaging';
import { createLogger } from '@switchyard/telemetry';
import type { Redis } from 'ioredis';
import { resolveConfigSource } from './config-source';

/**
 * The config of a command that talks to a running installation: `--config`, else
 * ./config.yaml, else the demo config. A config with errors is a UserError listing them.
 */
export async function loadCliConfig(
  configPath: string | undefined,
  env: Record<string, string | undefined>,
): Promise<SwitchyardConfig> {
  const source = resolveConfigSource(configPath);
  try {
    return (await loadConfig(source.path, { env })).config;
  } catch (error) {
    if (error instanceof ConfigError) throw new UserError(error.message);
    throw error;
  }
}

/** Connection problems only (the CLI's output is its own; logs would garble tables). */
const cliLogger = createLogger({ name: 'switchyard', level: 'error' });

/**
 * Runs `use` with a NATS connection to the installation's servers, closed afterwards. An
 * unreachable NATS is a UserError naming the servers.
 */
export async function withNats<T>(
  config: SwitchyardConfig,
  name: string,
  use: (nc: NatsConnection) => Promise<T>,
): Promise<T> {
  const { servers } = config.switchyard.nats;
  let nc: NatsConnection;
  try {
    nc = await connectNats({
      ...serviceNatsOptions(config, 'admin'),
      name,
      timeoutMs: 5_000,
      logger: cliLogger,
    });
  } catch (error) {
    const where = servers.map(withoutCredentials).join(', ');
    throw new UserError(`cannot reach NATS at ${where}: ${messageOf(error)}`);
  }
  try {
    return await use(nc);
  } finally {
    await closeNats(nc, { timeoutMs: 2_000 });
  }
}

/**
 * Runs `use` with a Redis connection to the installation's Redis, closed afterwards. An
 * unreachable Redis is a UserError naming the URL (without credentials).
 */
export async function withRedis<T>(
  config: SwitchyardConfig,
  use: (redis: Redis) => Promise<T>,
): Promise<T> {
  const url = config.switchyard.redis.url;
  let redis: Redis;
  try {
    redis = await connectRedis(url, config.switchyard.redis, { reconnect: false });
  } catch (error) {
    throw new UserError(`cannot reach Redis at ${withoutCredentials(url)}: ${messageOf(error)}`);
  }
  try {
    return await use(redis);
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}

/** A server URL without its user and password (`nats://u:p@h:4222` → `nats://h:4222`). */
function withoutCredentials(url: string): string {
  const at = url.lastIndexOf('@');
  if (at === -1) return url;
  const scheme = url.indexOf('://');
  return scheme === -1 || scheme > at
    ? url.slice(at + 1)
    : `${url.slice(0, scheme + 3)}${url.slice(at + 1)}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
