import { embeddingInputs, type EmbeddingsRequest } from '@switchyard/contracts';
import { z } from 'zod';
import type { AdapterContext, ProviderEmbeddings, ProviderHttpRequest } from '../adapter';
import { ProviderError } from '../provider-error';
import { BEDROCK_PROVIDER, bedrockBadParameter } from './bedrock.errors';
import { bedrockRuntimeEndpoint } from './bedrock.request';
import { bedrockBearerKey } from './bedrock.sign';

/** The embedding model families Bedrock's `invoke` is spoken for, by model id. */
type EmbeddingFamily = 'titan' | 'cohere';

function familyOf(modelId: string): EmbeddingFamily | undefined {
  if (modelId.includes('amazon.titan-embed')) return 'titan';
  if (modelId.includes('cohere.embed')) return 'cohere';
  return undefined;
}

/** Embeddings fields this translation answers for (`encoding_format` is the worker's). */
const ownedFields = new Set(['model', 'input', 'encoding_format', 'dimensions', 'input_type']);

/** `<base>/model/<modelId>/invoke`, the model id one percent-encoded path segment. */
export function invokeUrl(context: AdapterContext): string {
  const { apiBase, awsRegion, providerModel } = context.deployment;
  const base = (apiBase ?? bedrockRuntimeEndpoint(awsRegion ?? 'us-east-1')).replace(/\/+$/, '');
  return `${base}/model/${encodeURIComponent(providerModel)}/invoke`;
}

/**
 * The `invoke` request for an OpenAI embeddings request, signed later by `signRequest`:
 * Titan Text Embeddings (`amazon.titan-embed-*`) take one text per call
 * (`{inputText, dimensions?, normalize: true}`), Cohere Embed (`cohere.embed-*`) a list
 * (`{texts, input_type, embedding_types: ['float']}`, `input_type` as for Cohere). Any other
 * model, token-id inputs, more than one input for Titan, `dimensions` for Cohere, and `user` or
 * unknown fields (unless `drop_params`) are refused.
 */
export function buildBedrockEmbeddingsRequest(
  request: EmbeddingsRequest,
  context: AdapterContext,
): ProviderHttpRequest {
  const { deployment, dropParams } = context;
  const family = familyOf(deployment.providerModel);
  if (family === undefined) {
    throw new ProviderError(
      'bad_request',
      'embeddings_not_supported',
      `model ${deployment.modelName} (provider bedrock, ${deployment.providerModel}) does not support embeddings: Switchyard speaks amazon.titan-embed and cohere.embed on Bedrock`,
      { provider: BEDROCK_PROVIDER, param: 'model' },
    );
  }
  const texts = embeddingInputs(request.input).map((input) => {
    if (typeof input !== 'string') {
      throw bedrockBadParameter(
        'input',
        'unsupported_parameter',
        'bedrock embeddings take text, not token ids',
      );
    }
    return input;
  });
  for (const [field, value] of Object.entries(request)) {
    if (value === undefined || dropParams || ownedFields.has(field)) continue;
    throw bedrockBadParameter(
      field,
      'unsupported_parameter',
      `bedrock embeddings do not support ${field} (set drop_params to leave it out)`,
    );
  }
  let body: Record<string, unknown>;
  if (family === 'titan') {
    if (texts.length !== 1) {
      throw bedrockBadParameter(
        'input',
        'invalid_value',
        `${deployment.providerModel} embeds one input per call; send ${texts.length} requests`,
      );
    }
    body = {
      inputText: texts[0],
      normalize: true,
      ...(request.dimensions === undefined ? {} : { dimensions: request.dimensions }),
    };
  } else {
    if (request.dimensions !== undefined && !dropParams) {
      throw bedrockBadParameter(
        'dimensions',
        'unsupported_parameter',
        `${deployment.providerModel} has no dimensions parameter`,
      );
    }
    body = {
      texts,
      input_type: request['input_type'] ?? 'search_document',
      embedding_types: ['float'],
    };
  }
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
  };
  const bearer = bedrockBearerKey(deployment);
  if (bearer !== undefined) headers['authorization'] = `Bearer ${bearer}`;
  return { method: 'POST', url: invokeUrl(context), headers, body: JSON.stringify(body) };
}

const titanResponseSchema = z.looseObject({
  embedding: z.array(z.number()),
  inputTextTokenCount: z.int().nonnegative().optional(),
});
const cohereResponseSchema = z.looseObject({
  embeddings: z.union([
    z.looseObject({ float: z.array(z.array(z.number())) }),
    z.array(z.array(z.number())),
  ]),
});

/**
 * The vectors of an `invoke` embeddings response: Titan's `embedding` and
 * `inputTextTokenCount`, or Cohere's `embeddings` (by type, or a plain list; no token count, so
 * the worker counts the inputs). A body of neither shape is `server` / `malformed_response`.
 */
export function parseBedrockEmbeddings(body: unknown): ProviderEmbeddings {
  const titan = titanResponseSchema.safeParse(body);
  if (titan.success) {
    return { vectors: [titan.data.embedding], promptTokens: titan.data.inputTextTokenCount };
  }
  const cohere = cohereResponseSchema.safeParse(body);
  if (cohere.success) {
    const { embeddings } = cohere.data;
    return {
      vectors: Array.isArray(embeddings) ? embeddings : embeddings.float,
      promptTokens: undefined,
    };
  }
  throw new ProviderError(
    'server',
    'malformed_response',
    "bedrock sent an embeddings response Switchyard cannot read: neither Titan's embedding nor Cohere's embeddings",
    { provider: BEDROCK_PROVIDER },
  );
}
