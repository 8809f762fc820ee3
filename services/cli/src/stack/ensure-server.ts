import { join } from 'node:path';
import type { Logger } from '@switchyard/telemetry';
import {
  isBinaryOnPath,
  isDockerAvailable,
  natsContainer,
  redisContainer,
  startServerContainer,
  isNatsReachable,
  isRedisReachable,
  startNatsServer,
  startRedisServer,
} from '@switchyard/local-servers';
import { UserError } from '@switchyard/entrypoint';
import { installHints } from './install-hints';

export type ServerKind = 'nats' | 'redis';

/** A server the stack uses: one that already answered, or one `up` started (and stops). */
export interface UsedServer {
  kind: ServerKind;
  url: string;
  /** What `up` started (`nats-server from PATH`, `a nats:2.10-alpine container`), to stop it. */
  started?: { name: string; stop(): Promise<void> };
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const reachTimeoutMs = 1_500;

const kinds = {
  nats: {
    binary: 'nats-server',
    defaultPort: 4222,
    isReachable: isNatsReachable,
    container: natsContainer,
  },
  redis: {
    binary: 'redis-server',
    defaultPort: 6379,
    isReachable: isRedisReachable,
    container: redisContainer,
  },
} as const;

/**
 * Uses the server at `url` when it answers. Otherwise, when `url` names this machine: starts
 * the binary from PATH there (data under `dataDir`, in a process group of its own so that
 * Ctrl-C reaches `up` first), else a container on that port when a Docker engine answers.
 * Fails with install hints when none of these works.
 */
export async function ensureServer(
  kind: ServerKind,
  url: string,
  dataDir: string,
  log: Logger,
): Promise<UsedServer> {
  const spec = kinds[kind];
  if (await spec.isReachable(url, reachTimeoutMs)) {
    log.info({ url }, `${kind}: using the server at ${url}`);
    return { kind, url };
  }
  const { hostname, port } = new URL(url);
  if (!loopbackHosts.has(hostname)) {
    throw new UserError(`${kind}: nothing answers at ${url}; start it, or ${installHints[kind]}`);
  }
  const host = hostname.replace(/^\[|\]$/g, '');
  const portNumber = port === '' ? spec.defaultPort : Number(port);
  if (await isBinaryOnPath(spec.binary)) {
    const options = { host, port: portNumber, dataDir: join(dataDir, kind), ownProcessGroup: true };
    const server =
      kind === 'nats' ? await startNatsServer(options) : await startRedisServer(options);
    log.info(
      { url: server.url, dataDir: options.dataDir },
      `${kind}: started ${spec.binary} at ${server.url}`,
    );
    return {
      kind,
      url: server.url,
      started: { name: `${spec.binary} from PATH`, stop: () => server.stop() },
    };
  }
  if (await isDockerAvailable()) {
    log.info(
      `${kind}: ${spec.binary} is not on PATH; starting a ${spec.container.image} container`,
    );
    const container = await startServerContainer(spec.container, { hostPort: portNumber });
    log.info({ url: container.url }, `${kind}: started a ${spec.container.image} container`);
    return {
      kind,
      url: container.url,
      started: { name: `a ${spec.container.image} container`, stop: () => container.stop() },
    };
  }
  throw new UserError(
    `${kind}: nothing answers at ${url}, ${spec.binary} is not on PATH and no Docker engine ` +
      `answers; ${installHints[kind]}`,
  );
}
