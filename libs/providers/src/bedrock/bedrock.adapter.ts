import type { ProviderAdapter } from '../adapter';
import { EventStreamReader } from '../eventstream/event-stream-reader';
import { buildBedrockEmbeddingsRequest, parseBedrockEmbeddings } from './bedrock.embeddings';
import { BEDROCK_PROVIDER, classifyBedrockError } from './bedrock.errors';
import { buildBedrockRequest } from './bedrock.request';
import { parseBedrockResponse } from './bedrock.response';
import { signBedrockRequest } from './bedrock.sign';
import { BedrockStreamDecoder } from './bedrock.stream';

/**
 * AWS Bedrock's Converse API (`/model/{modelId}/converse`, `/converse-stream`) behind the
 * OpenAI chat-completions shape, signed with SigV4 (or a Bedrock API key as a bearer token);
 * streams arrive as binary event-stream frames. See bedrock.request.ts, bedrock.response.ts,
 * bedrock.stream.ts and bedrock.errors.ts for the translation rules; embeddings (`invoke` with
 * amazon.titan-embed or cohere.embed) in bedrock.embeddings.ts.
 */
export const bedrockAdapter: ProviderAdapter = {
  providers: [BEDROCK_PROVIDER],
  buildRequest: buildBedrockRequest,
  parseResponse: parseBedrockResponse,
  createStreamDecoder: (context) => new BedrockStreamDecoder(context),
  classifyError: classifyBedrockError,
  signRequest: signBedrockRequest,
  createEventReader: () => new EventStreamReader(BEDROCK_PROVIDER),
  buildEmbeddingsRequest: buildBedrockEmbeddingsRequest,
  parseEmbeddingsResponse: parseBedrockEmbeddings,
};
