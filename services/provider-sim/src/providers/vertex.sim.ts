import type { IncomingHttpHeaders } from 'node:http';
import { isObject } from '../json';
import { anthropicError, anthropicVersions } from './anthropic.errors';
import { parseAnthropicRequest } from './anthropic.request';
import { anthropicSim } from './anthropic.sim';
import { geminiError } from './gemini.errors';
import { geminiSim } from './gemini.sim';
import { jsonResponse, type ErrorCase, type ProviderSim, type WireResponse } from './provider';

/** The `anthropic_version` Vertex AI documents for a Claude request body. */
export const vertexAnthropicVersion = 'vertex-2023-10-16';

/**
 * The versions accepted in the body: Vertex's own, and Anthropic's API versions, which
 * @anthropic-ai/vertex-sdk 1.x copies there from its `anthropic-version` header.
 */
const acceptedVersions: ReadonlySet<unknown> = new Set([
  vertexAnthropicVersion,
  ...anthropicVersions,
]);

function bearer(headers: IncomingHttpHeaders): string | undefined {
  const text = headers.authorization;
  return /^Bearer\s+(.+)$/i.exec(text?.trim() ?? '')?.[1]?.trim() || undefined;
}

function unauthenticated(message: string): WireResponse {
  return jsonResponse(401, { error: { code: 401, message, status: 'UNAUTHENTICATED' } });
}

/**
 * Vertex AI's own errors, in Google's shape, for the cases Vertex answers before a model sees
 * the request (sign-in, quota, unknown model or path); undefined for the others.
 */
function vertexPlatformError(error: ErrorCase): WireResponse | undefined {
  switch (error.kind) {
    case 'missing_key':
      return unauthenticated(
        'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
      );
    case 'invalid_key':
      return unauthenticated(
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
      );
    case 'not_found':
      return jsonResponse(404, {
        error: {
          code: 404,
          message: `Publisher Model \`${error.model}\` was not found or your project does not have access to it.`,
          status: 'NOT_FOUND',
        },
      });
    case 'rate_limit':
    case 'unknown_path':
      return geminiError(error, '');
    default:
      return undefined;
  }
}

/**
 * Gemini on Vertex AI (`…/publishers/google/models/{model}:generateContent`,
 * `:streamGenerateContent`): Gemini's bodies, streams and errors, signed in with a Google access
 * token the simulator issued (`Authorization: Bearer sim-google-…`, see google-token.ts).
 */
export const vertexGeminiSim: ProviderSim = {
  ...geminiSim,
  name: 'vertex_gemini',
  issuedTokens: 'google',
  apiKey: (headers) => bearer(headers),
  error: (error, requestId) => vertexPlatformError(error) ?? geminiError(error, requestId),
};

/**
 * Claude on Vertex AI (`…/publishers/anthropic/models/{model}:rawPredict`, `:streamRawPredict`):
 * Anthropic's Messages body without `model` (the path names it) and with `anthropic_version`
 * (`vertex-2023-10-16`, or an Anthropic API version) instead of the header; Anthropic's answers and model errors, Vertex's own
 * (Google-shaped) sign-in, quota and not-found errors; Google access tokens only.
 */
export const vertexAnthropicSim: ProviderSim = {
  ...anthropicSim,
  name: 'vertex_anthropic',
  issuedTokens: 'google',
  apiKey: (headers) => bearer(headers),
  checkRequest: () => undefined,
  parse: (body, route, headers) => {
    if (!isObject(body))
      return { kind: 'invalid_request', message: 'Input should be a valid dictionary' };
    const { anthropic_version: version, ...rest } = body;
    if (!acceptedVersions.has(version)) {
      return {
        kind: 'invalid_request',
        message: `anthropic_version: Input should be '${vertexAnthropicVersion}'`,
      };
    }
    if ('model' in rest) {
      return { kind: 'invalid_request', message: 'model: Extra inputs are not permitted' };
    }
    return parseAnthropicRequest({ ...rest, model: route.pathModel ?? '' }, route, headers);
  },
  error: (error, requestId) => vertexPlatformError(error) ?? anthropicError(error, requestId),
  headers: (requestId) => ({ 'x-sim-request-id': requestId }),
  rateLimitHeaders: () => ({}),
};
