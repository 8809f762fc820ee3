import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SseWriter } from './sse-writer';

/** A real HTTP server whose one response is handed to the test, and a client request to it. */
async function exchange(): Promise<{
  res: ServerResponse;
  reply: Promise<IncomingMessage>;
  clientReq: ReturnType<typeof request>;
  close: () => void;
}> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const arrived = once(server, 'request') as Promise<[IncomingMessage, ServerResponse]>;
  const clientReq = request({ port, host: '127.0.0.1', path: '/', method: 'GET' });
  const reply = once(clientReq, 'response').then(([incoming]) => incoming as IncomingMessage);
  clientReq.end();
  const [, res] = await arrived;
  return {
    res,
    reply,
    clientReq,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

describe('SseWriter', () => {
  let close: (() => void) | undefined;
  afterEach(() => close?.());

  it('sends the event-stream headers and frames as written', async () => {
    const ex = await exchange();
    close = ex.close;
    const writer = new SseWriter(ex.res);
    writer.start({ 'x-switchyard-job-id': 'job-1' });
    await writer.write('data: 1\n\n');
    writer.end();
    const incoming = await ex.reply;
    expect(incoming.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(incoming.headers['x-switchyard-job-id']).toBe('job-1');
    let body = '';
    for await (const data of incoming) body += String(data);
    expect(body).toBe('data: 1\n\n');
  });

  it('waits while the reader does not read, and goes on once it does', async () => {
    const ex = await exchange();
    close = ex.close;
    const writer = new SseWriter(ex.res);
    writer.start();
    const incoming = await ex.reply;
    incoming.pause();
    const frame = `data: ${'x'.repeat(64 * 1024)}\n\n`;
    let written = 0;
    let blocked: Promise<void> | undefined;
    while (blocked === undefined && written < 10_000) {
      const pending = writer.write(frame);
      const settled = await Promise.race([
        pending.then(() => true),
        new Promise((r) => setTimeout(() => r(false), 50)),
      ]);
      if (settled) written += 1;
      else blocked = pending;
    }
    expect(blocked).toBeDefined();
    expect(written).toBeLessThan(10_000);
    incoming.resume();
    await blocked;
    expect(writer.closed).toBe(false);
  });

  it('stops writing once the client went away', async () => {
    const ex = await exchange();
    close = ex.close;
    const writer = new SseWriter(ex.res);
    writer.start();
    (await ex.reply).destroy();
    ex.clientReq.destroy();
    await once(ex.res, 'close');
    expect(writer.closed).toBe(true);
    await writer.write('data: late\n\n');
    writer.end();
  });
});
