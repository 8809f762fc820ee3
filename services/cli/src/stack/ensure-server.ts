import { join } from 'node:path';
import type { Logger } from '@switchyard/telemetry';
import {
  isBinaryOnPath,
  isNatsReachable,
  isRedisReachable,
  startNatsServer,
  startRedisServer,
  type LocalServer,
} from '@switchyard/local-servers';
import { UserError } from '@switchyard/entrypoint';
import { installHints } from './install-hints';

export type ServerKind = 'nats' | 'redis';

/** A server the stack uses: one that already answered, or one `up` started (and stops). */
export interface UsedServer {
  kind: ServerKind;
  url: string;
  started?: LocalServer;
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const reachTimeoutMs = 1_500;

const kinds = {
  nats: { binary: 'nats-server', defaultPort: 4222, isReachable: isNatsReachable },
  redis: { binary: 'redis-server', defaultPort: 6379, isReachable: isRedisReachable },
} as const;

/**
 * Uses the server at `url` when it answers; otherwise, when `url` names this machine and the
 * binary is on PATH, starts one there with its data under `dataDir`. Fails with install hints.
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
  if (!(await isBinaryOnPath(spec.binary))) {
    throw new UserError(
      `${kind}: nothing answers at ${url} and ${spec.binary} is not on PATH; ${installHints[kind]}`,
    );
  }
  const options = {
    host: hostname.replace(/^\[|\]$/g, ''),
    port: port === '' ? spec.defaultPort : Number(port),
    dataDir: join(dataDir, kind),
  };
  const started =
    kind === 'nats' ? await startNatsServer(options) : await startRedisServer(options);
  log.info(
    { url: started.url, dataDir: options.dataDir },
    `${kind}: started ${spec.binary} at ${started.url}`,
  );
  return { kind, url: started.url, started };
}
