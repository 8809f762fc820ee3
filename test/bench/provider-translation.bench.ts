/**
 * Per-request translation cost of every provider adapter, in microseconds: building the HTTP
 * request and parsing a completion body (`build+parse`), and decoding a 50-chunk stream from
 * its raw bytes (`stream`: the framing, server-sent events or Bedrock's binary event stream, the
 * adapter's decoder and its end summary). No network. Every adapter the registry has gets a row,
 * with samples of its own wire format; one without samples here fails the run.
 *
 *   npx tsx test/bench/provider-translation.bench.ts
 *
 * Each measurement runs for BENCH_MS milliseconds (default 150) after a warm-up and reports the
 * mean time per operation.
 */
import { EventStreamCodec } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
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

/** Wire samples of one API family: a completion body and the bytes of a 50-chunk stream. */
interface WireSamples {
  readonly completion: unknown;
  readonly stream: Uint8Array;
}

const sse = (events: readonly { event?: string; data: unknown }[]): Uint8Array =>
  new TextEncoder().encode(
    events
      .map(({ event, data }) => {
        const text = typeof data === 'string' ? data : JSON.stringify(data);
        return `${event === undefined ? '' : `event: ${event}\n`}data: ${text}\n\n`;
      })
      .join(''),
  );

const eventStreamCodec = new EventStreamCodec(toUtf8, fromUtf8);

/** Bedrock's binary event stream: one frame per event, its type in `:event-type`. */
const eventStream = (events: readonly { event: string; data: object }[]): Uint8Array =>
  Buffer.concat(
    events.map(({ event, data }) =>
      eventStreamCodec.encode({
        headers: {
          ':event-type': { type: 'string', value: event },
          ':content-type': { type: 'string', value: 'application/json' },
          ':message-type': { type: 'string', value: 'event' },
        },
        body: fromUtf8(JSON.stringify(data)),
      }),
    ),
  );

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

/** Cohere's v2 chat: `message` with content blocks; the stream's events name their type. */
function cohereSamples(): WireSamples {
  const usage = (output: number) => ({
    billed_units: { input_tokens: 61, output_tokens: output },
    tokens: { input_tokens: 61, output_tokens: output },
  });
  const event = (type: string, data: object) => ({ event: type, data: { type, ...data } });
  return {
    completion: {
      id: 'bench-response',
      finish_reason: 'COMPLETE',
      message: { role: 'assistant', content: [{ type: 'text', text: answer }] },
      usage: usage(15),
    },
    stream: sse([
      event('message-start', {
        id: 'bench-response',
        delta: { message: { role: 'assistant', content: [], tool_plan: '', tool_calls: [] } },
      }),
      event('content-start', {
        index: 0,
        delta: { message: { content: { type: 'text', text: '' } } },
      }),
      ...pieces
        .slice(0, STREAM_CHUNKS - 4)
        .map((piece) =>
          event('content-delta', { index: 0, delta: { message: { content: { text: piece } } } }),
        ),
      event('content-end', { index: 0 }),
      event('message-end', { delta: { finish_reason: 'COMPLETE', usage: usage(48) } }),
    ]),
  };
}

/** Bedrock's Converse and ConverseStream (binary event-stream frames). */
function bedrockSamples(): WireSamples {
  const usage = (output: number) => ({
    inputTokens: 61,
    outputTokens: output,
    totalTokens: 61 + output,
  });
  return {
    completion: {
      output: { message: { role: 'assistant', content: [{ text: answer }] } },
      stopReason: 'end_turn',
      usage: usage(15),
      metrics: { latencyMs: 1 },
    },
    stream: eventStream([
      { event: 'messageStart', data: { role: 'assistant' } },
      ...pieces.slice(0, STREAM_CHUNKS - 4).map((piece) => ({
        event: 'contentBlockDelta',
        data: { contentBlockIndex: 0, delta: { text: piece } },
      })),
      { event: 'contentBlockStop', data: { contentBlockIndex: 0 } },
      { event: 'messageStop', data: { stopReason: 'end_turn' } },
      { event: 'metadata', data: { usage: usage(48), metrics: { latencyMs: 1 } } },
    ]),
  };
}

const openAiFamily = new Set<string>(openAiCompatibleProviders.map((provider) => provider.name));

/** The samples of a provider's wire format (Vertex AI's row: a Gemini model, Gemini's format). */
function samplesFor(provider: string): WireSamples {
  if (openAiFamily.has(provider)) return openAiSamples();
  if (provider === 'anthropic') return anthropicSamples();
  if (provider === 'gemini' || provider === 'vertex_ai') return geminiSamples();
  if (provider === 'cohere') return cohereSamples();
  if (provider === 'bedrock') return bedrockSamples();
  throw new Error(`no wire samples for provider "${provider}": add them to this benchmark`);
}

const providerModels: Record<string, string> = {
  anthropic: 'claude-sonnet-4-5',
  gemini: 'gemini-2.5-flash',
  vertex_ai: 'gemini-2.5-flash',
  cohere: 'command-a-03-2025',
  bedrock: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
};

function deploymentFor(provider: string): Deployment {
  return {
    id: `bench-${provider}/0`,
    modelName: 'bench',
    provider: provider as Deployment['provider'],
    providerModel: providerModels[provider] ?? 'm',
    apiKey: 'bench-key',
    ...(provider === 'azure'
      ? { apiBase: 'https://bench.openai.azure.com', apiVersion: '2024-10-21' }
      : {}),
    ...(provider === 'hosted_vllm' ? { apiBase: 'http://vllm.local:8000/v1' } : {}),
    ...(provider === 'bedrock' ? { awsRegion: 'us-east-1' } : {}),
    ...(provider === 'vertex_ai'
      ? { vertex: { project: 'bench-project', location: 'us-central1', publisher: 'google' } }
      : {}),
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
  const decodeStream = (): number => {
    const reader = adapter.createEventReader?.() ?? new SseParser();
    const decoder = adapter.createStreamDecoder(context);
    let chunks = 0;
    for (const event of reader.push(samples.stream)) chunks += decoder.push(event).length;
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

/** One row per adapter, named by its first provider name (`cohere` also serves `cohere_chat`). */
const rows = [...adapterProviders]
  .filter((provider) => adapterFor(provider).providers[0] === provider)
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
const withAliases = (provider: string): string =>
  [provider, ...adapterFor(provider).providers.filter((name) => name !== provider)].join(', ');
const table = rows.map((row) => [
  withAliases(row.provider),
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
