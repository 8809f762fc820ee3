import { afterEach, describe, expect, it } from 'vitest';
import type { ProviderHttpRequest } from '../adapter';
import { ProviderError } from '../provider-error';
import {
  startLocalHttpServer,
  unusedPort,
  type LocalHttpServer,
  type TestHandler,
} from '../spec-helpers/local-http-server';
import { ProviderHttp } from './provider-http';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let server: LocalHttpServer | undefined;
let http: ProviderHttp | undefined;

afterEach(async () => {
  await http?.closeAll();
  await server?.close();
  server = undefined;
  http = undefined;
});

async function serve(
  handler: TestHandler,
): Promise<{ server: LocalHttpServer; http: ProviderHttp }> {
  server = await startLocalHttpServer(handler);
  http = new ProviderHttp({ connectTimeoutMs: 1000 });
  return { server, http };
}

function post(origin: string, path = '/v1/chat/completions'): ProviderHttpRequest {
  return {
    method: 'POST',
    url: `${origin}${path}`,
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
    body: '{"model":"m"}',
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

async function drain(iterable: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const part of iterable) parts.push(part);
  return Buffer.concat(parts).toString('utf8');
}

describe('ProviderHttp', () => {
  it('sends the request as built and returns status, lower-case headers and body', async () => {
    const { server, http } = await serve((_request, response) => {
      response.writeHead(201, { 'X-Request-Id': 'req_1', 'Content-Type': 'application/json' });
      response.end('{"ok":true}');
    });
    const exchange = await http.open(post(server.origin, '/v1/chat/completions?x=1'), {
      provider: 'openai',
      timeoutMs: 5000,
    });
    expect(exchange.status).toBe(201);
    expect(exchange.headers['x-request-id']).toBe('req_1');
    expect(await exchange.readText(1024)).toEqual({ text: '{"ok":true}', truncated: false });
    const received = server.requests[0];
    expect(received?.method).toBe('POST');
    expect(received?.url).toBe('/v1/chat/completions?x=1');
    expect(received?.headers.authorization).toBe('Bearer sk-test');
    expect(received?.body).toBe('{"model":"m"}');
  });

  it('keeps connections alive: calls one after another share a connection and a pool', async () => {
    const { server, http } = await serve((_request, response) => response.end('ok'));
    for (let call = 0; call < 3; call++) {
      const exchange = await http.open(post(server.origin), {
        provider: 'openai',
        timeoutMs: 5000,
      });
      await exchange.readText(100);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(server.connectionCount()).toBe(1);
    expect(server.requests.map((request) => request.connection)).toEqual([1, 1, 1]);
    expect(http.poolCount).toBe(1);
  });

  it('reads at most maxBytes of a body and reports the rest as cut off', async () => {
    const { server, http } = await serve((_request, response) => {
      response.end('x'.repeat(3 * 1024 * 1024));
    });
    const exchange = await http.open(post(server.origin), { provider: 'openai', timeoutMs: 5000 });
    const { text, truncated } = await exchange.readText(1024 * 1024);
    expect(truncated).toBe(true);
    expect(text.length).toBe(1024 * 1024);
  });

  it('refuses a URL that is not http(s) as bad_request / invalid_url', async () => {
    http = new ProviderHttp();
    for (const url of ['not a url', 'ftp://example.com/v1']) {
      const error = await rejection(
        http.open({ ...post('http://x'), url }, { provider: 'openai', timeoutMs: 5000 }),
      );
      expect(error).toMatchObject({ type: 'bad_request', code: 'invalid_url' });
    }
  });

  it('classifies a refused connection as connection / connection_refused', async () => {
    http = new ProviderHttp();
    const port = await unusedPort();
    const error = await rejection(
      http.open(post(`http://127.0.0.1:${port}`), { provider: 'groq', timeoutMs: 5000 }),
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      type: 'connection',
      code: 'connection_refused',
      provider: 'groq',
    });
  });

  it('classifies a host that does not resolve as connection / dns_lookup_failed', async () => {
    http = new ProviderHttp();
    const error = await rejection(
      http.open(post('http://switchyard-test.invalid'), { provider: 'openai', timeoutMs: 8000 }),
    );
    expect(error).toMatchObject({ type: 'connection', code: 'dns_lookup_failed' });
  }, 10_000);

  it('times out waiting for headers: timeout / headers_timeout', async () => {
    const { server, http } = await serve(() => undefined);
    const error = await rejection(
      http.open(post(server.origin), {
        provider: 'openai',
        timeoutMs: 5000,
        headersTimeoutMs: 150,
      }),
    );
    expect(error).toMatchObject({ type: 'timeout', code: 'headers_timeout' });
  });

  it('times out a stalled body: timeout / body_timeout', async () => {
    const { server, http } = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: {}\n\n');
    });
    const exchange = await http.open(post(server.origin), {
      provider: 'openai',
      timeoutMs: 5000,
      idleTimeoutMs: 150,
    });
    const error = await rejection(drain(exchange.bytes()));
    expect(error).toMatchObject({ type: 'timeout', code: 'body_timeout' });
  });

  it('times out the whole call even while data keeps arriving: timeout / request_timeout', async () => {
    const { server, http } = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const timer = setInterval(() => response.write(': tick\n\n'), 20);
      response.once('close', () => clearInterval(timer));
    });
    const exchange = await http.open(post(server.origin), { provider: 'openai', timeoutMs: 250 });
    const started = Date.now();
    const error = await rejection(drain(exchange.bytes()));
    expect(error).toMatchObject({ type: 'timeout', code: 'request_timeout' });
    expect(Date.now() - started).toBeLessThan(2000);
    await server.closed(0);
  });

  it('rethrows the caller abort reason while waiting for headers, and frees the connection', async () => {
    const { server, http } = await serve(() => undefined);
    const controller = new AbortController();
    const reason = new Error('job cancelled');
    const pending = http.open(post(server.origin), {
      provider: 'openai',
      timeoutMs: 5000,
      signal: controller.signal,
    });
    await sleep(50);
    controller.abort(reason);
    expect(await rejection(pending)).toBe(reason);
    await server.closed(0);
  });

  it('rethrows the caller abort reason while reading the body, and frees the connection', async () => {
    const { server, http } = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: 1\n\n');
    });
    const controller = new AbortController();
    const exchange = await http.open(post(server.origin), {
      provider: 'openai',
      timeoutMs: 5000,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort('deadline'), 50);
    expect(await rejection(drain(exchange.bytes()))).toBe('deadline');
    await server.closed(0);
  });

  it('does not send anything when the signal is already aborted', async () => {
    const { server, http } = await serve((_request, response) => response.end('ok'));
    const error = await rejection(
      http.open(post(server.origin), {
        provider: 'openai',
        timeoutMs: 5000,
        signal: AbortSignal.abort('too late'),
      }),
    );
    expect(error).toBe('too late');
    await sleep(20);
    expect(server.requests).toHaveLength(0);
  });

  it('frees the connection when the reader stops early', async () => {
    const { server, http } = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const timer = setInterval(() => response.write('data: more\n\n'), 10);
      response.once('close', () => clearInterval(timer));
    });
    const exchange = await http.open(post(server.origin), { provider: 'openai', timeoutMs: 5000 });
    for await (const part of exchange.bytes()) {
      expect(part.length).toBeGreaterThan(0);
      break;
    }
    await server.closed(0);
  });

  it('reports a connection reset in the middle of the body as connection / stream_cut', async () => {
    const { server, http } = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: 1\n\n');
      setTimeout(() => response.socket?.destroy(), 30);
    });
    const exchange = await http.open(post(server.origin), {
      provider: 'openai',
      timeoutMs: 5000,
      cutCode: 'stream_cut',
    });
    const error = await rejection(drain(exchange.bytes()));
    expect(error).toMatchObject({ type: 'connection', code: 'stream_cut' });
  });

  it('closeAll closes every pool; a later call opens a new one', async () => {
    const { server, http } = await serve((_request, response) => response.end('ok'));
    await (
      await http.open(post(server.origin), { provider: 'openai', timeoutMs: 5000 })
    ).readText(10);
    await http.closeAll();
    expect(http.poolCount).toBe(0);
    const again = await http.open(post(server.origin), { provider: 'openai', timeoutMs: 5000 });
    expect((await again.readText(10)).text).toBe('ok');
    expect(server.connectionCount()).toBe(2);
  });
});
