import { createServer, Socket } from 'node:net';

/**
 * Asks the OS for a TCP port that is free on `host` right now. Another process may still
 * take it before the caller binds it; the window is small enough for tests and local runs.
 */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0 }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

/** Resolves true if a TCP connection to host:port opens within `timeoutMs`, false otherwise. */
export function isPortOpen(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const finish = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.connect({ host, port }, () => finish(true));
  });
}

/**
 * Resolves once host:port accepts TCP connections; rejects with an Error if it does not
 * within `timeoutMs`.
 */
export async function waitForPort(host: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    if (await isPortOpen(host, port, Math.min(remaining, 1_000))) return;
    await sleep(Math.min(50, Math.max(0, deadline - Date.now())));
  }
  throw new Error(`${host}:${port} did not accept connections within ${timeoutMs} ms`);
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
