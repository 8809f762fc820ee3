import type { IncomingHttpHeaders } from 'node:http';
import { uniqueId } from '../ids';
import { geminiError } from './gemini.errors';
import { parseGeminiRequest } from './gemini.request';
import { geminiBlocked, geminiBody, geminiFrames } from './gemini.response';
import type { ProviderSim, Route } from './provider';

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The Gemini API (generativelanguage, v1beta): key in `x-goog-api-key` or `?key=`; model and
 * mode in the path; no rate-limit headers (a 429 says when to retry in RetryInfo).
 */
export const geminiSim: ProviderSim = {
  name: 'gemini',
  streamContentType: (route) =>
    route.sse === false ? 'application/json; charset=UTF-8' : 'text/event-stream',
  apiKey: (headers, route: Route) =>
    header(headers, 'x-goog-api-key')?.trim() || route.query.get('key')?.trim() || undefined,
  checkRequest: () => undefined,
  parse: parseGeminiRequest,
  error: geminiError,
  headers: (requestId) => ({ 'x-sim-request-id': requestId }),
  rateLimitHeaders: () => ({}),
  body: geminiBody,
  frames: geminiFrames,
  streamError: (error, requestId) => `data: ${geminiError(error, requestId).body}\r\n\r\n`,
  blocked: (context) => geminiBlocked(context),
  newId: () => uniqueId('', 22),
  newRequestId: () => uniqueId('', 16, 'hex'),
  newToolCallId: () => uniqueId('', 8),
};
