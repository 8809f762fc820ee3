import { describe, expect, it } from 'vitest';
import type { ProviderChunk } from '../adapter';
import { GeminiStreamDecoder } from './gemini.stream';
import { geminiContext, providerErrorOf } from './spec-helpers';
import streamText from './fixtures/stream-text.json';
import streamFunctionCall from './fixtures/stream-function-call.json';
import streamSafetyBlocked from './fixtures/stream-safety-blocked.json';
import promptBlocked from './fixtures/response-prompt-blocked.json';
import internal from './fixtures/error-500-internal.json';
import resourceExhausted from './fixtures/error-429-resource-exhausted.json';

function decoder(): GeminiStreamDecoder {
  return new GeminiStreamDecoder(geminiContext());
}

function pushAll(stream: GeminiStreamDecoder, events: readonly unknown[]): ProviderChunk[] {
  return events.flatMap((event) => stream.push({ data: JSON.stringify(event) }));
}

describe('GeminiStreamDecoder', () => {
  it('streams text: role first, one delta per event, finish reason on the last', () => {
    const stream = decoder();
    const chunks = pushAll(stream, streamText);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta)).toEqual([
      { role: 'assistant', content: 'The' },
      { content: ' sky is blue because air scatters blue light' },
      { content: ' more than red light.' },
    ]);
    expect(chunks.map((chunk) => chunk.choices[0]?.finish_reason)).toEqual([null, null, 'stop']);
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({
        id: 'mQxTaeXCFsbbz7IP6vW9oAk',
        object: 'chat.completion.chunk',
        model: 'gemini-2.5-flash',
      });
      expect(chunk.usage ?? undefined).toBeUndefined();
    }
    expect(new Set(chunks.map((chunk) => chunk.created)).size).toBe(1);
  });

  it('reports the last usage and the finish reason at the end', () => {
    const stream = decoder();
    pushAll(stream, streamText);
    expect(stream.end()).toEqual({
      finishReason: 'stop',
      usage: {
        prompt_tokens: 9,
        completion_tokens: 14 + 495,
        total_tokens: 518,
        completion_tokens_details: { reasoning_tokens: 495 },
      },
    });
  });

  it('streams each function call as one complete tool_calls delta', () => {
    const stream = decoder();
    const chunks = pushAll(stream, streamFunctionCall);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta)).toEqual([
      {
        role: 'assistant',
        tool_calls: [
          {
            index: 0,
            id: 'call_a1BzaZ2uNaqHz7IPrp2ZsQ0_0__thought__EjQKMgEMOdbHk2xJ0u5S1QJ6Ck2w0hZ8bA==',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"location":"Paris"}' },
          },
        ],
      },
      {
        tool_calls: [
          {
            index: 1,
            id: 'call_a1BzaZ2uNaqHz7IPrp2ZsQ0_1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"location":"London"}' },
          },
        ],
      },
    ]);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
    expect(stream.end().finishReason).toBe('tool_calls');
  });

  it('ends with stream_cut when no event carried a finish reason', () => {
    const stream = decoder();
    pushAll(stream, streamText.slice(0, 2));
    expect(providerErrorOf(() => stream.end())).toMatchObject({
      type: 'connection',
      code: 'stream_cut',
    });
  });

  it('ends with stream_cut when no event came at all', () => {
    expect(providerErrorOf(() => decoder().end())).toMatchObject({ code: 'stream_cut' });
  });

  it('keeps reading events after the finish reason (a trailing usage event)', () => {
    const stream = decoder();
    pushAll(stream, streamText);
    const trailing = {
      usageMetadata: { promptTokenCount: 9, candidatesTokenCount: 15, totalTokenCount: 24 },
      responseId: 'mQxTaeXCFsbbz7IP6vW9oAk',
    };
    expect(stream.push({ data: JSON.stringify(trailing) })).toEqual([]);
    expect(stream.end().usage).toEqual({
      prompt_tokens: 9,
      completion_tokens: 15,
      total_tokens: 24,
    });
  });

  it('sends no chunk for an event holding only thoughts, and no role twice', () => {
    const stream = decoder();
    const thought = {
      candidates: [{ content: { parts: [{ text: 'Thinking…', thought: true }], role: 'model' } }],
      responseId: 't1',
    };
    expect(stream.push({ data: JSON.stringify(thought) })).toEqual([]);
    const text = {
      candidates: [
        { content: { parts: [{ text: 'Answer' }], role: 'model' }, finishReason: 'STOP' },
      ],
      responseId: 't1',
    };
    const [chunk] = stream.push({ data: JSON.stringify(text) });
    expect(chunk?.choices[0]?.delta).toEqual({ role: 'assistant', content: 'Answer' });
  });

  it('throws the classified error of an error event', () => {
    const stream = decoder();
    pushAll(stream, streamText.slice(0, 1));
    const error = providerErrorOf(() => stream.push({ data: JSON.stringify(internal) }));
    expect(error).toMatchObject({ type: 'server', code: 'internal', providerStatus: 500 });
  });

  it('keeps the RetryInfo delay of a rate-limit error event', () => {
    const error = providerErrorOf(() =>
      decoder().push({ data: JSON.stringify(resourceExhausted) }),
    );
    expect(error).toMatchObject({ type: 'rate_limit', retryAfterMs: 40_000 });
  });

  it('throws content_policy for a blocked prompt', () => {
    const error = providerErrorOf(() => decoder().push({ data: JSON.stringify(promptBlocked) }));
    expect(error).toMatchObject({ type: 'content_policy', code: 'prompt_blocked_safety' });
  });

  it('throws content_policy when the only candidate is withheld before any content', () => {
    const stream = decoder();
    expect(providerErrorOf(() => pushAll(stream, streamSafetyBlocked))).toMatchObject({
      type: 'content_policy',
      code: 'response_blocked_safety',
    });
  });

  it('finishes with content_filter when the filter stops a stream that already sent text', () => {
    const stream = decoder();
    const [first] = streamText;
    const blocked = {
      candidates: [{ content: { parts: [{ text: '' }], role: 'model' }, finishReason: 'SAFETY' }],
      responseId: 'mQxTaeXCFsbbz7IP6vW9oAk',
    };
    const chunks = pushAll(stream, [first, blocked]);
    expect(chunks.at(-1)?.choices[0]).toMatchObject({ delta: {}, finish_reason: 'content_filter' });
    expect(stream.end().finishReason).toBe('content_filter');
  });

  it('rejects an event that is not JSON', () => {
    expect(providerErrorOf(() => decoder().push({ data: '{"candidates": [' }))).toMatchObject({
      type: 'server',
      code: 'malformed_response',
    });
  });

  it('rejects an event that is not a GenerateContentResponse', () => {
    expect(providerErrorOf(() => decoder().push({ data: '{"candidates": 3}' }))).toMatchObject({
      code: 'malformed_response',
    });
  });

  it('ignores empty events and a stray [DONE]', () => {
    const stream = decoder();
    expect(stream.push({ data: '' })).toEqual([]);
    expect(stream.push({ data: '[DONE]' })).toEqual([]);
  });

  it('tracks each candidate of a multi-candidate stream', () => {
    const stream = decoder();
    const event = (index: number, text: string, finishReason?: string) => ({
      candidates: [
        {
          content: { parts: [{ text }], role: 'model' },
          index,
          ...(finishReason ? { finishReason } : {}),
        },
      ],
      responseId: 'm1',
    });
    const chunks = pushAll(stream, [event(0, 'A'), event(1, 'B'), event(0, 'a', 'STOP')]);
    expect(chunks.map((chunk) => chunk.choices[0])).toMatchObject([
      { index: 0, delta: { role: 'assistant', content: 'A' } },
      { index: 1, delta: { role: 'assistant', content: 'B' } },
      { index: 0, delta: { content: 'a' }, finish_reason: 'stop' },
    ]);
    expect(providerErrorOf(() => stream.end()).code).toBe('stream_cut');
    stream.push({ data: JSON.stringify(event(1, 'b', 'MAX_TOKENS')) });
    expect(stream.end().finishReason).toBe('stop');
  });
});
