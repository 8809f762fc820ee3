import { EventEmitter } from 'node:events';
import type { Dispatcher } from 'undici';
import type { ProviderHttpRequest, ResponseHeaders } from '../adapter';
import { ProviderError } from '../provider-error';
import { networkError } from './network-error';
import { PoolRegistry, defaultPoolSettings, type PoolSettings } from './pool-registry';

/** How one provider call may run. */
export interface ExchangeOptions {
  /** The provider being called, for the errors. */
  readonly provider: string;
  /**
   * The deployment's `timeoutMs`: the longest the whole call may take (connect, headers and
   * the full body, streamed or not).
   */
  readonly timeoutMs: number;
  /**
   * The longest wait for the response headers.
   * @defaultValue timeoutMs
   */
  readonly headersTimeoutMs?: number;
  /**
   * The longest silence between two pieces of the body (a stalled stream).
   * @defaultValue timeoutMs
   */
  readonly idleTimeoutMs?: number;
  /** The caller's cancellation: aborting it cancels the request and frees its connection. */
  readonly signal?: AbortSignal;
  /** The error code when the body stops early (`stream_cut` for streams). */
  readonly cutCode?: string;
}

/** The result of reading a body with a size limit. */
export interface BoundedText {
  readonly text: string;
  /** Whether the body was longer than the limit (the rest was not read). */
  readonly truncated: boolean;
}

type ResponseBody = Dispatcher.ResponseData['body'];

function toResponseHeaders(headers: Dispatcher.ResponseData['headers']): ResponseHeaders {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    result[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}

/**
 * One request in flight: the status and headers are known, the body is still to be read.
 * Owns the call's overall timer and its abort wiring; `release` (called by the readers when
 * they finish, fail or are abandoned) frees the connection and the timer.
 */
export class ProviderExchange {
  private released = false;

  /** @internal */
  constructor(
    readonly status: number,
    readonly headers: ResponseHeaders,
    private readonly body: ResponseBody,
    private readonly lifetime: ExchangeLifetime,
  ) {}

  /** Reads the body as UTF-8 text, at most `maxBytes` of it, then releases the exchange. */
  async readText(maxBytes: number): Promise<BoundedText> {
    const parts: Buffer[] = [];
    let size = 0;
    let truncated = false;
    try {
      for await (const chunk of this.body as AsyncIterable<Buffer>) {
        const room = maxBytes - size;
        if (chunk.length > room) {
          parts.push(chunk.subarray(0, room));
          truncated = true;
          break;
        }
        parts.push(chunk);
        size += chunk.length;
      }
    } catch (error) {
      throw this.lifetime.failure(error, 'body');
    } finally {
      this.release();
    }
    return { text: new TextDecoder('utf-8').decode(Buffer.concat(parts)), truncated };
  }

  /**
   * The body as byte chunks as they arrive. Stopping early (break, return, an error thrown by
   * the consumer) releases the exchange and frees the connection.
   */
  async *bytes(): AsyncGenerator<Uint8Array, void, undefined> {
    try {
      for await (const chunk of this.body as AsyncIterable<Buffer>) yield chunk;
    } catch (error) {
      throw this.lifetime.failure(error, 'body');
    } finally {
      this.release();
    }
  }

  /** Frees the connection (destroying an unread body) and the call's timer. Idempotent. */
  release(): void {
    if (this.released) return;
    this.released = true;
    if (!this.body.destroyed && !this.body.readableEnded) this.body.destroy();
    this.lifetime.dispose();
  }
}

/**
 * The overall timer and the caller's abort signal of one call, joined into the one signal undici
 * gets. It is that signal itself, an EventEmitter that emits `abort` once (undici takes an
 * EventEmitter with `aborted` and `reason`), where an AbortController would add a signal and an
 * EventTarget to every call in flight.
 */
class ExchangeLifetime extends EventEmitter {
  aborted = false;
  reason: unknown = undefined;
  private timedOut = false;
  private readonly timer: NodeJS.Timeout;
  private readonly onCallerAbort = (): void => {
    this.abort(this.options.signal?.reason);
  };

  constructor(private readonly options: ExchangeOptions) {
    super();
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.abort(
        new ProviderError(
          'timeout',
          'request_timeout',
          `the call took longer than ${options.timeoutMs} ms`,
          { provider: options.provider },
        ),
      );
    }, options.timeoutMs);
    this.timer.unref();
    options.signal?.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  /**
   * What to throw for a failure: the caller's abort reason when the caller aborted (not a
   * ProviderError: nothing failed), a `timeout` when the overall timer fired, else the
   * classified network error.
   */
  failure(error: unknown, phase: 'request' | 'body'): unknown {
    const caller = this.options.signal;
    if (caller?.aborted === true) return caller.reason;
    if (this.timedOut) return this.reason;
    if (error instanceof ProviderError) return error;
    return networkError(error, this.options.provider, phase, this.options.cutCode ?? 'stream_cut');
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.options.signal?.removeEventListener('abort', this.onCallerAbort);
  }

  private abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }
}

/**
 * The one HTTP layer of every provider: keep-alive pools per origin, connect / headers / body
 * / overall timeouts, and the caller's AbortSignal. It sends what an adapter built and hands
 * back the response; it never retries (the worker decides that from the classified error).
 */
export class ProviderHttp {
  private readonly pools: PoolRegistry;

  constructor(settings: Partial<PoolSettings> = {}) {
    this.pools = new PoolRegistry({ ...defaultPoolSettings, ...settings });
  }

  /**
   * Sends `request` and resolves once the response headers arrived, whatever the status.
   * Rejects with a ProviderError (`connection` / `timeout`) when no response came, or with the
   * caller's abort reason when the caller aborted.
   */
  async open(request: ProviderHttpRequest, options: ExchangeOptions): Promise<ProviderExchange> {
    const url = URL.parse(request.url);
    if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new ProviderError('bad_request', 'invalid_url', `not an http(s) URL: ${request.url}`, {
        provider: options.provider,
      });
    }
    const lifetime = new ExchangeLifetime(options);
    if (options.signal?.aborted === true) {
      lifetime.dispose();
      throw options.signal.reason;
    }
    try {
      const response = await this.pools.poolFor(url.origin).request({
        method: request.method,
        path: `${url.pathname}${url.search}`,
        headers: request.headers,
        body: request.body,
        headersTimeout: options.headersTimeoutMs ?? options.timeoutMs,
        bodyTimeout: options.idleTimeoutMs ?? options.timeoutMs,
        signal: lifetime,
      });
      return new ProviderExchange(
        response.statusCode,
        toResponseHeaders(response.headers),
        response.body,
        lifetime,
      );
    } catch (error) {
      lifetime.dispose();
      throw lifetime.failure(error, 'request');
    }
  }

  /** How many origins have a connection pool. */
  get poolCount(): number {
    return this.pools.size;
  }

  /** Closes every connection pool after the requests in flight finish (for shutdown). */
  closeAll(): Promise<void> {
    return this.pools.closeAll();
  }
}

/** The HTTP layer that completeChat and streamChat use unless given another. */
export const defaultProviderHttp = new ProviderHttp();

/** Closes the default HTTP layer's connection pools (for graceful shutdown). */
export function closeAll(): Promise<void> {
  return defaultProviderHttp.closeAll();
}
