import type { AdapterContext } from './adapter';
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
