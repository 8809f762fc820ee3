import type { Deployment } from '@switchyard/config';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProviderAdapter, ProviderChunk } from './adapter';
import { ProviderHttp } from './http/provider-http';
import { openAiCompatibleAdapters } from './openai';
import { ProviderError } from './provider-error';
import { helloRequest, testContext } from './spec-helpers/deployment';
import { readStreamFixture, readTextFixture, sseBody } from './spec-helpers/fixtures';
import {
  startLocalHttpServer,
  type LocalHttpServer,
  type TestHandler,
} from './spec-helpers/local-http-server';
import { streamChat } from './stream-chat';

const fixtures = `${import.meta.dirname}/openai`;

function adapterOf(provider: string): ProviderAdapter {
  const adapter = openAiCompatibleAdapters.find((candidate) =>
    candidate.providers.includes(provider),
  );
  if (adapter === undefined) throw new Error(`no ${provider} adapter`);
  return adapter;
}

let server: LocalHttpServer | undefined;
let http: ProviderHttp | undefined;

afterEach(async () => {
  await http?.closeAll();
  await server?.close();
  server = undefined;
  http = undefined;
});

async function open(
  handler: TestHandler,
  options: { signal?: AbortSignal; provider?: Deployment['provider'] } = {},
): Promise<AsyncGenerator<ProviderChunk, void, undefined>> {
  server = await startLocalHttpServer(handler);
  http = new ProviderHttp();
  const provider = options.provider ?? 'openai';
  const context = testContext({ provider, apiBase: `${server.origin}/v1` });
  return streamChat(adapterOf(provider), helloRequest, context, {
    http,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
}

async function collect(stream: AsyncIterable<ProviderChunk>): Promise<ProviderChunk[]> {
  const chunks: ProviderChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

async function collectUntilError(
  stream: AsyncIterable<ProviderChunk>,
): Promise<{ chunks: ProviderChunk[]; error: unknown }> {
  const chunks: ProviderChunk[] = [];
  try {
    for await (const chunk of stream) chunks.push(chunk);
  } catch (error) {
    return { chunks, error };
  }
  throw new Error('expected the stream to fail');
}

function sse(body: string, writeSize = Number.POSITIVE_INFINITY): TestHandler {
  return async (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    const bytes = Buffer.from(body, 'utf8');
    for (let offset = 0; offset < bytes.length; offset += writeSize) {
      response.write(bytes.subarray(offset, offset + writeSize));
      if (writeSize < bytes.length) await new Promise((resolve) => setImmediate(resolve));
    }
    response.end();
  };
}

const text = (chunks: readonly ProviderChunk[]): string =>
  chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');

describe('streamChat', () => {
  it('yields the chunks, then one last chunk with the usage (and only that one has usage)', async () => {
    const chunks = await collect(
      await open(sse(sseBody(readStreamFixture(fixtures, 'stream-text.json')))),
    );
    expect(text(chunks)).toBe('Hello!');
    const last = chunks.at(-1);
    expect(last?.usage).toEqual({
      prompt_tokens: 9,
      completion_tokens: 12,
      total_tokens: 21,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
    expect(last?.choices).toEqual([]);
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage == null)).toBe(true);
    expect(chunks.some((chunk) => chunk.choices[0]?.finish_reason === 'stop')).toBe(true);
    const sent = JSON.parse(server?.requests[0]?.body ?? '{}') as Record<string, unknown>;
    expect(sent.stream).toBe(true);
    expect(sent.stream_options).toEqual({ include_usage: true });
    expect(server?.requests[0]?.headers.accept).toBe('text/event-stream');
  });

  it('gives the same chunks when the body arrives a few bytes at a time', async () => {
    const body = sseBody(readStreamFixture(fixtures, 'stream-tool-calls.json')).replaceAll(
      '\n',
      '\r\n',
    );
    const whole = await collect(await open(sse(body)));
    await http?.closeAll();
    await server?.close();
    const trickled = await collect(await open(sse(body, 7)));
    expect(trickled.map((chunk) => chunk.choices)).toEqual(whole.map((chunk) => chunk.choices));
    const args = trickled
      .flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? [])
      .map((call) => call.function?.arguments ?? '')
      .join('');
    expect(JSON.parse(args)).toEqual({ location: 'Paris, France' });
    expect(trickled.at(-1)?.usage?.total_tokens).toBe(82);
  });

  it('throws connection / stream_cut when the stream ends without [DONE], after the chunks it got', async () => {
    const events = readStreamFixture(fixtures, 'stream-text.json').slice(0, 3);
    const { chunks, error } = await collectUntilError(await open(sse(sseBody(events))));
    expect(text(chunks)).toBe('Hello!');
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ type: 'connection', code: 'stream_cut' });
  });

  it('does not count an event cut before its blank line', async () => {
    const events = readStreamFixture(fixtures, 'stream-text.json');
    const body = `${sseBody(events.slice(0, -1))}data: [DONE]`;
    const { error } = await collectUntilError(await open(sse(body)));
    expect(error).toMatchObject({ type: 'connection', code: 'stream_cut' });
  });

  it('throws the classified error sent inside the stream', async () => {
    const { chunks, error } = await collectUntilError(
      await open(sse(sseBody(readStreamFixture(fixtures, 'stream-error.json')))),
    );
    expect(text(chunks)).toBe('Hel');
    expect(error).toMatchObject({ type: 'server', code: 'server_error' });
  });

  it('classifies a non-2xx answer to a stream request', async () => {
    const { error } = await collectUntilError(
      await open((_request, response) => {
        response.writeHead(429, { 'content-type': 'application/json', 'retry-after-ms': '1500' });
        response.end(readTextFixture(fixtures, 'error-429-rate-limit.json'));
      }),
    );
    expect(error).toMatchObject({ type: 'rate_limit', retryAfterMs: 1500 });
  });

  it('refuses a 200 that is not an event stream', async () => {
    const { error } = await collectUntilError(
      await open((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end('<html><body>captive portal</body></html>');
      }),
    );
    expect(error).toMatchObject({ type: 'server', code: 'malformed_response' });
  });

  it('frees the connection when the consumer stops early', async () => {
    const stream = await open((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const timer = setInterval(() => {
        response.write(`data: ${readStreamFixture(fixtures, 'stream-text.json')[1]}\n\n`);
      }, 10);
      response.once('close', () => clearInterval(timer));
    });
    for await (const chunk of stream) {
      expect(chunk.choices[0]?.delta.content).toBe('Hello');
      break;
    }
    await server?.closed(0);
  });

  it('rethrows the caller abort reason mid-stream and frees the connection', async () => {
    const controller = new AbortController();
    const stream = await open(
      (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write(`data: ${readStreamFixture(fixtures, 'stream-text.json')[1]}\n\n`);
      },
      { signal: controller.signal },
    );
    const reason = new Error('deadline passed');
    const { chunks, error } = await collectUntilError(
      (async function* () {
        for await (const chunk of stream) {
          yield chunk;
          controller.abort(reason);
        }
      })(),
    );
    expect(chunks).toHaveLength(1);
    expect(error).toBe(reason);
    await server?.closed(0);
  });

  it('ends a Perplexity stream that closes without [DONE] after its finish reason', async () => {
    const events = readStreamFixture(fixtures, 'perplexity-stream-no-done.json');
    const chunks = await collect(await open(sse(sseBody(events)), { provider: 'perplexity' }));
    expect(text(chunks)).toBe('Why did the dog sit?');
    expect(chunks.at(-1)?.usage?.total_tokens).toBe(19);
    const sent = JSON.parse(server?.requests[0]?.body ?? '{}') as Record<string, unknown>;
    expect(sent.stream_options).toBeUndefined();
  });

  it('adds the finish reason to the last chunk when no chunk carried one', async () => {
    const events = [
      JSON.stringify({
        id: 'x',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'm',
        choices: [{ index: 0, delta: { content: 'hi' }, finish_reason: null }],
      }),
      '[DONE]',
    ];
    const chunks = await collect(await open(sse(sseBody(events))));
    expect(chunks.at(-1)).toMatchObject({
      choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
      usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    });
  });
});
