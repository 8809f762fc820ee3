import type { ChatCompletionRequest, ErrorType } from '@switchyard/contracts';
import {
  adapterFor,
  completeChat,
  ProviderError,
  streamChat,
  type AdapterContext,
  type ProviderChunk,
} from '@switchyard/providers';
import { startProviderSim, type ProviderSimHandle } from '@switchyard/provider-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceProviders, providerOf, simDeployment } from './conformance-deployments';

/**
 * The one suite every provider adapter passes against the simulator: text, multi-turn,
 * system prompt, image input, tools round trip, JSON schema output, streaming with usage,
 * and each fault class classified as DESIGN.md says.
 */
let sim: ProviderSimHandle;
beforeAll(async () => {
  sim = await startProviderSim();
});
afterAll(() => sim.stop());

const pixel =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] } },
      required: ['city'],
    },
  },
} as const;

const triageSchema = {
  type: 'object',
  properties: {
    priority: { type: 'string', enum: ['low', 'high'] },
    reasons: { type: 'array', items: { type: 'string' } },
  },
  required: ['priority', 'reasons'],
} as const;

async function collect(chunks: AsyncIterable<ProviderChunk>): Promise<ProviderChunk[]> {
  const out: ProviderChunk[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => new Error('expected the call to fail'),
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof ProviderError)) throw error;
  return error;
}

