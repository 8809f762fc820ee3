import type { RedisSettings } from '@switchyard/config';
import type { Logger } from '@switchyard/telemetry';
import type { Redis, RedisOptions } from 'ioredis';

/** How long connecting to Redis may take before it fails. */
export const redisConnectTimeoutMs = 5_000;

/** Options of {@link connectRedis}. */
export interface ConnectRedisOptions {
  /**
   * Where connection errors go (ioredis reconnects by itself and emits one per failed
   * attempt); absent: they are dropped, the failing commands still reject.
   */
  logger?: Logger;
  /** Reconnect after the connection drops (a one-shot command line does not). @defaultValue true */
  reconnect?: boolean;
}

/**
 * The options every Redis client of Switchyard gets: a command fails after
 * `switchyard.redis.command_timeout` (so a Redis that stops answering fails calls instead of
 * hanging them, also while disconnected), waits for at most one reconnection, and connecting
 * gives up after 5 s.
 */
export function redisOptions(
  settings: Pick<RedisSettings, 'commandTimeoutMs'>,
  options: Pick<ConnectRedisOptions, 'reconnect'> = {},
): RedisOptions {
  return {
    commandTimeout: settings.commandTimeoutMs,
    maxRetriesPerRequest: 1,
    connectTimeout: redisConnectTimeoutMs,
    lazyConnect: true,
    ...(options.reconnect === false ? { retryStrategy: () => null } : {}),
  };
}

/**
 * Connects to the Redis at `url` (`switchyard.redis.url`, or the cache's own) with
 * {@link redisOptions} and resolves once it is ready; rejects (leaving nothing open) when it
 * cannot connect. The caller disconnects it.
 */
export async function connectRedis(
  url: string,
  settings: Pick<RedisSettings, 'commandTimeoutMs'>,
  options: ConnectRedisOptions = {},
): Promise<Redis> {
  // Loaded here, not at the top: a command line that never reaches Redis does not load it.
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, redisOptions(settings, options));
  const { logger } = options;
  redis.on('error', (error: unknown) => logger?.warn({ err: error }, 'redis connection error'));
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  return redis;
}
