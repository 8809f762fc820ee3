import type { EmbeddingsRequest } from '@switchyard/contracts';
import { z } from 'zod';
import type { AdapterContext, ProviderEmbeddings, ProviderHttpRequest } from '../adapter';
import { ProviderError } from '../provider-error';
import type { OpenAiCompatibleProvider } from './openai-compatible.types';
import { authHeaders, resolveApiBase } from './openai.request';
import { schemaProblem } from './openai.response';

/** Embeddings fields the adapter writes itself or answers for (`encoding_format`). */
const ownedFields = new Set(['model', 'input', 'encoding_format', 'dimensions', 'user']);

/**
 * The embeddings HTTP request for one provider of the OpenAI family: `model` set to the
 * provider's model, `input` as given, `dimensions` under the provider's name and `user`.
 * Floats are always asked for (`encoding_format` is left to its default); the worker encodes
 * the answer as the caller asked. Any other field is refused as unsupported, or left out with
 * `drop_params`.
 */
export function buildOpenAiEmbeddingsRequest(
  config: OpenAiCompatibleProvider,
  request: EmbeddingsRequest,
  context: AdapterContext,
): ProviderHttpRequest {
  const { deployment } = context;
  const base = resolveApiBase(config, deployment);
  const url = config.embeddings?.url?.(base, deployment) ?? `${base}/embeddings`;
  const body: Record<string, unknown> = {
    model:
      config.modelName === undefined
        ? deployment.providerModel
        : config.modelName(deployment.providerModel),
    input: request.input,
  };
  if (request.dimensions !== undefined) {
    body[config.embeddings?.dimensionsField ?? 'dimensions'] = request.dimensions;
  }
  if (request.user !== undefined) body.user = request.user;
  for (const [field, value] of Object.entries(request)) {
    if (ownedFields.has(field) || value === undefined || context.dropParams) continue;
    throw new ProviderError(
      'bad_request',
      'unsupported_parameter',
      `${config.name} embeddings do not support ${field} (set drop_params to leave it out)`,
      { provider: config.name, param: field },
    );
  }
  return {
    method: 'POST',
    url,
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      ...authHeaders(config, context),
    },
    body: JSON.stringify(body),
  };
}

const openAiEmbeddingsSchema = z.looseObject({
  data: z.array(z.looseObject({ index: z.int().nonnegative(), embedding: z.array(z.number()) })),
  usage: z.looseObject({ prompt_tokens: z.int().nonnegative().optional() }).nullish(),
});

/**
 * The vectors of an OpenAI embeddings response (`data[].embedding`, put in `index` order) and
 * its `usage.prompt_tokens`. A body of another shape is `server` / `malformed_response`.
 */
export function parseOpenAiEmbeddings(provider: string, body: unknown): ProviderEmbeddings {
  const parsed = openAiEmbeddingsSchema.safeParse(body);
  if (!parsed.success) {
    throw new ProviderError(
      'server',
      'malformed_response',
      `${provider} sent an embeddings response Switchyard cannot read: ${schemaProblem(parsed.error)}`,
      { provider },
    );
  }
  const data = [...parsed.data.data].sort((a, b) => a.index - b.index);
  return {
    vectors: data.map((item) => item.embedding),
    promptTokens: parsed.data.usage?.prompt_tokens,
  };
}
