import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import type { RedisSettings } from '@switchyard/config';
import { UserError, connectRedis } from '@switchyard/entrypoint';

/** Connects to NATS and proves JetStream is enabled there; returns the server's version. */
export async function checkJetStream(servers: string[]): Promise<string> {
  const nc = await connect({ servers, name: 'switchyard-up', timeout: 5_000 });
  try {
    const jsm = await jetstreamManager(nc, { timeout: 5_000 });
    await jsm.getAccountInfo();
    return nc.info?.version ?? 'unknown';
  } catch (error) {
    throw new UserError(
      `NATS at ${servers.join(', ')} answers but JetStream is not available there ` +
        `(start nats-server with -js): ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  } finally {
    await nc.close();
  }
}

/** Connects to Redis and proves it answers PING; returns the server's version. */
export async function checkRedis(
  url: string,
  settings: Pick<RedisSettings, 'commandTimeoutMs'>,
): Promise<string> {
  const redis = await connectRedis(url, settings, { reconnect: false });
  try {
    await redis.ping();
    const info = await redis.info('server');
    return /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
  } finally {
    redis.disconnect();
  }
}
