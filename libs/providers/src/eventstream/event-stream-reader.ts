import { EventStreamCodec } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import type { SseEvent } from '../adapter';
import { ProviderError } from '../provider-error';

/** What the stream layer reads provider events with: bytes in, whole events out. */
export interface StreamEventReader {
  push(chunk: Uint8Array): SseEvent[];
}

type Decoded = ReturnType<EventStreamCodec['decode']>;

function headerText(message: Decoded, name: string): string | undefined {
  const header = message.headers[name];
  return header?.type === 'string' ? header.value : undefined;
}

/**
 * Reads AWS's binary event stream (`application/vnd.amazon.eventstream`): frames of a prelude
 * (total length, headers length, prelude CRC32), headers, a payload and a message CRC32. Each
 * frame becomes one event, so that stream decoders keep their SSE-shaped contract:
 * `:message-type` `event` → `{event: <:event-type>, data: <payload>}`; `exception` →
 * `{event: <:exception-type>, data: <payload>}` (a name ending in `Exception`); `error` →
 * `{event: <:error-code>…Exception, data: {"message": <:error-message>}}`. A frame split across chunks is
 * kept until it is whole. A frame whose CRC32 or lengths are wrong is a `server` /
 * `malformed_response` ProviderError.
 */
export class EventStreamReader implements StreamEventReader {
  private readonly codec = new EventStreamCodec(toUtf8, fromUtf8);
  private pending: Uint8Array = new Uint8Array(0);

  constructor(private readonly provider: string) {}

  push(chunk: Uint8Array): SseEvent[] {
    const buffer = new Uint8Array(this.pending.length + chunk.length);
    buffer.set(this.pending, 0);
    buffer.set(chunk, this.pending.length);
    const events: SseEvent[] = [];
    let offset = 0;
    while (buffer.length - offset >= 4) {
      const view = new DataView(buffer.buffer, buffer.byteOffset + offset);
      const total = view.getUint32(0, false);
      if (total < 16) throw this.malformed(`an event-stream frame of ${total} bytes`);
      if (buffer.length - offset < total) break;
      events.push(this.toEvent(this.decode(buffer.subarray(offset, offset + total))));
      offset += total;
    }
    this.pending = buffer.slice(offset);
    return events;
  }

  private decode(frame: Uint8Array): Decoded {
    try {
      return this.codec.decode(frame);
    } catch (error) {
      throw this.malformed('an unreadable event-stream frame', error);
    }
  }

  private toEvent(message: Decoded): SseEvent {
    const data = toUtf8(message.body);
    switch (headerText(message, ':message-type')) {
      case 'exception':
        return { event: headerText(message, ':exception-type') ?? 'unknownException', data };
      case 'error': {
        const code = headerText(message, ':error-code') ?? 'unknownError';
        return {
          event: code.endsWith('Exception') ? code : `${code}Exception`,
          data: JSON.stringify({ message: headerText(message, ':error-message') ?? '' }),
        };
      }
      default: {
        const event = headerText(message, ':event-type');
        return event === undefined ? { data } : { event, data };
      }
    }
  }

  private malformed(what: string, cause?: unknown): ProviderError {
    const reason = cause instanceof Error ? `: ${cause.message}` : '';
    return new ProviderError(
      'server',
      'malformed_response',
      `${this.provider} sent ${what}${reason}`,
      {
        provider: this.provider,
        ...(cause === undefined ? {} : { cause }),
      },
    );
  }
}
