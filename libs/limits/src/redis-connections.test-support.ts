import { Redis } from 'ioredis';
import { startTestRedis, type TestServer } from '@switchyard/testing';

/** A Redis server for one suite and the connections opened on it, closed together. */
export interface RedisHarness {
  readonly server: TestServer;
  /** Opens another connection, as another worker replica would have. */
  connect(): Redis;
  /** Every key of the server that starts with `prefix`. */
  keys(prefix: string): Promise<string[]>;
  close(): Promise<void>;
}

/** Starts a Redis server for a suite. */
export async function startRedisHarness(): Promise<RedisHarness> {
  const server = await startTestRedis();
  const connections: Redis[] = [];
  const connect = () => {
    const redis = new Redis(server.url, { lazyConnect: false, maxRetriesPerRequest: 1 });
    connections.push(redis);
    return redis;
  };
  const admin = connect();
  return {
    server,
    connect,
    keys: (prefix) => admin.keys(`${prefix}*`),
    async close() {
      await Promise.all(connections.map((redis) => redis.quit()));
      await server.stop();
    },
  };
}
