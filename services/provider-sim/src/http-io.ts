import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LatencyModel } from './latency';
import type { StreamFrame, WireResponse } from './providers/provider';

/** The largest request body the simulator reads. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** Reads the whole body as UTF-8, or says why not. */
export function readBody(
  req: IncomingMessage,
  limit = MAX_BODY_BYTES,
): Promise<{ ok: true; text: string } | { ok: false; reason: 'too_large' | 'aborted' }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (
      result: { ok: true; text: string } | { ok: false; reason: 'too_large' | 'aborted' },
    ): void => {
      if (done) return;
      done = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        finish({ ok: false, reason: 'too_large' });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      finish({
        ok: true,
        text:
          chunks.length === 1
            ? (chunks[0]?.toString('utf8') ?? '')
            : Buffer.concat(chunks).toString('utf8'),
      });
    });
    req.on('error', () => finish({ ok: false, reason: 'aborted' }));
    req.on('aborted', () => finish({ ok: false, reason: 'aborted' }));
  });
}

const gone = new WeakSet<ServerResponse>();

/** Starts watching for the client going away before the response is complete. */
export function trackGone(res: ServerResponse): void {
  res.once('close', () => {
    if (!res.writableFinished) gone.add(res);
  });
}

/** Whether the client went away before the response was complete. */
export function isGone(res: ServerResponse): boolean {
  return gone.has(res) || (res.destroyed && !res.writableFinished);
}

/** Waits `ms` (nothing for 0), ending early when the client goes away; false if it went. */
export function sleep(res: ServerResponse, ms: number): Promise<boolean> {
  if (isGone(res)) return Promise.resolve(false);
  if (!(ms > 0)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onClose = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(!isGone(res));
    }, ms);
    res.once('close', onClose);
  });
}

/** Waits until the client goes away (a request held with no answer). */
export function untilGone(res: ServerResponse): Promise<void> {
  if (isGone(res)) return Promise.resolve();
  return new Promise((resolve) => res.once('close', () => resolve()));
}

/** Writes a whole response. */
export function send(
  res: ServerResponse,
  response: WireResponse,
  extraHeaders: Record<string, string> = {},
): void {
  if (isGone(res)) return;
  const body = Buffer.from(response.body, 'utf8');
  res.writeHead(response.status, {
    ...extraHeaders,
    ...response.headers,
    'content-length': String(body.length),
  });
  res.end(body);
}

/** What happens after `after` frames of a stream. */
export type StreamInterrupt =
  | { after: number; action: 'end' }
  | { after: number; action: 'destroy' }
  | { after: number; action: 'hold'; ms?: number }
  | { after: number; action: 'error'; frame: string | Uint8Array };

/** How a played stream ended. */
export type StreamOutcome = 'complete' | 'aborted' | 'interrupted';

/**
 * Plays a stream: waits the time to first token, writes the headers and the first frames, then
 * spaces later frames by their tokens (frames with no tokens go out with the next write). An
 * interrupt stops it after `after` frames: end the response, destroy the socket, hold (then
 * go on, or forever), or write an error event and end.
 */
export async function playStream(
  res: ServerResponse,
  frames: readonly StreamFrame[],
  options: {
    status: number;
    headers: Record<string, string>;
    latency: LatencyModel;
    interrupt?: StreamInterrupt;
  },
): Promise<StreamOutcome> {
  const { latency, interrupt } = options;
  const stopAt =
    interrupt !== undefined ? Math.min(Math.max(interrupt.after, 0), frames.length) : frames.length;
  if (!(await sleep(res, latency.firstDelay()))) return 'aborted';
  res.writeHead(options.status, { 'cache-control': 'no-cache', ...options.headers });
  let buffer: (string | Uint8Array)[] = [];
  let contentSeen = false;
  const flush = (): void => {
    if (buffer.length === 0) return;
    const binary = buffer.some((part) => typeof part !== 'string');
    res.write(binary ? Buffer.concat(buffer.map((part) => Buffer.from(part))) : buffer.join(''));
    buffer = [];
  };
  const playRange = async (from: number, to: number): Promise<boolean> => {
    for (let i = from; i < to; i++) {
      const frame = frames[i];
      if (frame === undefined) continue;
      if (frame.tokens > 0) {
        const wait = contentSeen ? latency.tokenDelay(frame.tokens) : 0;
        contentSeen = true;
        if (wait > 0) {
          flush();
          if (!(await sleep(res, wait))) return false;
        }
      }
      buffer.push(frame.bytes ?? frame.text);
    }
    return true;
  };
  if (!(await playRange(0, stopAt))) return 'aborted';
  flush();
  if (interrupt !== undefined && stopAt < frames.length) {
    switch (interrupt.action) {
      case 'end':
        res.end();
        return 'interrupted';
      case 'destroy':
        res.socket?.destroy();
        res.destroy();
        return 'interrupted';
      case 'error':
        res.end(interrupt.frame);
        return 'interrupted';
      case 'hold':
        if (interrupt.ms === undefined) {
          await untilGone(res);
          return 'aborted';
        }
        if (!(await sleep(res, interrupt.ms))) return 'aborted';
        if (!(await playRange(stopAt, frames.length))) return 'aborted';
        flush();
    }
  }
  if (isGone(res)) return 'aborted';
  res.end();
  return 'complete';
}
