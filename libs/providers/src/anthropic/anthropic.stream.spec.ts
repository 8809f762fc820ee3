import { chunkChoiceSchema } from '@switchyard/contracts';
import { describe, expect, it } from 'vitest';
import type { ProviderChunk, SseEvent } from '../adapter';
import { AnthropicStreamDecoder } from './anthropic.stream';
import { assemble, providerErrorOf, streamFixture } from './spec-helpers';

const now = Date.UTC(2026, 10, 25, 12, 0, 0);

function decode(events: readonly SseEvent[]) {
  const decoder = new AnthropicStreamDecoder(() => now);
  const chunks = events.flatMap((event) => decoder.push(event));
  return { decoder, chunks };
}

function event(data: Record<string, unknown>): SseEvent {
  return { event: String(data['type']), data: JSON.stringify(data) };
}

const start = event({
  type: 'message_start',
  message: {
    id: 'msg_01',
    type: 'message',
    role: 'assistant',
    content: [],
    model: 'claude-sonnet-4-5',
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 1 },
  },
});
const stop = event({ type: 'message_stop' });
const messageDelta = (stopReason: string, extra: Record<string, unknown> = {}) =>
  event({
    type: 'message_delta',
    delta: { stop_reason: stopReason, stop_sequence: null, ...extra },
    usage: { output_tokens: 7 },
  });

function expectValidChunks(chunks: readonly ProviderChunk[]) {
  for (const chunk of chunks) {
    expect(chunk.object).toBe('chat.completion.chunk');
    for (const choice of chunk.choices) expect(chunkChoiceSchema.parse(choice)).toEqual(choice);
  }
}

