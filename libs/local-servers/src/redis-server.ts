import { mkdir } from 'node:fs/promises';
import { startLocalServer, type LocalServer } from './local-server';
import { findFreePort } from './ports';
import { probeRedis } from './protocol-probe';
import { formatServerUrl, loopbackFor } from './server-address';

/** How to run `redis-server`. */
export interface RedisServerOptions {
  /** Port; 0 or unset picks a free one. */
  port?: number;
  /** Address to bind. @defaultValue '127.0.0.1' */
  host?: string;
  /**
   * Folder to persist data in (append-only file plus RDB snapshots), created if missing.
   * Unset: nothing is written to disk (`--save '' --appendonly no`).
   */
  dataDir?: string;
  /** Program to run, a name on PATH or a path. @defaultValue 'redis-server' */
  binary?: string;
  /** How long to wait for the server to answer PING. @defaultValue 10000 */
  startTimeoutMs?: number;
  /** How long `stop()` waits after SIGTERM before SIGKILL. @defaultValue 10000 */
  stopTimeoutMs?: number;
  /** Run the server in a process group of its own (Ctrl-C in a terminal does not reach it). @defaultValue false */
  ownProcessGroup?: boolean;
}

/**
 * Starts `redis-server` and resolves once it answers `PING` with `+PONG` (so it has loaded
 * any persisted data). Rejects with a message that includes the server's output if the
 * port is taken, the binary is missing or the server exits.
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<LocalServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port || (await findFreePort(host));
  if (options.dataDir !== undefined) await mkdir(options.dataDir, { recursive: true });
  const persistence =
    options.dataDir === undefined
      ? ['--save', '', '--appendonly', 'no']
      : ['--dir', options.dataDir, '--appendonly', 'yes'];
  const clientHost = loopbackFor(host);
  return startLocalServer({
    name: 'redis-server',
    binary: options.binary ?? 'redis-server',
    args: ['--port', String(port), '--bind', host, ...persistence],
    host: clientHost,
    port,
    url: formatServerUrl('redis', clientHost, port),
    isReady: (timeoutMs) => probeRedis(clientHost, port, timeoutMs, true),
    startTimeoutMs: options.startTimeoutMs ?? 10_000,
    stopTimeoutMs: options.stopTimeoutMs ?? 10_000,
    ownProcessGroup: options.ownProcessGroup ?? false,
  });
}
