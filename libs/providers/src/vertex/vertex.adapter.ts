import type { ProviderAdapter, StreamDecoder } from '../adapter';
import { parseAnthropicResponse } from '../anthropic/anthropic.response';
import { AnthropicStreamDecoder } from '../anthropic/anthropic.stream';
import { parseGeminiResponse } from '../gemini/gemini.response';
import { GeminiStreamDecoder } from '../gemini/gemini.stream';
import { VERTEX_PROVIDER } from './vertex.constants';
import { buildVertexEmbeddingsRequest, parseVertexEmbeddings } from './vertex.embeddings';
import { asVertex, classifyVertexError } from './vertex.errors';
import { buildVertexRequest, vertexOf } from './vertex.request';

/**
 * Google Vertex AI behind the OpenAI chat-completions shape: Gemini models
 * (`publishers/google`, the Gemini adapter's translation) and Claude models
 * (`publishers/anthropic`, the Anthropic adapter's translation), signed in with a Google access
 * token (see access-token.ts and google-tokens.ts). Only the URL, the auth and, for Claude,
 * `anthropic_version` in the body differ from the vendors' own APIs; errors name `vertex_ai`.
 * Embeddings: Google's text embedding models through `:predict` (vertex.embeddings.ts).
 */
export const vertexAdapter: ProviderAdapter = {
  providers: [VERTEX_PROVIDER],
  buildRequest: (request, context, options) =>
    asVertex(() => buildVertexRequest(request, context, options)),
  parseResponse: (body, context) =>
    asVertex(() =>
      vertexOf(context).publisher === 'google'
        ? parseGeminiResponse(body, context)
        : parseAnthropicResponse(body),
    ),
  createStreamDecoder: (context): StreamDecoder => {
    const inner =
      vertexOf(context).publisher === 'google'
        ? new GeminiStreamDecoder(context)
        : new AnthropicStreamDecoder();
    return {
      push: (event) => asVertex(() => inner.push(event)),
      end: () => asVertex(() => inner.end()),
    };
  },
  classifyError: classifyVertexError,
  buildEmbeddingsRequest: (request, context) =>
    asVertex(() => buildVertexEmbeddingsRequest(request, context)),
  parseEmbeddingsResponse: (body) => asVertex(() => parseVertexEmbeddings(body)),
};
