import type { IncomingHttpHeaders } from 'node:http';
import { uniqueId } from '../ids';
import { bedrockError, bedrockStreamError } from './bedrock.errors';
import { parseBedrockRequest } from './bedrock.request';
import { bedrockBody, bedrockFrames, corruptBedrockFrame } from './bedrock.response';
import { readSigV4, verifySigV4 } from './bedrock.sigv4';
import type { ProviderSim } from './provider';

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * AWS Bedrock Runtime's Converse API: requests signed with SigV4 (the key is the credential's
 * access key id; the signature is checked against SIM_AWS_SECRET_ACCESS_KEY) or carrying a
 * Bedrock API key as a bearer token; model and mode in the path; streams as binary
 * event-stream frames; errors as `{message}` with `x-amzn-ErrorType`.
 */
export const bedrockSim: ProviderSim = {
  name: 'bedrock',
  streamContentType: () => 'application/vnd.amazon.eventstream',
  apiKey: (headers) => {
    const sigV4 = readSigV4(headers);
    if (sigV4 !== undefined) return sigV4.accessKeyId;
    const bearer = /^Bearer\s+(.+)$/i.exec(header(headers, 'authorization')?.trim() ?? '');
    return bearer?.[1]?.trim() || undefined;
  },
  checkRequest: () => undefined,
  verifyRequest: async (request) =>
    readSigV4(request.headers) === undefined ? undefined : verifySigV4(request),
  parse: parseBedrockRequest,
  error: (error, requestId) => bedrockError(error, requestId),
  headers: (requestId) => ({ 'x-amzn-requestid': requestId }),
  rateLimitHeaders: (retryAfterS) => ({ 'retry-after': String(retryAfterS) }),
  body: bedrockBody,
  frames: bedrockFrames,
  streamError: (error) => bedrockStreamError(error),
  corruptFrame: corruptBedrockFrame,
  blocked: () => undefined,
  newId: () => uniqueId('', 32, 'hex'),
  newRequestId: () => uniqueId('', 32, 'hex'),
  newToolCallId: () => uniqueId('tooluse_', 22),
};
