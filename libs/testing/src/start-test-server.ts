import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBinaryOnPath, type LocalServer } from '@switchyard/local-servers';
import { readServerSelection } from './server-selection';
import type { TestServer } from './test-server';

/** How to get one kind of server (NATS or Redis) for tests. */
export interface TestServerKind {
  /** Name in messages: `NATS`, `Redis`. */
  name: string;
  binary: string;
  envVar: string;
  isReachable(url: string, timeoutMs: number): Promise<boolean>;
  startBinary(options: { port?: number; dataDir: string }): Promise<LocalServer>;
  startContainer(): Promise<TestServer>;
}

/**
 * Gets a server of `kind` in the order SWITCHYARD_TEST_SERVERS allows: the binary on PATH
 * (own port, fresh temp data folder), the server at the env var if it answers, a container.
 * A binary that is found but fails to start is an error, not a reason to try the next.
 */
export async function startTestServer(kind: TestServerKind): Promise<TestServer> {
  const selection = readServerSelection();
  const tried: string[] = [];
  let cause: unknown;

  if (selection === 'auto' || selection === 'binary') {
    if (await isBinaryOnPath(kind.binary)) return startFromBinary(kind);
    tried.push(`${kind.binary} is not on PATH`);
  }
  if (selection === 'auto' || selection === 'env') {
    const url = process.env[kind.envVar]?.trim();
    if (url === undefined || url === '') tried.push(`${kind.envVar} is not set`);
    else if (await kind.isReachable(url, 2_000)) return fromEnvironment(url);
    else tried.push(`${kind.envVar}=${url} does not answer`);
  }
  if (selection === 'auto' || selection === 'container') {
    try {
      return await kind.startContainer();
    } catch (error) {
      cause = error;
      tried.push(
        `testcontainers failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  const remedies = {
    auto: `install ${kind.binary} on PATH, set ${kind.envVar} to a running server, or start a Docker engine`,
    binary: `install ${kind.binary} on PATH`,
    env: `set ${kind.envVar} to a running server`,
    container: 'start a Docker engine that testcontainers can reach',
  };
  throw new Error(
    `No ${kind.name} server for tests (SWITCHYARD_TEST_SERVERS=${selection}): ${tried.join('; ')}. ` +
      `To fix: ${remedies[selection]}.`,
    { cause },
  );
}

async function startFromBinary(kind: TestServerKind): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), `switchyard-test-${kind.binary}-`));
  let server: LocalServer;
  try {
    server = await kind.startBinary({ dataDir });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    url: server.url,
    source: 'binary',
    stop: () =>
      (stopping ??= (async () => {
        await server.stop();
        await rm(dataDir, { recursive: true, force: true });
      })()),
    kill: () => server.kill(),
    restart: async () => {
      if (stopping !== undefined) throw new Error(`${kind.name} test server was stopped`);
      await server.stop();
      server = await kind.startBinary({ port: server.port, dataDir });
    },
  };
}

function fromEnvironment(url: string): TestServer {
  return { url, source: 'env', stop: () => Promise.resolve() };
}
