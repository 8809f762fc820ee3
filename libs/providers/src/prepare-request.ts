import type { ChatCompletionRequest } from '@switchyard/contracts';
import { withAccessToken } from './access-token';
import type { AdapterContext, ProviderAdapter, ProviderHttpRequest } from './adapter';

/**
 * The async steps around the adapter's pure `buildRequest`, in one place: the access token the
 * deployment signs in with (withAccessToken), then the adapter's `signRequest` (Bedrock's SigV4)
 * when it has one. Returns the context the request was built with (for noteCallFailure) and
 * the request to send. Rejects with a ProviderError.
 */
export async function prepareRequest(
  adapter: ProviderAdapter,
  request: ChatCompletionRequest,
  context: AdapterContext,
  options: { stream: boolean },
): Promise<{ authed: AdapterContext; httpRequest: ProviderHttpRequest }> {
  return prepareBuiltRequest(adapter, context, (authed) =>
    adapter.buildRequest(request, authed, options),
  );
}

/**
 * prepareRequest for any request the adapter builds (`build`, given the context with its
 * access token): chat completions, embeddings.
 */
export async function prepareBuiltRequest(
  adapter: ProviderAdapter,
  context: AdapterContext,
  build: (authed: AdapterContext) => ProviderHttpRequest,
): Promise<{ authed: AdapterContext; httpRequest: ProviderHttpRequest }> {
  const authed = await withAccessToken(context);
  const built = build(authed);
  const httpRequest =
    adapter.signRequest === undefined ? built : await adapter.signRequest(built, authed);
  return { authed, httpRequest };
}
