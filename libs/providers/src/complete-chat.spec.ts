import { afterEach, describe, expect, it } from 'vitest';
import type { ProviderAdapter } from './adapter';
import { completeChat } from './complete-chat';
import { ProviderHttp } from './http/provider-http';
import { openAiCompatibleAdapters } from './openai';
import { ProviderError } from './provider-error';
import { helloRequest, testContext } from './spec-helpers/deployment';
import { readTextFixture } from './spec-helpers/fixtures';
import {
  startLocalHttpServer,
  unusedPort,
  type LocalHttpServer,
  type TestHandler,
} from './spec-helpers/local-http-server';

function adapterOf(provider: string): ProviderAdapter {
  const adapter = openAiCompatibleAdapters.find((candidate) =>
    candidate.providers.includes(provider),
  );
  if (adapter === undefined) throw new Error(`no ${provider} adapter`);
  return adapter;
}
const openAi = adapterOf('openai');
const fixtures = `${import.meta.dirname}/openai`;

let server: LocalHttpServer | undefined;
let http: ProviderHttp | undefined;

afterEach(async () => {
  await http?.closeAll();
  await server?.close();
  server = undefined;
  http = undefined;
});

async function call(handler: TestHandler, options: { signal?: AbortSignal } = {}) {
  server = await startLocalHttpServer(handler);
  http = new ProviderHttp();
  const context = testContext({ apiBase: `${server.origin}/v1` });
  return completeChat(openAi, helloRequest, context, { http, ...options });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

function reply(status: number, body: string, headers: Record<string, string> = {}): TestHandler {
  return (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(body);
  };
}

describe('completeChat', () => {
  it('sends the OpenAI request and returns the parsed completion', async () => {
    const completion = await call(reply(200, readTextFixture(fixtures, 'completion.json')));
    expect(completion.choices[0]?.message.content).toBe('Hello! How can I assist you today?');
    expect(completion.usage.total_tokens).toBe(29);
    const sent = server?.requests[0];
    expect(sent?.url).toBe('/v1/chat/completions');
    expect(sent?.headers.authorization).toBe('Bearer sk-test');
    expect(JSON.parse(sent?.body ?? '{}')).toEqual({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hello!' }],
    });
  });

  it('classifies a 429 with its Retry-After', async () => {
    const error = await failure(
      call(
        reply(429, readTextFixture(fixtures, 'error-429-rate-limit.json'), { 'retry-after': '3' }),
      ),
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      type: 'rate_limit',
      code: 'rate_limit_exceeded',
      retryAfterMs: 3000,
      providerStatus: 429,
    });
  });

  it('classifies an HTML error page by its status', async () => {
    const error = await failure(
      call((_request, response) => {
        response.writeHead(502, { 'content-type': 'text/html' });
        response.end('<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>');
      }),
    );
    expect(error).toMatchObject({
      type: 'server',
      code: 'bad_gateway',
      message: 'HTTP 502 with an HTML page: 502 Bad Gateway',
    });
  });

  it('classifies an empty error body by its status', async () => {
    const error = await failure(call(reply(503, '')));
    expect(error).toMatchObject({ type: 'overloaded', providerStatus: 503 });
  });

  it('reads at most 1 MiB of a huge error body and still classifies it', async () => {
    const error = await failure(
      call(reply(500, `{"error":{"message":"${'x'.repeat(3 * 1024 * 1024)}"}}`)),
    );
    expect(error).toMatchObject({ type: 'server', code: 'server_error' });
    expect((error as Error).message.length).toBeLessThan(300);
  });

  it.each([
    ['invalid JSON', '{"id": "chatcmpl-1", "choices": ['],
    ['an HTML page', '<!DOCTYPE html><html><body>Welcome to nginx!</body></html>'],
    ['an empty body', ''],
    ['JSON that is not a completion', '{"hello":"world"}'],
    ['a completion without choices', '{"id":"x","object":"chat.completion","choices":[]}'],
  ])('turns a 2xx with %s into server / malformed_response', async (_what, body) => {
    const error = await failure(call(reply(200, body)));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ type: 'server', code: 'malformed_response' });
  });

  it('classifies an error object sent with a 200', async () => {
    const error = await failure(call(reply(200, readTextFixture(fixtures, 'error-401.json'))));
    expect(error).toMatchObject({ type: 'auth', code: 'invalid_api_key' });
  });

  it('rethrows the caller abort reason and frees the connection', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('cancelled by caller')), 50);
    const error = await failure(call(() => undefined, { signal: controller.signal }));
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(ProviderError);
    expect((error as Error).message).toBe('cancelled by caller');
    await server?.closed(0);
  });

  it('reports a refused connection as a connection error', async () => {
    http = new ProviderHttp();
    const port = await unusedPort();
    const context = testContext({ apiBase: `http://127.0.0.1:${port}/v1` });
    const error = await failure(completeChat(openAi, helloRequest, context, { http }));
    expect(error).toMatchObject({
      type: 'connection',
      code: 'connection_refused',
      provider: 'openai',
    });
  });

  it('refuses an unsupported parameter before sending anything', async () => {
    http = new ProviderHttp();
    const groq = adapterOf('groq');
    const error = await failure(
      completeChat(
        groq,
        { ...helloRequest, logit_bias: { '50256': -100 } },
        testContext({ provider: 'groq' }),
        { http },
      ),
    );
    expect(error).toMatchObject({
      type: 'bad_request',
      code: 'unsupported_parameter',
      param: 'logit_bias',
    });
    expect(http.poolCount).toBe(0);
  });
});
