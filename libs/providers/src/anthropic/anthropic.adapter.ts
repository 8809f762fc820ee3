import type { ProviderAdapter } from '../adapter';
import { ANTHROPIC_PROVIDER } from './anthropic.constants';
import { classifyAnthropicError } from './anthropic.errors';
import { buildAnthropicRequest } from './anthropic.request';
import { parseAnthropicResponse } from './anthropic.response';
import { AnthropicStreamDecoder } from './anthropic.stream';

/**
 * The Anthropic Messages API (`POST /v1/messages`, `anthropic-version: 2023-06-01`) behind the
 * OpenAI chat-completions shape: request translation (anthropic.request.ts), response parsing
 * (anthropic.response.ts), stream decoding (anthropic.stream.ts) and error classification
 * (anthropic.errors.ts).
 */
export const anthropicAdapter: ProviderAdapter = {
  providers: [ANTHROPIC_PROVIDER],
  buildRequest: (request, context, options) => buildAnthropicRequest(request, context, options),
  parseResponse: (body) => parseAnthropicResponse(body),
  createStreamDecoder: () => new AnthropicStreamDecoder(),
  classifyError: (status, bodyText, headers) => classifyAnthropicError(status, bodyText, headers),
};
