/**
 * Per-request translation cost of every provider adapter, in microseconds: building the HTTP
 * request and parsing a completion body (`build+parse`), and decoding a 50-chunk stream from
 * raw SSE bytes (`stream`: SSE parsing, the adapter's decoder and its end summary). No network.
 *
 *   npx tsx test/bench/provider-translation.bench.ts
 *
 * Each measurement runs for BENCH_MS milliseconds (default 150) after a warm-up and reports the
 * mean time per operation.
 */
import type { Deployment } from '@switchyard/config';
import type { ChatCompletionRequest } from '@switchyard/contracts';
import {
  SseParser,
  adapterFor,
  adapterProviders,
  openAiCompatibleProviders,
  type AdapterContext,
  type ProviderAdapter,
} from '@switchyard/providers';

const STREAM_CHUNKS = 50;
const measureMs = Number(process.env.BENCH_MS ?? 150);

const request: ChatCompletionRequest = {
  messages: [
    { role: 'system', content: 'You sort support e-mails into billing, outage, feature or other.' },
    {
      role: 'user',
      content:
        'Subject: charged twice\n\nHello, my card was charged twice for the March invoice. ' +
        'Could you refund the duplicate payment? Thanks, Ann',
    },
  ],
  tools: [
    {
      type: 'function',
      function: {
        name: 'classify',
        description: 'Records the category of an e-mail',
        parameters: {
          type: 'object',
          properties: {
            category: { type: 'string', enum: ['billing', 'outage', 'feature', 'other'] },
            confidence: { type: 'number' },
          },
          required: ['category'],
        },
      },
    },
  ],
  temperature: 0.2,
  max_tokens: 256,
};

const answer = 'The e-mail is about a duplicate charge, so it belongs to billing.';
const pieces = Array.from({ length: STREAM_CHUNKS - 2 }, (_, index) => `tok${index} `);

/** Wire samples of one API family: a completion body and a 50-chunk SSE stream. */
interface WireSamples {
  readonly completion: unknown;
  readonly stream: string;
}

const sse = (events: readonly { event?: string; data: unknown }[]): string =>
  events
    .map(({ event, data }) => {
      const text = typeof data === 'string' ? data : JSON.stringify(data);
      return `${event === undefined ? '' : `event: ${event}\n`}data: ${text}\n\n`;
    })
    .join('');

function openAiSamples(): WireSamples {
  const head = {
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created: 1741569952,
    model: 'm',
  };
  const chunk = (delta: object, finish: string | null) => ({
    data: {
      ...head,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      usage: null,
    },
  });
  return {
    completion: {
      id: 'chatcmpl-bench',
      object: 'chat.completion',
      created: 1741569952,
      model: 'm',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: answer, refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: 61,
        completion_tokens: 15,
        total_tokens: 76,
        prompt_tokens_details: { cached_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0 },
      },
    },
    stream: sse([
      chunk({ role: 'assistant', content: '' }, null),
      ...pieces.map((piece) => chunk({ content: piece }, null)),
      chunk({}, 'stop'),
      {
        data: {
          ...head,
          choices: [],
          usage: { prompt_tokens: 61, completion_tokens: 48, total_tokens: 109 },
        },
      },
      { data: '[DONE]' },
    ]),
  };
}

function anthropicSamples(): WireSamples {
  const message = {
    id: 'msg_bench',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-5',
    content: [{ type: 'text', text: answer }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: {
      input_tokens: 61,
      output_tokens: 15,
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 0,
    },
  };
  return {
    completion: message,
    stream: sse([
      {
        event: 'message_start',
        data: {
          type: 'message_start',
          message: {
            ...message,
            content: [],
            stop_reason: null,
            usage: { input_tokens: 61, output_tokens: 1 },
          },
        },
      },
      {
        event: 'content_block_start',
        data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      },
      ...pieces.map((piece) => ({
        event: 'content_block_delta',
        data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: piece } },
      })),
      { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
      {
        event: 'message_delta',
        data: {
          type: 'message_delta',
          delta: { stop_reason: 'end_turn', stop_sequence: null },
          usage: { output_tokens: 48 },
        },
      },
      { event: 'message_stop', data: { type: 'message_stop' } },
    ]),
  };
}

