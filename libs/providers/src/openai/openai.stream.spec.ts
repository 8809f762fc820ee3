import { chunkChoiceSchema } from '@switchyard/contracts';
import { describe, expect, it } from 'vitest';
import type { ProviderChunk, SseEvent } from '../adapter';
import { ProviderError } from '../provider-error';
import { readStreamFixture } from '../spec-helpers/fixtures';
import { openAiCompatibleProviders } from './index';
import { OpenAiStreamDecoder } from './openai.stream';

function decoder(name = 'openai'): OpenAiStreamDecoder {
  const config = openAiCompatibleProviders.find((provider) => provider.name === name);
  if (config === undefined) throw new Error(`no provider ${name}`);
  return new OpenAiStreamDecoder(config, 'gpt-4o-mini');
}

function pushAll(target: OpenAiStreamDecoder, datas: readonly string[]): ProviderChunk[] {
  return datas.flatMap((data) => target.push({ data }));
}

function thrown(action: () => unknown): ProviderError {
  try {
    action();
  } catch (error) {
    if (error instanceof ProviderError) return error;
    throw error;
  }
  throw new Error('expected a ProviderError');
}

const fixture = (name: string): string[] => readStreamFixture(import.meta.dirname, name);

describe('OpenAiStreamDecoder', () => {
  it("decodes OpenAI's published text stream and its usage-only last chunk", () => {
    const stream = decoder();
    const chunks = pushAll(stream, fixture('stream-text.json'));
    expect(chunks).toHaveLength(4);
    expect(chunks[0]).toEqual({
      id: 'chatcmpl-123',
      object: 'chat.completion.chunk',
      created: 1694268190,
      model: 'gpt-4o-mini',
      system_fingerprint: 'fp_44709d6fcb',
      choices: [
        {
          index: 0,
          delta: { role: 'assistant', content: '' },
          finish_reason: null,
          logprobs: null,
        },
      ],
    });
    for (const chunk of chunks) {
      expect(chunk).not.toHaveProperty('usage');
      for (const choice of chunk.choices)
        expect(chunkChoiceSchema.safeParse(choice).success).toBe(true);
    }
    expect(chunks[3]?.choices[0]?.finish_reason).toBe('stop');
    expect(stream.end()).toEqual({
      finishReason: 'stop',
      usage: {
        prompt_tokens: 9,
        completion_tokens: 12,
        total_tokens: 21,
        prompt_tokens_details: { cached_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0 },
      },
    });
  });

  it('passes tool-call deltas through, nulls removed, and reports tool_calls', () => {
    const stream = decoder();
    const chunks = pushAll(stream, fixture('stream-tool-calls.json'));
    const deltas = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    expect(deltas[0]).toEqual({
      index: 0,
      id: 'call_DdmO9pD3xa9XTPNJ32zg2hcA',
      type: 'function',
      function: { name: 'get_weather', arguments: '' },
    });
    expect(deltas[1]).toEqual({ index: 0, function: { arguments: '{"' } });
    expect(deltas.map((delta) => delta.function?.arguments ?? '').join('')).toBe(
      '{"location":"Paris, France"}',
    );
    expect(stream.end()).toMatchObject({ finishReason: 'tool_calls', usage: { total_tokens: 82 } });
  });

  it("reads Groq's usage from x_groq", () => {
    const stream = decoder('groq');
    pushAll(stream, fixture('groq-stream-x-groq-usage.json'));
    expect(stream.end().usage).toMatchObject({
      prompt_tokens: 40,
      completion_tokens: 2,
      total_tokens: 42,
    });
  });

  it("skips Azure's prompt-filter chunk (empty id and model, created 0)", () => {
    const stream = decoder('azure');
    const chunks = pushAll(stream, fixture('azure-stream-prompt-filter-first.json'));
    expect(chunks.map((chunk) => chunk.id)).toEqual([
      'chatcmpl-9vXyZ',
      'chatcmpl-9vXyZ',
      'chatcmpl-9vXyZ',
    ]);
    expect(chunks.every((chunk) => chunk.created === 1723540573)).toBe(true);
    expect(stream.end().usage.total_tokens).toBe(10);
  });

  it('throws connection / stream_cut from end() when [DONE] never came', () => {
    const stream = decoder();
    pushAll(stream, fixture('stream-text.json').slice(0, -1));
    expect(thrown(() => stream.end())).toMatchObject({ type: 'connection', code: 'stream_cut' });
  });

  it('accepts a Perplexity stream that ends on a finish reason without [DONE], but not one cut before', () => {
    const events = fixture('perplexity-stream-no-done.json');
    const complete = decoder('perplexity');
    pushAll(complete, events);
    expect(complete.end()).toMatchObject({ finishReason: 'stop', usage: { total_tokens: 19 } });
    const cut = decoder('perplexity');
    pushAll(cut, events.slice(0, 1));
    expect(thrown(() => cut.end()).code).toBe('stream_cut');
  });

  it('does not accept a finish reason without [DONE] from OpenAI itself', () => {
    const stream = decoder('openai');
    pushAll(stream, fixture('stream-text.json').slice(0, 4));
    expect(thrown(() => stream.end()).code).toBe('stream_cut');
  });

  it('throws the classified error an error event carries', () => {
    const stream = decoder();
    const events = fixture('stream-error.json');
    expect(stream.push({ data: events[0] ?? '' })).toHaveLength(1);
    expect(thrown(() => stream.push({ data: events[1] ?? '' }))).toMatchObject({
      type: 'server',
      code: 'server_error',
      message: 'The server had an error while processing your request. Sorry about that!',
    });
  });

  it('classifies an OpenRouter mid-stream error by its numeric code', () => {
    const event: SseEvent = {
      data: JSON.stringify({
        id: 'gen-1',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'openai/gpt-4o',
        error: { code: 502, message: 'Provider disconnected unexpectedly' },
        choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }],
      }),
    };
    expect(thrown(() => decoder('openrouter').push(event))).toMatchObject({
      type: 'server',
      providerStatus: 502,
      message: 'Provider disconnected unexpectedly',
    });
  });

  it('classifies a rate limit reported inside a stream as retryable rate_limit', () => {
    const event = {
      data: JSON.stringify({
        error: {
          message: 'Rate limit reached. Please try again in 20ms.',
          type: 'tokens',
          code: 'rate_limit_exceeded',
        },
      }),
    };
    expect(thrown(() => decoder().push(event))).toMatchObject({
      type: 'rate_limit',
      code: 'rate_limit_exceeded',
      retryAfterMs: 20,
    });
  });

  it('refuses an event that is not JSON, or not a chunk', () => {
    expect(thrown(() => decoder().push({ data: '{"id": "x", "choices": [' }))).toMatchObject({
      type: 'server',
      code: 'malformed_response',
    });
    expect(thrown(() => decoder().push({ data: '{"choices": "none"}' }))).toMatchObject({
      code: 'malformed_response',
    });
  });

  it('ignores events after [DONE] and empty data events', () => {
    const stream = decoder();
    expect(stream.push({ data: '' })).toEqual([]);
    expect(stream.push({ data: '[DONE]' })).toEqual([]);
    expect(stream.push({ data: 'garbage after the end' })).toEqual([]);
    expect(stream.end().finishReason).toBe('stop');
  });

  it('treats an empty finish reason as none and reports tool_calls at the end (xAI)', () => {
    const stream = decoder('xai');
    const chunks = pushAll(stream, [
      JSON.stringify({
        id: 'x',
        created: 1,
        model: 'grok-3',
        choices: [
          {
            index: 0,
            delta: {
              tool_calls: [
                { id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } },
              ],
            },
            finish_reason: '',
          },
        ],
      }),
      '[DONE]',
    ]);
    expect(chunks[0]?.choices[0]?.finish_reason).toBeNull();
    expect(stream.end().finishReason).toBe('tool_calls');
  });
});
