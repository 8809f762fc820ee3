import { noteCallFailure, withAccessToken } from './access-token';
import type { AdapterContext, ProviderAdapter, ProviderHttpRequest } from './adapter';
import {
  defaultProviderHttp,
  type ProviderExchange,
  type ProviderHttp,
} from './http/provider-http';
import { errorFromResponse, MAX_RESPONSE_BODY_BYTES, parseJsonBody } from './http/response-body';
import { ProviderError } from './provider-error';

/** How one provider call runs. */
export interface ChatCallOptions {
  /** Cancels the call: the request is aborted, its connection freed, and `reason` rethrown. */
  readonly signal?: AbortSignal;
  /** The HTTP layer to send with. @defaultValue the shared default (see closeAll) */
  readonly http?: ProviderHttp;
}

/**
 * Opens one provider call, with the async steps around the adapter's pure request builder in
 * one place: the access token the deployment signs in with (withAccessToken), the request
 * `build` makes with it (chat completions, embeddings), the adapter's `signRequest` (Bedrock's
 * SigV4) when it has one, sent through the shared HTTP layer with the deployment's timeout. A
 * non-2xx answer is read into the adapter's classified ProviderError (noted against the access
 * token) and thrown; else the exchange is returned for the caller to read and release. A body
 * that stops early is a `connection` error with `cutCode`.
 */
export async function openProviderCall(
  adapter: ProviderAdapter,
  context: AdapterContext,
  options: ChatCallOptions,
  build: (authed: AdapterContext) => ProviderHttpRequest,
  cutCode: 'response_cut' | 'stream_cut',
): Promise<ProviderExchange> {
  const { deployment } = context;
  const authed = await withAccessToken(context);
  const built = build(authed);
  const httpRequest =
    adapter.signRequest === undefined ? built : await adapter.signRequest(built, authed);
  const http = options.http ?? defaultProviderHttp;
  const exchange = await http.open(httpRequest, {
    provider: deployment.provider,
    timeoutMs: deployment.timeoutMs,
    cutCode,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  if (exchange.status >= 200 && exchange.status <= 299) return exchange;
  try {
    const error = await errorFromResponse(adapter, exchange, options.signal);
    noteCallFailure(authed, error);
    throw error;
  } finally {
    exchange.release();
  }
}

/**
 * A provider call answered with one JSON body, opened as openProviderCall does: returns the
 * parsed body for the adapter to read. A body over MAX_RESPONSE_BODY_BYTES is a `server` /
 * `response_too_large` ProviderError, one that is not JSON a `malformed_response`.
 */
export async function jsonProviderCall(
  adapter: ProviderAdapter,
  context: AdapterContext,
  options: ChatCallOptions,
  build: (authed: AdapterContext) => ProviderHttpRequest,
): Promise<unknown> {
  const { provider } = context.deployment;
  const exchange = await openProviderCall(adapter, context, options, build, 'response_cut');
  try {
    const { text, truncated } = await exchange.readText(MAX_RESPONSE_BODY_BYTES);
    if (truncated) {
      throw new ProviderError(
        'server',
        'response_too_large',
        `the response body is larger than ${MAX_RESPONSE_BODY_BYTES} bytes`,
        { provider, providerStatus: exchange.status },
      );
    }
    return parseJsonBody(text, provider, exchange.status);
  } finally {
    exchange.release();
  }
}
