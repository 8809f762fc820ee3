import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request the test server received, with its body read. */
export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  /** Which TCP connection carried it (1, 2, … in order of connection). */
  readonly connection: number;
}

export type TestHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  received: ReceivedRequest,
) => unknown;

/** A local HTTP server for the HTTP-layer specs. */
export interface LocalHttpServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly requests: ReceivedRequest[];
  /** How many TCP connections were opened to it. */
  readonly connectionCount: () => number;
  /** Resolves when the request with this index has been closed by the client or the server. */
  readonly closed: (index: number) => Promise<void>;
  readonly close: () => Promise<void>;
}

/** Starts a server on a free port of 127.0.0.1 that answers every request with `handler`. */
export async function startLocalHttpServer(handler: TestHandler): Promise<LocalHttpServer> {
  const sockets = new Set<Socket>();
  const connectionIds = new WeakMap<Socket, number>();
  const requests: ReceivedRequest[] = [];
  const closedPromises: Promise<void>[] = [];
  let connections = 0;
  const server = createServer((request, response) => {
    closedPromises.push(
      new Promise((resolve) => {
        response.once('close', () => resolve());
      }),
    );
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => {
      const received: ReceivedRequest = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(parts).toString('utf8'),
        connection: connectionIds.get(request.socket) ?? 0,
      };
      requests.push(received);
      void Promise.resolve(handler(request, response, received)).catch(() => {
        response.destroy();
      });
    });
  });
  server.on('connection', (socket) => {
    connections += 1;
    connectionIds.set(socket, connections);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    connectionCount: () => connections,
    closed: async (index) => {
      while (closedPromises[index] === undefined) await new Promise((r) => setTimeout(r, 5));
      await closedPromises[index];
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port on 127.0.0.1 with nothing listening (taken, then released). */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
