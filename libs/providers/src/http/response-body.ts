import type { ProviderAdapter } from '../adapter';
import { ProviderError } from '../provider-error';
import type { ProviderExchange } from './provider-http';

/** The most of an error body that is read: enough for any provider's error JSON. */
export const MAX_ERROR_BODY_BYTES = 1024 * 1024;

/** The most of a successful, non-streamed body that is read. */
export const MAX_RESPONSE_BODY_BYTES = 32 * 1024 * 1024;

/** A short, single-line excerpt of a body for an error message. */
export function bodyExcerpt(text: string, length = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > length ? `${flat.slice(0, length)}…` : flat;
}

/**
 * The classified error of a non-2xx response: its body (at most MAX_ERROR_BODY_BYTES) goes to
 * the adapter's classifyError. A body that cannot be read is classified as empty; the caller's
 * abort still wins.
 */
export async function errorFromResponse(
  adapter: ProviderAdapter,
  exchange: ProviderExchange,
  signal: AbortSignal | undefined,
): Promise<unknown> {
  let text = '';
  try {
    text = (await exchange.readText(MAX_ERROR_BODY_BYTES)).text;
  } catch (error) {
    if (signal?.aborted === true) return error;
  }
  return adapter.classifyError(exchange.status, text, exchange.headers);
}

/**
 * The JSON of a successful response body. An empty body, an HTML page or any text that is not
 * JSON is a `server` / `malformed_response` ProviderError.
 */
export function parseJsonBody(text: string, provider: string, status: number): unknown {
  const trimmed = text.trim();
  if (trimmed === '') {
    throw new ProviderError('server', 'malformed_response', 'the provider sent an empty body', {
      provider,
      providerStatus: status,
    });
  }
  try {
    return JSON.parse(trimmed) as unknown;
  } catch (error) {
    const kind = trimmed.startsWith('<') ? 'an HTML page' : 'a body that is not JSON';
    throw new ProviderError(
      'server',
      'malformed_response',
      `the provider sent ${kind}: ${bodyExcerpt(trimmed)}`,
      { provider, providerStatus: status, cause: error },
    );
  }
}
