import type { SseEvent } from '../adapter';

const LF = 0x0a;
const CR = 0x0d;

/**
 * A streaming parser of `text/event-stream` bodies, following the WHATWG HTML "event stream
 * interpretation" rules: UTF-8 (a leading BOM is skipped), lines ended by CRLF, LF or CR,
 * `event:` and `data:` fields (several `data:` lines join with "\n"), comment lines (`:`)
 * and `id:` / `retry:` ignored, an event dispatched at each blank line. Chunks may split the
 * stream anywhere, including inside a multi-byte character or between CR and LF.
 *
 * An event whose blank line never arrived is not dispatched: the stream was cut, and
 * `pending` says whether anything was left unfinished.
 */
export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  private line = '';
  private data: string[] = [];
  private eventType = '';
  private sawBomCheck = false;
  private skipLeadingLf = false;

  /** Feeds the next piece of the body and returns the events it completed, in order. */
  push(chunk: Uint8Array | string): SseEvent[] {
    let text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    if (!this.sawBomCheck && text.length > 0) {
      this.sawBomCheck = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const events: SseEvent[] = [];
    let start = 0;
    if (this.skipLeadingLf && text.length > 0) {
      this.skipLeadingLf = false;
      if (text.charCodeAt(0) === LF) start = 1;
    }
    for (let index = start; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (code !== LF && code !== CR) continue;
      const line = this.line + text.slice(start, index);
      this.line = '';
      if (code === CR) {
        if (index + 1 < text.length) {
          if (text.charCodeAt(index + 1) === LF) index++;
        } else {
          this.skipLeadingLf = true;
        }
      }
      start = index + 1;
      const event = this.processLine(line);
      if (event !== undefined) events.push(event);
    }
    this.line += text.slice(start);
    return events;
  }

  /** Whether the stream so far ends inside a line or an event that was never dispatched. */
  get pending(): boolean {
    return this.line.length > 0 || this.data.length > 0 || this.eventType.length > 0;
  }

  private processLine(line: string): SseEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.charCodeAt(0) === 0x3a) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 0x20) value = value.slice(1);
    if (field === 'event') this.eventType = value;
    else if (field === 'data') this.data.push(value);
    return undefined;
  }

  private dispatch(): SseEvent | undefined {
    const eventType = this.eventType;
    const data = this.data;
    this.eventType = '';
    this.data = [];
    if (data.length === 0) return undefined;
    const joined = data.join('\n');
    return eventType === '' ? { data: joined } : { event: eventType, data: joined };
  }
}
