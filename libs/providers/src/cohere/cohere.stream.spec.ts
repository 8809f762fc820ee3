import type { ProviderChunk } from '../adapter';
import { describe, expect, it } from 'vitest';
import { CohereStreamDecoder } from './cohere.stream';
import { cohereContext, cohereStreamEvents } from './spec-helpers';

function decode(name: string): { chunks: ProviderChunk[]; decoder: CohereStreamDecoder } {
  const decoder = new CohereStreamDecoder(cohereContext());
  const chunks = cohereStreamEvents(name).flatMap((event) => decoder.push(event));
  return { chunks, decoder };
}

describe('CohereStreamDecoder', () => {
  it('turns a text stream into chunks: role first, text deltas, the finish reason last', () => {
    const { chunks, decoder } = decode('stream-text.json');
    expect(chunks.map((chunk) => chunk.choices[0]?.delta)).toEqual([
      { role: 'assistant' },
      { content: 'Hello' },
      { content: ' there' },
      {},
    ]);
    expect(chunks.map((chunk) => chunk.choices[0]?.finish_reason)).toEqual([
      null,
      null,
      null,
      'stop',
    ]);
    expect(new Set(chunks.map((chunk) => chunk.id))).toEqual(
      new Set(['29f14a5a-11de-4cae-9800-25e4747408ea']),
    );
    expect(decoder.end()).toEqual({
      finishReason: 'stop',
      usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    });
  });

  it('streams the tool plan as content and the tool call with its arguments in pieces', () => {
    const { chunks, decoder } = decode('stream-tool-call.json');
    const deltas = chunks.map((chunk) => chunk.choices[0]?.delta);
    expect(deltas.map((delta) => delta?.content ?? '').join('')).toBe('I will check.');
    const calls = deltas.flatMap((delta) => delta?.tool_calls ?? []);
    expect(calls[0]).toEqual({
      index: 0,
      id: 'get_weather_nsz5zm3w56q3',
      type: 'function',
      function: { name: 'get_weather', arguments: '' },
    });
    expect(calls.map((call) => call.function?.arguments ?? '').join('')).toBe(
      '{"location":"Toronto"}',
    );
    expect(calls.every((call) => call.index === 0)).toBe(true);
    expect(decoder.end().finishReason).toBe('tool_calls');
  });

  it('throws stream_cut when the stream stops before message-end', () => {
    const decoder = new CohereStreamDecoder(cohereContext());
    for (const event of cohereStreamEvents('stream-text.json').slice(0, 3)) decoder.push(event);
    expect(() => decoder.end()).toThrow(
      expect.objectContaining({ type: 'connection', code: 'stream_cut' }),
    );
  });

  it('throws a message-end with finish reason ERROR as a server error with its message', () => {
    const decoder = new CohereStreamDecoder(cohereContext());
    const end = {
      type: 'message-end',
      delta: { finish_reason: 'ERROR', error: 'internal server error' },
    };
    expect(() => decoder.push({ event: 'message-end', data: JSON.stringify(end) })).toThrow(
      expect.objectContaining({
        type: 'server',
        code: 'generation_error',
        message: 'internal server error',
      }),
    );
  });

  it('refuses an event that is not JSON and skips [DONE], citations and debug events', () => {
    const decoder = new CohereStreamDecoder(cohereContext());
    expect(decoder.push({ data: '[DONE]' })).toEqual([]);
    expect(decoder.push({ data: '{"type":"citation-start","index":0}' })).toEqual([]);
    expect(() => decoder.push({ data: '{"type":"content-del' })).toThrow(
      expect.objectContaining({ type: 'server', code: 'malformed_response' }),
    );
  });
});
