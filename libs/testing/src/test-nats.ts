import { isNatsReachable, startNatsServer } from '@switchyard/local-servers';
import { startTestServer } from './start-test-server';
import { natsContainer, startContainer } from './test-containers';
import type { TestServer } from './test-server';

/**
 * A NATS server with JetStream for a test suite. Tried in order: `nats-server` on PATH,
 * started on a free port with a fresh temp data folder (deleted by `stop()`); the server at
 * NATS_URL if it answers (`stop()` leaves it running); a `nats:2.10-alpine` container via
 * testcontainers. SWITCHYARD_TEST_SERVERS=binary|env|container allows only that one.
 * Throws an Error saying what to install when none is available. On a shared server, keep
 * tests apart with `uniquePrefix`.
 */
export function startTestNats(): Promise<TestServer> {
  return startTestServer({
    name: 'NATS',
    binary: 'nats-server',
    envVar: 'NATS_URL',
    isReachable: isNatsReachable,
    startBinary: ({ port, dataDir }) => startNatsServer({ port, dataDir }),
    startContainer: () => startContainer(natsContainer),
  });
}
