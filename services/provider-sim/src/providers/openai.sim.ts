import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { uniqueId } from '../ids';
import { goDuration, type RateLimitSnapshot } from '../rate-limit';
import { azureError, openAiError } from './openai.errors';
import { parseOpenAiRequest } from './openai.request';
import { openAiBody, openAiFrames } from './openai.response';
import type { ErrorCase, ProviderSim, Route } from './provider';

/** The api-version Azure messages mention when the request named none. */
const DEFAULT_AZURE_API_VERSION = '2024-10-21';

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function bearer(headers: IncomingHttpHeaders): string | undefined {
  const value = header(headers, 'authorization');
  const match = value === undefined ? null : /^Bearer\s+(.+)$/i.exec(value.trim());
  return match?.[1]?.trim() || undefined;
}

function streamError(
  error: ErrorCase,
  requestId: string,
  apiVersion: string,
  azure: boolean,
): string {
  const response = azure ? azureError(error, requestId, apiVersion) : openAiError(error, requestId);
  return `data: ${response.body}\n\n`;
}

/** OpenAI's chat.completions API. */
export const openAiSim: ProviderSim = {
  name: 'openai',
  streamContentType: () => 'text/event-stream; charset=utf-8',
  apiKey: (headers) => bearer(headers),
  checkRequest: () => undefined,
  parse: parseOpenAiRequest,
  error: (error, requestId) => openAiError(error, requestId),
  headers: (requestId: string, limits: RateLimitSnapshot) => ({
    'x-request-id': requestId,
    'openai-organization': 'provider-sim',
    'openai-version': '2020-10-01',
    'openai-processing-ms': '1',
    'x-ratelimit-limit-requests': String(limits.limitRequests),
    'x-ratelimit-limit-tokens': String(limits.limitTokens),
    'x-ratelimit-remaining-requests': String(limits.remainingRequests),
    'x-ratelimit-remaining-tokens': String(limits.remainingTokens),
    'x-ratelimit-reset-requests': goDuration(limits.resetRequestsMs),
    'x-ratelimit-reset-tokens': goDuration(limits.resetTokensMs),
  }),
  rateLimitHeaders: (retryAfterS) => ({ 'retry-after': String(retryAfterS) }),
  body: openAiBody,
  frames: openAiFrames,
  streamError: (error, requestId) => streamError(error, requestId, '', false),
  blocked: () => undefined,
  newId: () => uniqueId('chatcmpl-', 29),
  newRequestId: () => uniqueId('req_', 32, 'hex'),
  newToolCallId: () => uniqueId('call_', 24),
};

/** Azure OpenAI's deployments API: `api-key` header (or Entra bearer), `api-version` query. */
export const azureSim: ProviderSim = {
  ...openAiSim,
  name: 'azure',
  apiKey: (headers) => header(headers, 'api-key')?.trim() || bearer(headers),
  checkRequest: (_headers, route: Route) =>
    route.apiVersion === undefined || route.apiVersion === ''
      ? { kind: 'missing_version' }
      : undefined,
  error: (error, requestId, route) =>
    azureError(error, requestId, route?.apiVersion || DEFAULT_AZURE_API_VERSION),
  headers: (requestId: string, limits: RateLimitSnapshot) => ({
    'apim-request-id': requestId,
    'x-request-id': requestId,
    'x-ms-region': 'Provider Sim',
    'x-ratelimit-limit-requests': String(limits.limitRequests),
    'x-ratelimit-limit-tokens': String(limits.limitTokens),
    'x-ratelimit-remaining-requests': String(limits.remainingRequests),
    'x-ratelimit-remaining-tokens': String(limits.remainingTokens),
  }),
  rateLimitHeaders: (retryAfterS) => ({
    'retry-after': String(retryAfterS),
    'retry-after-ms': String(retryAfterS * 1000),
  }),
  streamError: (error, requestId) => streamError(error, requestId, DEFAULT_AZURE_API_VERSION, true),
  newRequestId: () => randomUUID(),
};
