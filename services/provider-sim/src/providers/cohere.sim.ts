import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { uniqueId } from '../ids';
import { cohereError } from './cohere.errors';
import { parseCohereRequest } from './cohere.request';
import { cohereBody, cohereEvent, cohereFrames } from './cohere.response';
import type { ProviderSim } from './provider';

function bearer(headers: IncomingHttpHeaders): string | undefined {
  const value = headers.authorization;
  const match = value === undefined ? null : /^Bearer\s+(.+)$/i.exec(value.trim());
  return match?.[1]?.trim() || undefined;
}

/**
 * Cohere's v2 Chat API (`POST /v2/chat`): key as `Authorization: Bearer`, no version header,
 * no rate-limit headers but `retry-after` on a 429. An error in the middle of a stream is a
 * message-end event with finish reason ERROR and the error's message.
 */
export const cohereSim: ProviderSim = {
  name: 'cohere',
  streamContentType: () => 'text/event-stream',
  apiKey: (headers) => bearer(headers),
  checkRequest: () => undefined,
  parse: (body, route) => parseCohereRequest(body, route),
  error: (error, requestId) => cohereError(error, requestId),
  headers: (requestId) => ({ 'x-debug-trace-id': requestId }),
  rateLimitHeaders: (retryAfterS) => ({ 'retry-after': String(retryAfterS) }),
  body: cohereBody,
  frames: cohereFrames,
  streamError: (error, requestId) => {
    const { message } = JSON.parse(cohereError(error, requestId).body) as { message: string };
    return cohereEvent('message-end', { delta: { finish_reason: 'ERROR', error: message } }).text;
  },
  blocked: () => undefined,
  newId: () => randomUUID(),
  newRequestId: () => uniqueId('', 32, 'hex'),
  newToolCallId: () => uniqueId('tool_call_', 12),
};
