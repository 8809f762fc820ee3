import type { EmbeddingsRequest } from '@switchyard/contracts';
import { noteCallFailure } from './access-token';
import type { AdapterContext, ProviderAdapter, ProviderEmbeddings } from './adapter';
import type { ChatCallOptions } from './complete-chat';
import { defaultProviderHttp } from './http/provider-http';
import { errorFromResponse, MAX_RESPONSE_BODY_BYTES, parseJsonBody } from './http/response-body';
import { prepareBuiltRequest } from './prepare-request';
import { ProviderError } from './provider-error';

/** Whether a provider's adapter can make embeddings. */
export function supportsEmbeddings(adapter: ProviderAdapter): boolean {
  return (
    adapter.buildEmbeddingsRequest !== undefined && adapter.parseEmbeddingsResponse !== undefined
  );
}

/**
 * Calls the provider once for the embeddings of `request` through the shared HTTP layer and
 * returns one float vector per input. Rejects with a classified ProviderError (never retries):
 * `bad_request` / `embeddings_not_supported` when the deployment's provider has no embeddings,
 * or with the signal's reason when the caller aborted.
 */
export async function createEmbeddings(
  adapter: ProviderAdapter,
  request: EmbeddingsRequest,
  context: AdapterContext,
  options: ChatCallOptions = {},
): Promise<ProviderEmbeddings> {
  const { deployment } = context;
  const { provider } = deployment;
  const build = adapter.buildEmbeddingsRequest;
  const parse = adapter.parseEmbeddingsResponse;
  if (build === undefined || parse === undefined) {
    throw new ProviderError(
      'bad_request',
      'embeddings_not_supported',
      `model ${deployment.modelName} (provider ${provider}) does not support embeddings`,
      { provider, param: 'model' },
    );
  }
  const { authed, httpRequest } = await prepareBuiltRequest(adapter, context, (ctx) =>
    build(request, ctx),
  );
  const http = options.http ?? defaultProviderHttp;
  const exchange = await http.open(httpRequest, {
    provider,
    timeoutMs: deployment.timeoutMs,
    cutCode: 'response_cut',
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  try {
    if (exchange.status < 200 || exchange.status > 299) {
      const error = await errorFromResponse(adapter, exchange, options.signal);
      noteCallFailure(authed, error);
      throw error;
    }
    const { text, truncated } = await exchange.readText(MAX_RESPONSE_BODY_BYTES);
    if (truncated) {
      throw new ProviderError(
        'server',
        'response_too_large',
        `the response body is larger than ${MAX_RESPONSE_BODY_BYTES} bytes`,
        { provider, providerStatus: exchange.status },
      );
    }
    return parse(parseJsonBody(text, provider, exchange.status), context);
  } finally {
    exchange.release();
  }
}
