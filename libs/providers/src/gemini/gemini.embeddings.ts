import { embeddingInputs, type EmbeddingsRequest } from '@switchyard/contracts';
import { z } from 'zod';
import type { AdapterContext, ProviderEmbeddings, ProviderHttpRequest } from '../adapter';
import { ProviderError } from '../provider-error';
import { geminiModelUrl } from './gemini.request';

/** Embeddings fields this translation answers for (`encoding_format` is the worker's). */
const ownedFields = new Set(['model', 'input', 'encoding_format', 'dimensions', 'user']);

function unsupported(param: string, why: string): ProviderError {
  return new ProviderError('bad_request', 'unsupported_parameter', `gemini embeddings: ${why}`, {
    provider: 'gemini',
    param,
  });
}

/**
 * The `batchEmbedContents` request for an OpenAI embeddings request: one
 * `{model, content: {parts: [{text}]}, outputDimensionality?}` per input text, the API key in
 * `x-goog-api-key`. Token-id inputs cannot be sent (Gemini takes text only); `user` and
 * unknown fields are refused, or left out with `drop_params`.
 */
export function buildGeminiEmbeddingsRequest(
  request: EmbeddingsRequest,
  context: AdapterContext,
): ProviderHttpRequest {
  const { providerModel, apiKey } = context.deployment;
  const model = providerModel.includes('/') ? providerModel : `models/${providerModel}`;
  const texts = embeddingInputs(request.input).map((input) => {
    if (typeof input !== 'string') {
      throw unsupported('input', 'inputs must be text, not token ids');
    }
    return input;
  });
  for (const [field, value] of Object.entries(request)) {
    if (value === undefined || context.dropParams) continue;
    if (field === 'user' || !ownedFields.has(field)) {
      throw unsupported(field, `${field} is not supported (set drop_params to leave it out)`);
    }
  }
  const dimensions =
    request.dimensions === undefined ? {} : { outputDimensionality: request.dimensions };
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
  };
  if (apiKey) headers['x-goog-api-key'] = apiKey;
  return {
    method: 'POST',
    url: geminiModelUrl(context, false).replace(/:generateContent$/, ':batchEmbedContents'),
    headers,
    body: JSON.stringify({
      requests: texts.map((text) => ({ model, content: { parts: [{ text }] }, ...dimensions })),
    }),
  };
}

const batchEmbedResponseSchema = z.looseObject({
  embeddings: z.array(z.looseObject({ values: z.array(z.number()) })),
});

/**
 * The vectors of a `batchEmbedContents` response (`embeddings[].values`, in request order).
 * Gemini reports no token usage: `promptTokens` is undefined and the worker counts the input.
 */
export function parseGeminiEmbeddings(body: unknown): ProviderEmbeddings {
  const parsed = batchEmbedResponseSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ProviderError(
      'server',
      'malformed_response',
      `gemini sent an embeddings response Switchyard cannot read: ${issue?.path.join('.') || 'the body'}: ${issue?.message ?? 'unexpected shape'}`,
      { provider: 'gemini' },
    );
  }
  return { vectors: parsed.data.embeddings.map((item) => item.values), promptTokens: undefined };
}