function geminiSamples(): WireSamples {
  const event = (text: string, finish?: string) => ({
    data: {
      candidates: [
        {
          content: { role: 'model', parts: [{ text }] },
          index: 0,
          ...(finish === undefined ? {} : { finishReason: finish }),
        },
      ],
      usageMetadata: { promptTokenCount: 61, candidatesTokenCount: 48, totalTokenCount: 109 },
      modelVersion: 'gemini-2.5-flash',
      responseId: 'bench-response',
    },
  });
  return {
    completion: {
      candidates: [
        { content: { role: 'model', parts: [{ text: answer }] }, finishReason: 'STOP', index: 0 },
      ],
      usageMetadata: { promptTokenCount: 61, candidatesTokenCount: 15, totalTokenCount: 76 },
      modelVersion: 'gemini-2.5-flash',
      responseId: 'bench-response',
    },
    stream: sse(
      [...pieces.map((piece) => event(piece)), event('', 'STOP'), event('.', 'STOP')].slice(
        0,
        STREAM_CHUNKS,
      ),
    ),
  };
}

const openAiFamily = new Set<string>(openAiCompatibleProviders.map((provider) => provider.name));

function samplesFor(provider: string): WireSamples {
  if (provider === 'anthropic') return anthropicSamples();
  if (provider === 'gemini') return geminiSamples();
  return openAiSamples();
}

function deploymentFor(provider: string): Deployment {
  return {
    id: `bench-${provider}/0`,
    modelName: 'bench',
    provider: provider as Deployment['provider'],
    providerModel:
      provider === 'anthropic'
        ? 'claude-sonnet-4-5'
        : provider === 'gemini'
          ? 'gemini-2.5-flash'
          : 'm',
    apiKey: 'bench-key',
    ...(provider === 'azure'
      ? { apiBase: 'https://bench.openai.azure.com', apiVersion: '2024-10-21' }
      : {}),
    ...(provider === 'hosted_vllm' ? { apiBase: 'http://vllm.local:8000/v1' } : {}),
    timeoutMs: 60_000,
    maxRetries: 0,
    weight: 1,
    limits: {},
    mode: 'chat',
  };
}

/** Mean microseconds per call of `operation`, run for `measureMs` after a warm-up. */
function measure(operation: () => void): number {
  const warmUpEnd = performance.now() + measureMs / 3;
  while (performance.now() < warmUpEnd) operation();
  let runs = 0;
  const start = process.hrtime.bigint();
  const end = performance.now() + measureMs;
  while (performance.now() < end) {
    for (let batch = 0; batch < 10; batch++) operation();
    runs += 10;
  }
  return Number(process.hrtime.bigint() - start) / 1000 / runs;
}

function benchProvider(provider: string): { buildParse: number; stream: number } {
  const adapter: ProviderAdapter = adapterFor(provider);
  const context: AdapterContext = { deployment: deploymentFor(provider), dropParams: true };
  const samples = samplesFor(provider);
  const streamBytes = new TextEncoder().encode(samples.stream);
  const decodeStream = (): number => {
    const parser = new SseParser();
    const decoder = adapter.createStreamDecoder(context);
    let chunks = 0;
    for (const event of parser.push(streamBytes)) chunks += decoder.push(event).length;
    decoder.end();
    return chunks;
  };
  const completionText = JSON.stringify(samples.completion);
  adapter.parseResponse(JSON.parse(completionText), context);
  if (decodeStream() === 0) throw new Error(`${provider}: the sample stream produced no chunks`);
  return {
    buildParse: measure(() => {
      adapter.buildRequest(request, context, { stream: false });
      adapter.parseResponse(JSON.parse(completionText), context);
    }),
    stream: measure(() => {
      decodeStream();
    }),
  };
}

const rows = [...adapterProviders]
  .sort()
  .map((provider) => ({ provider, ...benchProvider(provider) }));
const family = (provider: string): string =>
  openAiFamily.has(provider) ? 'openai-compatible' : provider;
const header = [
  'provider',
  'family',
  'build+parse µs',
  `stream ${STREAM_CHUNKS} chunks µs`,
  'per chunk µs',
];
const table = rows.map((row) => [
  row.provider,
  family(row.provider),
  row.buildParse.toFixed(1),
  row.stream.toFixed(1),
  (row.stream / STREAM_CHUNKS).toFixed(2),
]);
const widths = header.map((title, column) =>
  Math.max(title.length, ...table.map((row) => row[column]?.length ?? 0)),
);
const line = (cells: readonly string[]): string =>
  cells
    .map((cell, column) =>
      column < 2 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
    )
    .join('  ');
process.stdout.write(
  `provider translation cost (mean per operation, ${measureMs} ms per measurement)\n`,
);
process.stdout.write(`${line(header)}\n${widths.map((width) => '-'.repeat(width)).join('  ')}\n`);
for (const row of table) process.stdout.write(`${line(row)}\n`);
