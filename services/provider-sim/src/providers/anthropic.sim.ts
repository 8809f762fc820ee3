import type { IncomingHttpHeaders } from 'node:http';
import { uniqueId } from '../ids';
import { rfc3339, type RateLimitSnapshot } from '../rate-limit';
import { anthropicError, anthropicVersions } from './anthropic.errors';
import { parseAnthropicRequest } from './anthropic.request';
import { anthropicBody, anthropicFrames, anthropicRefusal } from './anthropic.response';
import type { ProviderSim } from './provider';

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function limitHeaders(
  prefix: string,
  limit: number,
  remaining: number,
  resetMs: number,
  now: number,
): Record<string, string> {
  return {
    [`${prefix}-limit`]: String(limit),
    [`${prefix}-remaining`]: String(remaining),
    [`${prefix}-reset`]: rfc3339(now + resetMs),
  };
}

/** Anthropic's Messages API: `x-api-key` (or an OAuth bearer) and `anthropic-version`. */
export const anthropicSim: ProviderSim = {
  name: 'anthropic',
  streamContentType: () => 'text/event-stream; charset=utf-8',
  apiKey: (headers) => {
    const key = header(headers, 'x-api-key')?.trim();
    if (key) return key;
    const match = /^Bearer\s+(.+)$/i.exec(header(headers, 'authorization')?.trim() ?? '');
    return match?.[1]?.trim() || undefined;
  },
  checkRequest: (headers) => {
    const version = header(headers, 'anthropic-version');
    if (version === undefined || version.trim() === '') return { kind: 'missing_version' };
    if (!(anthropicVersions as readonly string[]).includes(version.trim())) {
      return {
        kind: 'invalid_request',
        message: `anthropic-version: "${version}" is not a valid version`,
      };
    }
    return undefined;
  },
  parse: parseAnthropicRequest,
  error: (error, requestId) => anthropicError(error, requestId),
  headers: (requestId: string, limits: RateLimitSnapshot, now: number) => ({
    'request-id': requestId,
    'anthropic-organization-id': '00000000-0000-4000-8000-000000000515',
    ...limitHeaders(
      'anthropic-ratelimit-requests',
      limits.limitRequests,
      limits.remainingRequests,
      limits.resetRequestsMs,
      now,
    ),
    ...limitHeaders(
      'anthropic-ratelimit-tokens',
      limits.limitTokens,
      limits.remainingTokens,
      limits.resetTokensMs,
      now,
    ),
    ...limitHeaders(
      'anthropic-ratelimit-input-tokens',
      limits.limitTokens,
      limits.remainingTokens,
      limits.resetTokensMs,
      now,
    ),
    ...limitHeaders(
      'anthropic-ratelimit-output-tokens',
      limits.limitTokens,
      limits.remainingTokens,
      limits.resetTokensMs,
      now,
    ),
  }),
  rateLimitHeaders: (retryAfterS) => ({ 'retry-after': String(retryAfterS) }),
  body: anthropicBody,
  frames: anthropicFrames,
  streamError: (error, requestId) => {
    const body = anthropicError(error, requestId).body;
    return `event: error\ndata: ${body}\n\n`;
  },
  blocked: anthropicRefusal,
  newId: () => uniqueId('msg_01', 22),
  newRequestId: () => uniqueId('req_011C', 20),
  newToolCallId: () => uniqueId('toolu_01', 22),
};
