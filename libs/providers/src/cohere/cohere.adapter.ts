import type { ProviderAdapter } from '../adapter';
import { buildCohereEmbeddingsRequest, parseCohereEmbeddings } from './cohere.embeddings';
import { classifyCohereError } from './cohere.errors';
import { buildCohereRequest } from './cohere.request';
import { parseCohereResponse } from './cohere.response';
import { CohereStreamDecoder } from './cohere.stream';

/**
 * Cohere's v2 Chat API (`POST /v2/chat`, Bearer key) behind the OpenAI chat-completions shape,
 * for config providers `cohere` and `cohere_chat` (LiteLLM's two spellings). See
 * cohere.request.ts, cohere.response.ts, cohere.stream.ts and cohere.errors.ts for the rules;
 * embeddings (`POST /v2/embed`) in cohere.embeddings.ts.
 */
export const cohereAdapter: ProviderAdapter = {
  providers: ['cohere', 'cohere_chat'],
  buildRequest: buildCohereRequest,
  parseResponse: parseCohereResponse,
  createStreamDecoder: (context) => new CohereStreamDecoder(context),
  classifyError: classifyCohereError,
  buildEmbeddingsRequest: buildCohereEmbeddingsRequest,
  parseEmbeddingsResponse: parseCohereEmbeddings,
};
