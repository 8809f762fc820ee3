import { once } from 'node:events';
import type { ServerResponse } from 'node:http';

/**
 * Writes server-sent events to a raw Node response, honouring backpressure: `write` waits for
 * `drain` when the socket's buffer is full, so a slow reader slows the stream instead of
 * growing the gateway's memory. Once the response is closed (the client went away), writes
 * are dropped and `closed` is true.
 */
export class SseWriter {
  private started = false;

  constructor(private readonly res: ServerResponse) {}

  /** Whether the client is gone or the stream ended. */
  get closed(): boolean {
    return this.res.destroyed || this.res.writableEnded;
  }

  /** Whether the status line and headers were sent. */
  get headersSent(): boolean {
    return this.started;
  }

  /** Sends the 200 and the event-stream headers (`extra` added). */
  start(extra: Record<string, string> = {}): void {
    if (this.started) return;
    this.started = true;
    this.res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      ...extra,
    });
    this.res.flushHeaders();
  }

  /** Writes one frame; resolves once the socket can take more (or the client is gone). */
  async write(frame: string): Promise<void> {
    if (this.closed) return;
    if (this.res.write(frame)) return;
    await Promise.race([once(this.res, 'drain'), once(this.res, 'close')]);
  }

  /** Ends the response. */
  end(): void {
    if (!this.closed) this.res.end();
  }
}
