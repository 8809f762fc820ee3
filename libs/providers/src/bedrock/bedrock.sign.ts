import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Deployment } from '@switchyard/config';
import type { AdapterContext, ProviderHttpRequest } from '../adapter';
import { awsProfileCredentials } from './aws-profile-credentials';

/** The SigV4 service name of Bedrock Runtime. */
export const BEDROCK_SIGNING_SERVICE = 'bedrock';

/**
 * The Bedrock API key a deployment sends as `Authorization: Bearer`: its `api_key` when it has
 * no AWS credentials to sign with (keys of its own or a profile); undefined otherwise.
 */
export function bedrockBearerKey(deployment: Deployment): string | undefined {
  return deployment.aws === undefined && deployment.awsProfile === undefined
    ? deployment.apiKey
    : undefined;
}

/**
 * The request signed with AWS Signature Version 4 for the deployment's credentials and region
 * (service `bedrock`), as the AWS SDK signs it: `host`, `x-amz-date`, `x-amz-content-sha256`
 * and, for temporary credentials, `x-amz-security-token` are added with the `authorization`
 * header. The credentials are the deployment's own keys, or its AWS profile's (resolved by
 * awsProfileCredentials). A deployment with neither (a Bedrock API key) is returned unchanged.
 * Rejects with a ProviderError when the profile's credentials cannot be resolved.
 */
export async function signBedrockRequest(
  request: ProviderHttpRequest,
  context: AdapterContext,
): Promise<ProviderHttpRequest> {
  const { awsProfile, awsRegion } = context.deployment;
  const aws =
    context.deployment.aws ??
    (awsProfile === undefined ? undefined : await awsProfileCredentials.credentials(awsProfile));
  if (aws === undefined) return request;
  const url = new URL(request.url);
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: aws.accessKeyId,
      secretAccessKey: aws.secretAccessKey,
      ...(aws.sessionToken === undefined ? {} : { sessionToken: aws.sessionToken }),
    },
    region: awsRegion ?? 'us-east-1',
    service: BEDROCK_SIGNING_SERVICE,
    sha256: Sha256,
  });
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = value;
  const signed = await signer.sign({
    method: request.method,
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port === '' ? {} : { port: Number(url.port) }),
    path: url.pathname,
    query,
    headers: { ...request.headers, host: url.host },
    body: request.body,
  });
  return { ...request, headers: { ...signed.headers } };
}
