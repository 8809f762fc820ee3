import type { AdapterContext } from './adapter';
import { ProviderError } from './provider-error';
import { entraTokens } from './openai/providers/azure-entra';

/**
 * The call's context with the access token its deployment signs in with, where it needs one
 * fetched (an Azure deployment with an Entra ID client secret). Rejects with a ProviderError.
 */
export async function withAccessToken(context: AdapterContext): Promise<AdapterContext> {
  const entra = context.deployment.entra;
  if (entra?.kind !== 'client_secret') return context;
  return { ...context, accessToken: await entraTokens.token(entra) };
}

/**
 * After a failed call: a fetched token the provider refused (an auth error) is forgotten, so
 * that the next call signs in again instead of failing until the token expires.
 */
export function noteCallFailure(context: AdapterContext, error: unknown): void {
  const entra = context.deployment.entra;
  if (entra?.kind !== 'client_secret' || context.accessToken === undefined) return;
  if (error instanceof ProviderError && error.type === 'auth') {
    entraTokens.forget(entra, context.accessToken);
  }
}