describe.each(conformanceProviders)('%s adapter against the simulator', (provider) => {
  const adapter = adapterFor(providerOf(provider));
  const context = (options?: { timeoutSeconds?: number }) => {
    const { deployment, simName } = simDeployment(provider, sim.url, options);
    const ctx: AdapterContext = { deployment, dropParams: false };
    return { ctx, simName };
  };
  const ask = (content: string): ChatCompletionRequest => ({
    messages: [{ role: 'user', content }],
  });

  it('answers a text request, with usage equal to what the simulator served', async () => {
    const { ctx, simName } = context();
    const completion = await completeChat(
      adapter,
      ask('Triage this email: the server is down'),
      ctx,
    );
    const choice = completion.choices[0];
    expect(choice?.message.content).toEqual(expect.stringMatching(/\S/));
    expect(choice?.finish_reason).toBe('stop');
    const served = sim.stats().deployments[simName];
    expect(completion.usage?.prompt_tokens).toBe(served?.promptTokens);
    expect(completion.usage?.completion_tokens).toBe(served?.completionTokens);
    expect(completion.usage?.total_tokens).toBe(
      (served?.promptTokens ?? 0) + (served?.completionTokens ?? 0),
    );
  });

  it('sends a multi-turn conversation with a system prompt', async () => {
    const { ctx } = context();
    const single = await completeChat(adapter, ask('And tomorrow?'), ctx);
    const multi = await completeChat(
      adapter,
      {
        messages: [
          { role: 'system', content: 'You are a terse weather bot.' },
          { role: 'user', content: 'Weather in Paris?' },
          { role: 'assistant', content: 'Sunny, 21 degrees.' },
          { role: 'user', content: 'And tomorrow?' },
        ],
      },
      ctx,
    );
    expect(multi.choices[0]?.message.content).toEqual(expect.stringMatching(/\S/));
    expect(multi.usage?.prompt_tokens).toBeGreaterThan(single.usage?.prompt_tokens ?? Infinity);
  });

  it('sends image input', async () => {
    const { ctx } = context();
    const completion = await completeChat(
      adapter,
      {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is in this image?' },
              { type: 'image_url', image_url: { url: pixel } },
            ],
          },
        ],
      },
      ctx,
    );
    expect(completion.choices[0]?.message.content).toEqual(expect.stringMatching(/\S/));
    expect(completion.usage?.prompt_tokens).toBeGreaterThan(0);
  });

  it('round-trips a tool call', async () => {
    const { ctx } = context();
    const question: ChatCompletionRequest = {
      messages: [{ role: 'user', content: 'What is the weather in Oslo?' }],
      tools: [weatherTool],
      tool_choice: 'required',
    };
    const first = await completeChat(adapter, question, ctx);
    const call = first.choices[0]?.message.tool_calls?.[0];
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call?.function.name).toBe('get_weather');
    const args = JSON.parse(call?.function.arguments ?? 'null') as Record<string, unknown>;
    expect(typeof args['city']).toBe('string');

    if (call === undefined) throw new Error('no tool call to answer');
    const second = await completeChat(
      adapter,
      {
        messages: [
          ...question.messages,
          { role: 'assistant', content: null, tool_calls: [call] },
          { role: 'tool', tool_call_id: call.id, content: '{"temperature": 4, "unit": "c"}' },
        ],
        tools: [weatherTool],
      },
      ctx,
    );
    expect(second.choices[0]?.finish_reason).toBe('stop');
    expect(second.choices[0]?.message.content).toEqual(expect.stringMatching(/\S/));
  });

  it('returns JSON that follows a json_schema response format', async () => {
    const { ctx } = context();
    const completion = await completeChat(
      adapter,
      {
        ...ask('Triage: "URGENT: payment failed"'),
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'triage', schema: triageSchema, strict: true },
        },
      },
      ctx,
    );
    const parsed = JSON.parse(completion.choices[0]?.message.content ?? 'null') as {
      priority: unknown;
      reasons: unknown;
    };
    expect(['low', 'high']).toContain(parsed.priority);
    expect(Array.isArray(parsed.reasons)).toBe(true);
  });

  it('streams the same answer, the last chunk carrying the usage', async () => {
    const { ctx } = context();
    const request = ask('Summarise: the deploy failed twice and then worked');
    const whole = await completeChat(adapter, request, ctx);
    const chunks = await collect(streamChat(adapter, { ...request, stream: true }, ctx));
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe(whole.choices[0]?.message.content);
    const usageChunks = chunks.filter((chunk) => chunk.usage != null);
    expect(usageChunks).toHaveLength(1);
    expect(chunks.at(-1)?.usage).toEqual(whole.usage);
    const finish = chunks.flatMap((chunk) => chunk.choices.map((c) => c.finish_reason));
    expect(finish.filter((reason) => reason != null)).toEqual(['stop']);
  });

  const faults: Array<[fault: string, type: ErrorType, check?: (error: ProviderError) => void]> = [
    ['rate_limit; retry_after=3', 'rate_limit', (error) => expect(error.retryAfterMs).toBe(3_000)],
    ['server_error', 'server'],
    ['unavailable', 'overloaded'],
    ['overloaded', 'overloaded'],
    ['context_length', 'context_window_exceeded'],
    ['content_policy', 'content_policy'],
    ['auth', 'auth'],
    ['not_found', 'not_found'],
    ['malformed_json', 'server', (error) => expect(error.code).toBe('malformed_response')],
    ['html_error', 'server'],
    ['empty_body', 'server', (error) => expect(error.code).toBe('malformed_response')],
    ['reset', 'connection'],
  ];

  it.each(faults)('classifies the %s fault as %s', async (fault, type, check) => {
    const { ctx, simName } = context();
    sim.addFaults([{ deployment: simName, fault, count: 1 }]);
    const error = await failure(completeChat(adapter, ask('hello'), ctx));
    expect(error.type).toBe(type);
    expect(error.toWire()).toMatchObject({ type, provider: providerOf(provider) });
    check?.(error);
  });

  it('classifies a provider that does not answer in time as timeout', async () => {
    const { ctx, simName } = context({ timeoutSeconds: 0.3 });
    sim.addFaults([{ deployment: simName, fault: 'timeout; ms=5000', count: 1 }]);
    const error = await failure(completeChat(adapter, ask('hello'), ctx));
    expect(error.type).toBe('timeout');
  });

  it('classifies a stream cut mid-way as a retryable connection error', async () => {
    const { ctx, simName } = context();
    sim.addFaults([{ deployment: simName, fault: 'cut_stream; after=2', count: 1 }]);
    const error = await failure(
      collect(streamChat(adapter, { ...ask('hello'), stream: true }, ctx)),
    );
    expect(error).toMatchObject({ type: 'connection', code: 'stream_cut' });
  });

  it('classifies a rate limit on a stream before any chunk', async () => {
    const { ctx, simName } = context();
    sim.addFaults([{ deployment: simName, fault: 'rate_limit; retry_after=1', count: 1 }]);
    const error = await failure(collect(streamChat(adapter, { ...ask('hi'), stream: true }, ctx)));
    expect(error).toMatchObject({ type: 'rate_limit', retryAfterMs: 1_000 });
  });
});
