import type { ProviderAdapter } from './adapter';
import { anthropicAdapter } from './anthropic';
import { cohereAdapter } from './cohere';
import { bedrockAdapter } from './bedrock';
import { geminiAdapter } from './gemini';
import { openAiCompatibleAdapters } from './openai';
import { ProviderError } from './provider-error';
import { vertexAdapter } from './vertex';

const adapters: ReadonlyMap<string, ProviderAdapter> = new Map(
  [
    ...openAiCompatibleAdapters,
    anthropicAdapter,
    geminiAdapter,
    cohereAdapter,
    bedrockAdapter,
    vertexAdapter,
  ].flatMap((adapter) => adapter.providers.map((provider) => [provider, adapter] as const)),
);

/** Every provider name that has an adapter. */
export const adapterProviders: readonly string[] = [...adapters.keys()];

/**
 * The adapter for a provider as config names it (`openai`, `azure`, `anthropic`, `gemini`,
 * `cohere`, `groq`, …). Throws a `bad_request` ProviderError (`unsupported_provider`) for any other.
 */
export function adapterFor(provider: string): ProviderAdapter {
  const adapter = adapters.get(provider);
  if (adapter !== undefined) return adapter;
  throw new ProviderError(
    'bad_request',
    'unsupported_provider',
    `no adapter for provider "${provider}"; known: ${adapterProviders.join(', ')}`,
    { provider: provider === '' ? 'unknown' : provider },
  );
}
