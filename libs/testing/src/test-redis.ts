import { isRedisReachable, startRedisServer } from '@switchyard/local-servers';
import { startTestServer } from './start-test-server';
import { redisContainer, startContainer } from './test-containers';
import type { TestServer } from './test-server';

/**
 * A Redis server for a test suite. Tried in order: `redis-server` on PATH, started on a free
 * port persisting to a fresh temp data folder (deleted by `stop()`), so `kill()` then
 * `restart()` keeps the data; the server at REDIS_URL if it answers (`stop()` leaves it
 * running); a `redis:7-alpine` container via testcontainers.
 * SWITCHYARD_TEST_SERVERS=binary|env|container allows only that one. Throws an Error saying
 * what to install when none is available. On a shared server, keep tests apart with
 * `uniquePrefix`.
 */
export function startTestRedis(): Promise<TestServer> {
  return startTestServer({
    name: 'Redis',
    binary: 'redis-server',
    envVar: 'REDIS_URL',
    isReachable: isRedisReachable,
    startBinary: ({ port, dataDir }) => startRedisServer({ port, dataDir }),
    startContainer: () => startContainer(redisContainer),
  });
}
