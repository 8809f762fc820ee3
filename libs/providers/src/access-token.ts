import type { AdapterContext } from './adapter';
import { awsProfileCredentials } from './bedrock/aws-profile-credentials';
import { ProviderError } from './provider-error';
import { entraTokens } from './openai/providers/azure-entra';
import { googleTokens } from './vertex/google-tokens';

/**
 * The call's context with the access token its deployment signs in with, where it needs one
 * fetched (an Azure deployment with an Entra ID client secret; a Vertex AI deployment, with its
 * Google credentials). Rejects with a ProviderError.
 */
export async function withAccessToken(context: AdapterContext): Promise<AdapterContext> {
  const { entra, vertex } = context.deployment;
  if (vertex !== undefined) {
    return { ...context, accessToken: await googleTokens.token(vertex.credentials) };
  }
  if (entra?.kind !== 'client_secret') return context;
  return { ...context, accessToken: await entraTokens.token(entra) };
}

/**
 * After a failed call: a fetched token, or an AWS profile's credentials, the provider refused
 * (an auth error) are forgotten, so that the next call signs in again (reads the profile
 * again) instead of failing until they expire.
 */
export function noteCallFailure(context: AdapterContext, error: unknown): void {
  if (!(error instanceof ProviderError) || error.type !== 'auth') return;
  const { awsProfile, entra, vertex } = context.deployment;
  if (awsProfile !== undefined) awsProfileCredentials.forget(awsProfile);
  if (context.accessToken === undefined) return;
  if (vertex !== undefined) googleTokens.forget(vertex.credentials, context.accessToken);
  else if (entra?.kind === 'client_secret') entraTokens.forget(entra, context.accessToken);
}
