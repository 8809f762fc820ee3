import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderChunk } from '../adapter';
import { completeChat } from '../complete-chat';
import { ProviderHttp } from '../http/provider-http';
import { ProviderError } from '../provider-error';
import {
  startLocalHttpServer,
  type LocalHttpServer,
  type TestHandler,
} from '../spec-helpers/local-http-server';
import { streamChat } from '../stream-chat';
import { geminiAdapter } from './gemini.adapter';
import { chatRequest, geminiContext } from './spec-helpers';
import textResponse from './fixtures/response-text.json';
import streamText from './fixtures/stream-text.json';
import resourceExhausted from './fixtures/error-429-resource-exhausted.json';

/*
 * The adapter through the shared HTTP layer, against a local server that answers as the
 * Gemini API does (JSON bodies, `alt=sse` streams with CRLF line ends, Google error bodies).
 */

let handler: TestHandler = (_request, response) => {
  response.end();
};
let server: LocalHttpServer;
const http = new ProviderHttp();

beforeAll(async () => {
  server = await startLocalHttpServer((request, response, received) =>
    handler(request, response, received),
  );
});

afterEach(() => {
  server.requests.length = 0;
});

afterAll(async () => {
  await http.closeAll();
  await server.close();
});

const context = () => geminiContext({ apiBase: server.origin, apiKey: 'local-key' });

function sse(events: readonly unknown[]): string {
  return events.map((event) => `data: ${JSON.stringify(event)}\r\n\r\n`).join('');
}

async function collect(stream: AsyncIterable<ProviderChunk>): Promise<ProviderChunk[]> {
  const chunks: ProviderChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

describe('Gemini over HTTP', () => {
  it('completes a chat with generateContent', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
      response.end(JSON.stringify(textResponse));
    };
    const completion = await completeChat(geminiAdapter, chatRequest(), context(), { http });
    expect(completion.choices[0]?.finish_reason).toBe('length');
    const [received] = server.requests;
    expect(received?.url).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(received?.headers['x-goog-api-key']).toBe('local-key');
  });

  it('streams a chat with streamGenerateContent?alt=sse, usage on the last chunk', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(sse(streamText));
    };
    const chunks = await collect(streamChat(geminiAdapter, chatRequest(), context(), { http }));
    expect(server.requests[0]?.url).toBe(
      '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
    );
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(
      'The sky is blue because air scatters blue light more than red light.',
    );
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 9, total_tokens: 518 });
  });

  it('fails a stream that stops before a finish reason with stream_cut', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(sse(streamText.slice(0, 2)));
    };
    await expect(
      collect(streamChat(geminiAdapter, chatRequest(), context(), { http })),
    ).rejects.toMatchObject({ type: 'connection', code: 'stream_cut' });
  });

  it('classifies a 429 with RetryInfo', async () => {
    handler = (_request, response) => {
      response.writeHead(429, { 'content-type': 'application/json; charset=UTF-8' });
      response.end(JSON.stringify(resourceExhausted));
    };
    const failure = completeChat(geminiAdapter, chatRequest(), context(), { http });
    await expect(failure).rejects.toBeInstanceOf(ProviderError);
    await expect(failure).rejects.toMatchObject({
      type: 'rate_limit',
      code: 'resource_exhausted',
      retryAfterMs: 40_000,
      providerStatus: 429,
    });
  });
});
