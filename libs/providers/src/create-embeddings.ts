import type { EmbeddingsRequest } from '@switchyard/contracts';
import type { AdapterContext, ProviderAdapter, ProviderEmbeddings } from './adapter';
import { jsonProviderCall, type ChatCallOptions } from './provider-call';
import { ProviderError } from './provider-error';
import { inProviderSpan, recordEmbeddingsAnswer } from './provider-span';

/** Whether a provider's adapter can make embeddings. */
export function supportsEmbeddings(adapter: ProviderAdapter): boolean {
  return (
    adapter.buildEmbeddingsRequest !== undefined && adapter.parseEmbeddingsResponse !== undefined
  );
}

/**
 * Calls the provider once for the embeddings of `request` through the shared HTTP layer and
 * returns one float vector per input; the call is an `embeddings <provider model>` client span.
 * Rejects with a classified ProviderError (never retries): `bad_request` /
 * `embeddings_not_supported` when the deployment's provider has no embeddings (no call, no
 * span), or with the signal's reason when the caller aborted.
 */
export async function createEmbeddings(
  adapter: ProviderAdapter,
  request: EmbeddingsRequest,
  context: AdapterContext,
  options: ChatCallOptions = {},
): Promise<ProviderEmbeddings> {
  const { deployment } = context;
  const build = adapter.buildEmbeddingsRequest;
  const parse = adapter.parseEmbeddingsResponse;
  if (build === undefined || parse === undefined) {
    throw new ProviderError(
      'bad_request',
      'embeddings_not_supported',
      `model ${deployment.modelName} (provider ${deployment.provider}) does not support embeddings`,
      { provider: deployment.provider, param: 'model' },
    );
  }
  return inProviderSpan(
    context,
    { name: 'embeddings', request },
    async () => {
      const body = await jsonProviderCall(adapter, context, options, (authed) =>
        build(request, authed),
      );
      return parse(body, context);
    },
    (span, embeddings) => recordEmbeddingsAnswer(span, embeddings.promptTokens),
  );
}
