import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SseEvent } from '../adapter';
import { SseParser } from './sse-parser';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

function parseAll(chunks: readonly (Uint8Array | string)[]): {
  events: SseEvent[];
  pending: boolean;
} {
  const parser = new SseParser();
  const events = chunks.flatMap((chunk) => parser.push(chunk));
  return { events, pending: parser.pending };
}

/** Splits `bytes` at the given cut points (any positions, duplicates allowed). */
function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let start = 0;
  for (const point of points) {
    parts.push(bytes.subarray(start, point));
    start = point;
  }
  parts.push(bytes.subarray(start));
  return parts;
}

describe('SseParser', () => {
  it('reads data-only events as OpenAI sends them', () => {
    const { events } = parseAll([encode('data: {"a":1}\n\ndata: [DONE]\n\n')]);
    expect(events).toEqual([{ data: '{"a":1}' }, { data: '[DONE]' }]);
  });

  it('reads named events as Anthropic sends them', () => {
    const text =
      'event: message_start\ndata: {"type":"message_start"}\n\nevent: ping\ndata: {"type": "ping"}\n\n';
    expect(parseAll([text]).events).toEqual([
      { event: 'message_start', data: '{"type":"message_start"}' },
      { event: 'ping', data: '{"type": "ping"}' },
    ]);
  });

  it('joins several data lines with a newline', () => {
    expect(parseAll(['data: first\ndata: second\ndata:third\n\n']).events).toEqual([
      { data: 'first\nsecond\nthird' },
    ]);
  });

  it('keeps an empty data line as an empty string, and joins empty lines', () => {
    expect(parseAll(['data:\n\ndata\ndata\n\n']).events).toEqual([{ data: '' }, { data: '\n' }]);
  });

  it('removes only one space after the colon', () => {
    expect(parseAll(['data:  two spaces\n\n']).events).toEqual([{ data: ' two spaces' }]);
  });

  it('ignores comments, id, retry and unknown fields', () => {
    const text = ': OPENROUTER PROCESSING\n\nid: 7\nretry: 1000\nfoo: bar\ndata: x\n\n';
    expect(parseAll([text]).events).toEqual([{ data: 'x' }]);
  });

  it('does not dispatch an event without data, and forgets its type', () => {
    expect(parseAll(['event: ping\n\ndata: x\n\n']).events).toEqual([{ data: 'x' }]);
  });

  it('accepts CRLF, CR and LF line ends, mixed', () => {
    const text = 'event: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\rdata: 3\n\n';
    expect(parseAll([text]).events).toEqual([
      { event: 'a', data: '1' },
      { event: 'b', data: '2' },
      { data: '3' },
    ]);
  });

  it('treats CR then LF across two chunks as one line end', () => {
    const { events } = parseAll(['data: 1\r', '\n\r', '\ndata: 2\r\n\r\n']);
    expect(events).toEqual([{ data: '1' }, { data: '2' }]);
  });

  it('decodes a multi-byte character split between chunks', () => {
    const bytes = encode('data: héllo 🚀 wörld\n\n');
    const rocket = bytes.indexOf(0xf0);
    const parts = [
      bytes.subarray(0, rocket + 1),
      bytes.subarray(rocket + 1, rocket + 3),
      bytes.subarray(rocket + 3),
    ];
    expect(parseAll(parts).events).toEqual([{ data: 'héllo 🚀 wörld' }]);
  });

  it('skips a leading byte-order mark', () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf]);
    expect(parseAll([bom.subarray(0, 2), bom.subarray(2), encode('data: x\n\n')]).events).toEqual([
      { data: 'x' },
    ]);
  });

  it('does not dispatch a last event without its blank line (a cut stream)', () => {
    const { events, pending } = parseAll(['data: 1\n\ndata: 2\n']);
    expect(events).toEqual([{ data: '1' }]);
    expect(pending).toBe(true);
  });

  it('reports a half-written line as pending, and a clean end as not', () => {
    expect(parseAll(['data: 1\n\ndata: 2']).pending).toBe(true);
    expect(parseAll(['data: 1\n\n']).pending).toBe(false);
  });

  it('gives the same events for any split of the same bytes (property)', () => {
    const line = fc.oneof(
      fc
        .string({ unit: 'grapheme', maxLength: 12 })
        .map((text) => `data: ${text.replace(/[\r\n]/g, ' ')}`),
      fc.constantFrom('event: delta', ': keep-alive', 'id: 3', 'retry: 10', 'data', 'data:'),
    );
    const event = fc.array(line, { minLength: 1, maxLength: 4 });
    const newline = fc.constantFrom('\n', '\r\n', '\r');
    const stream = fc
      .tuple(fc.array(fc.tuple(event, newline), { maxLength: 6 }), fc.boolean())
      .map(
        ([events, bom]) =>
          (bom ? '\ufeff' : '') +
          events.map(([lines, end]) => lines.map((l) => l + end).join('') + end).join(''),
      );
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 20 }), (text, cuts) => {
        const bytes = encode(text);
        const whole = parseAll([bytes]);
        const split = parseAll(splitAt(bytes, cuts));
        const byteByByte = parseAll([...bytes].map((byte) => new Uint8Array([byte])));
        expect(split.events).toEqual(whole.events);
        expect(byteByByte.events).toEqual(whole.events);
      }),
      { numRuns: 300 },
    );
  });

  it('dispatches exactly the events the stream completes (property)', () => {
    const payload = fc.string({ maxLength: 20 }).map((text) => text.replace(/[\r\n]/g, ''));
    fc.assert(
      fc.property(
        fc.array(payload, { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (datas, cuts) => {
          const text = datas.map((data) => `data: ${data}\r\n\r\n`).join('');
          const { events } = parseAll(splitAt(encode(text), cuts));
          expect(events).toEqual(datas.map((data) => ({ data })));
        },
      ),
      { numRuns: 200 },
    );
  });
});
