import type { ProviderAdapter } from '../adapter';
import { classifyCohereError } from './cohere.errors';
import { buildCohereRequest } from './cohere.request';
import { parseCohereResponse } from './cohere.response';
import { CohereStreamDecoder } from './cohere.stream';

/**
 * Cohere's v2 Chat API (`POST /v2/chat`, Bearer key) behind the OpenAI chat-completions shape,
 * for config providers `cohere` and `cohere_chat` (LiteLLM's two spellings). See
 * cohere.request.ts, cohere.response.ts, cohere.stream.ts and cohere.errors.ts for the rules.
 */
export const cohereAdapter: ProviderAdapter = {
  providers: ['cohere', 'cohere_chat'],
  buildRequest: buildCohereRequest,
  parseResponse: parseCohereResponse,
  createStreamDecoder: (context) => new CohereStreamDecoder(context),
  classifyError: classifyCohereError,
};