describe('AnthropicStreamDecoder', () => {
  it("decodes the streaming guide's basic stream (fixture)", () => {
    const { decoder, chunks } = decode(streamFixture('stream-text.json'));
    expectValidChunks(chunks);
    expect(chunks.map((chunk) => chunk.choices[0])).toEqual([
      { index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null },
      { index: 0, delta: { content: 'Hello' }, finish_reason: null },
      { index: 0, delta: { content: '!' }, finish_reason: null },
      { index: 0, delta: {}, finish_reason: 'stop' },
    ]);
    expect(chunks[0]).toMatchObject({
      id: 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY',
      model: 'claude-sonnet-4-5-20250929',
      created: now / 1000,
    });
    expect(decoder.end()).toEqual({
      finishReason: 'stop',
      usage: {
        prompt_tokens: 25,
        completion_tokens: 15,
        total_tokens: 40,
        prompt_tokens_details: { cached_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0 },
      },
    });
  });

  it("decodes the streaming guide's tool use stream (fixture)", () => {
    const { decoder, chunks } = decode(streamFixture('stream-tool-use.json'));
    expectValidChunks(chunks);
    const assembled = assemble(chunks);
    expect(assembled.role).toBe('assistant');
    expect(assembled.content).toBe("Okay, let's check the weather for San Francisco, CA:");
    expect(assembled.toolCalls).toEqual([
      {
        id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
        type: 'function',
        name: 'get_weather',
        arguments: '{"location": "San Francisco, CA", "unit": "fahrenheit"}',
      },
    ]);
    expect(JSON.parse(assembled.toolCalls[0]?.arguments ?? '')).toEqual({
      location: 'San Francisco, CA',
      unit: 'fahrenheit',
    });
    expect(assembled.finishReasons).toEqual(['tool_calls']);
    const opening = chunks.find((chunk) => chunk.choices[0]?.delta.tool_calls !== undefined);
    expect(opening?.choices[0]?.delta.tool_calls).toEqual([
      {
        index: 0,
        id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
        type: 'function',
        function: { name: 'get_weather', arguments: '' },
      },
    ]);
    expect(decoder.end()).toMatchObject({
      finishReason: 'tool_calls',
      usage: { prompt_tokens: 472, completion_tokens: 89, total_tokens: 561 },
    });
  });

  it('numbers tool calls from 0 whatever their block index, and gives {} to a call without input', () => {
    const { decoder, chunks } = decode([
      start,
      event({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
      event({ type: 'content_block_stop', index: 0 }),
      event({
        type: 'content_block_start',
        index: 1,
        content_block: { type: 'tool_use', id: 'toolu_a', name: 'now', input: {} },
      }),
      event({ type: 'content_block_stop', index: 1 }),
      event({
        type: 'content_block_start',
        index: 2,
        content_block: { type: 'tool_use', id: 'toolu_b', name: 'get_weather', input: {} },
      }),
      event({
        type: 'content_block_delta',
        index: 2,
        delta: { type: 'input_json_delta', partial_json: '{"location":"Oslo"}' },
      }),
      event({ type: 'content_block_stop', index: 2 }),
      messageDelta('tool_use'),
      stop,
    ]);
    expect(assemble(chunks).toolCalls).toEqual([
      { id: 'toolu_a', type: 'function', name: 'now', arguments: '{}' },
      { id: 'toolu_b', type: 'function', name: 'get_weather', arguments: '{"location":"Oslo"}' },
    ]);
    expect(decoder.end().finishReason).toBe('tool_calls');
  });

  it("ignores thinking and signature deltas in the guide's extended thinking stream (fixture)", () => {
    const { decoder, chunks } = decode(streamFixture('stream-thinking.json'));
    expect(assemble(chunks)).toMatchObject({
      content: '27 * 453 = 12,231',
      finishReasons: ['stop'],
    });
    expect(decoder.end().usage).toMatchObject({ prompt_tokens: 0, completion_tokens: 0 });
  });

  it('streams the JSON-mode tool input as content, finish_reason stop', () => {
    const { decoder, chunks } = decode([
      start,
      event({
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'tool_use', id: 'toolu_j', name: 'json_response', input: {} },
      }),
      event({
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'input_json_delta', partial_json: '' },
      }),
      event({
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'input_json_delta', partial_json: '{"label": ' },
      }),
      event({
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'input_json_delta', partial_json: '"spam"}' },
      }),
      event({ type: 'content_block_stop', index: 0 }),
      messageDelta('tool_use'),
      stop,
    ]);
    const assembled = assemble(chunks);
    expect(assembled.content).toBe('{"label": "spam"}');
    expect(assembled.toolCalls).toEqual([]);
    expect(assembled.finishReasons).toEqual(['stop']);
    expect(decoder.end().finishReason).toBe('stop');
  });

  it('ends a refusal with content_filter and the explanation', () => {
    const { decoder, chunks } = decode([
      start,
      messageDelta('refusal', {
        stop_details: { type: 'refusal', category: 'bio', explanation: 'Declined.' },
      }),
      stop,
    ]);
    expect(assemble(chunks)).toMatchObject({
      refusal: 'Declined.',
      finishReasons: ['content_filter'],
    });
    expect(decoder.end().finishReason).toBe('content_filter');
  });

  it('takes the latest cumulative usage, cache counts included', () => {
    const { decoder } = decode([
      event({
        type: 'message_start',
        message: {
          id: 'msg_02',
          model: 'claude-opus-5',
          usage: {
            input_tokens: 21,
            cache_creation_input_tokens: 0,
            cache_read_input_tokens: 188_086,
            output_tokens: 1,
          },
        },
      }),
      event({ type: 'message_delta', delta: { stop_reason: null }, usage: { output_tokens: 200 } }),
      event({
        type: 'message_delta',
        delta: { stop_reason: 'end_turn' },
        usage: {
          input_tokens: 21,
          cache_creation_input_tokens: null,
          output_tokens: 393,
          output_tokens_details: { thinking_tokens: 100 },
        },
      }),
      stop,
    ]);
    expect(decoder.end().usage).toEqual({
      prompt_tokens: 188_107,
      completion_tokens: 393,
      total_tokens: 188_500,
      prompt_tokens_details: { cached_tokens: 188_086 },
      completion_tokens_details: { reasoning_tokens: 100 },
    });
  });

  it('throws the classified error of an error event (fixture)', () => {
    const events = streamFixture('stream-error.json');
    const decoder = new AnthropicStreamDecoder(() => now);
    const chunks = events.slice(0, -1).flatMap((item) => decoder.push(item));
    expect(assemble(chunks).content).toBe('Hello');
    const last = events.at(-1);
    if (last === undefined) throw new Error('empty fixture');
    const error = providerErrorOf(() => decoder.push(last));
    expect(error).toMatchObject({
      type: 'overloaded',
      code: 'overloaded',
      message: 'Overloaded',
      provider: 'anthropic',
    });
    expect(error.providerStatus).toBeUndefined();
  });

  it('classifies a content-filter error event as content_policy', () => {
    const decoder = new AnthropicStreamDecoder(() => now);
    decoder.push(start);
    const error = providerErrorOf(() =>
      decoder.push(
        event({
          type: 'error',
          error: {
            details: null,
            type: 'invalid_request_error',
            message: 'Output blocked by content filtering policy',
          },
        }),
      ),
    );
    expect(error).toMatchObject({ type: 'content_policy', code: 'content_policy_violation' });
  });

  it('throws connection / stream_cut when the stream ends before message_stop', () => {
    const events = streamFixture('stream-text.json');
    const { decoder } = decode(events.slice(0, -1));
    expect(providerErrorOf(() => decoder.end())).toMatchObject({
      type: 'connection',
      code: 'stream_cut',
      provider: 'anthropic',
    });
    expect(providerErrorOf(() => new AnthropicStreamDecoder().end())).toMatchObject({
      code: 'stream_cut',
    });
  });

  it('skips event types added later and anything after message_stop', () => {
    const { decoder, chunks } = decode([
      start,
      event({ type: 'message_annotation', note: 'new in a later version' }),
      messageDelta('end_turn'),
      stop,
      event({ type: 'content_block_delta', index: 9, delta: { type: 'text_delta', text: 'late' } }),
    ]);
    expect(assemble(chunks).content).toBe('');
    expect(decoder.end().finishReason).toBe('stop');
  });

  it.each([
    ['data that is not JSON', [{ event: 'message_start', data: '{"type": "message_st' }]],
    [
      'content before message_start',
      [event({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } })],
    ],
    [
      'a delta for a block that never started',
      [
        start,
        event({ type: 'content_block_delta', index: 3, delta: { type: 'text_delta', text: 'x' } }),
      ],
    ],
    ['a message_start without id', [event({ type: 'message_start', message: { model: 'm' } })]],
    ['a second message_start', [start, start]],
  ])('rejects %s as server / malformed_response', (_name, events) => {
    const decoder = new AnthropicStreamDecoder(() => now);
    const error = providerErrorOf(() => events.forEach((item) => decoder.push(item)));
    expect(error).toMatchObject({ type: 'server', code: 'malformed_response' });
  });
});
