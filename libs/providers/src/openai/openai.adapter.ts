import type { ProviderAdapter } from '../adapter';
import type { OpenAiCompatibleProvider } from './openai-compatible.types';
import { classifyOpenAiError, readOpenAiError } from './openai.errors';
import { buildOpenAiRequest } from './openai.request';
import { parseOpenAiResponse } from './openai.response';
import { buildOpenAiEmbeddingsRequest, parseOpenAiEmbeddings } from './openai.embeddings';
import { OpenAiStreamDecoder } from './openai.stream';

/**
 * The adapter of one OpenAI-compatible provider: the shared OpenAI chat-completions
 * translation (and its embeddings, where the entry has them), shaped by the provider's
 * configuration entry.
 */
export function createOpenAiCompatibleAdapter(config: OpenAiCompatibleProvider): ProviderAdapter {
  return {
    providers: [config.name],
    buildRequest: (request, context, { stream }) =>
      buildOpenAiRequest(config, request, context, stream),
    parseResponse: (body, context) => parseOpenAiResponse(config.name, body, context),
    createStreamDecoder: (context) =>
      new OpenAiStreamDecoder(config, context.deployment.providerModel),
    classifyError: (status, bodyText, headers) =>
      classifyOpenAiError(config.name, status, readOpenAiError(status, bodyText), headers),
    ...(config.embeddings === undefined
      ? {}
      : {
          buildEmbeddingsRequest: (request, context) =>
            buildOpenAiEmbeddingsRequest(config, request, context),
          parseEmbeddingsResponse: (body) => parseOpenAiEmbeddings(config.name, body),
        }),
  };
}
