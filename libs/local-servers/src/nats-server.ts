import { mkdir } from 'node:fs/promises';
import { startLocalServer, type LocalServer } from './local-server';
import { findFreePort } from './ports';
import { probeNats } from './protocol-probe';
import { formatServerUrl, loopbackFor } from './server-address';

/** How to run `nats-server`. Works with nats-server 2.9 and newer. */
export interface NatsServerOptions {
  /** Client port; 0 or unset picks a free one. */
  port?: number;
  /** Address to bind. @defaultValue '127.0.0.1' */
  host?: string;
  /** Folder for JetStream file storage (`-sd`); created if missing. */
  dataDir: string;
  /** Enable JetStream (`-js`). @defaultValue true */
  jetstream?: boolean;
  /** Program to run, a name on PATH or a path. @defaultValue 'nats-server' */
  binary?: string;
  /** More command-line arguments, appended after the ones above. */
  extraArgs?: readonly string[];
  /** How long to wait for the server to answer. @defaultValue 10000 */
  startTimeoutMs?: number;
  /** How long `stop()` waits after SIGTERM before SIGKILL. @defaultValue 10000 */
  stopTimeoutMs?: number;
  /** Run the server in a process group of its own (Ctrl-C in a terminal does not reach it). @defaultValue false */
  ownProcessGroup?: boolean;
}

/**
 * Starts `nats-server` (with JetStream storing under `dataDir` unless disabled) and resolves
 * once it sends its INFO greeting to a client. Rejects with a message that includes the
 * server's last output if the port is taken, the binary is missing or the server exits.
 */
export async function startNatsServer(options: NatsServerOptions): Promise<LocalServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port || (await findFreePort(host));
  const jetstream = options.jetstream ?? true;
  if (jetstream) await mkdir(options.dataDir, { recursive: true });
  const clientHost = loopbackFor(host);
  return startLocalServer({
    name: 'nats-server',
    binary: options.binary ?? 'nats-server',
    args: [
      '-a',
      host,
      '-p',
      String(port),
      ...(jetstream ? ['-js', '-sd', options.dataDir] : []),
      ...(options.extraArgs ?? []),
    ],
    host: clientHost,
    port,
    url: formatServerUrl('nats', clientHost, port),
    isReady: (timeoutMs) => probeNats(clientHost, port, timeoutMs),
    startTimeoutMs: options.startTimeoutMs ?? 10_000,
    stopTimeoutMs: options.stopTimeoutMs ?? 10_000,
    ownProcessGroup: options.ownProcessGroup ?? false,
  });
}
