import { embeddingInputs, type EmbeddingsRequest } from '@switchyard/contracts';
import { z } from 'zod';
import type { AdapterContext, ProviderEmbeddings, ProviderHttpRequest } from '../adapter';
import { ProviderError } from '../provider-error';
import { COHERE_API_BASE, COHERE_PROVIDER } from './cohere.constants';

/** Embeddings fields this translation answers for (`encoding_format` is the worker's). */
const ownedFields = new Set(['model', 'input', 'encoding_format', 'dimensions', 'input_type']);

/** What Cohere's embed models are told the texts are for, when the request does not say. */
const defaultInputType = 'search_document';

const inputTypes = new Set(['search_document', 'search_query', 'classification', 'clustering']);

function unsupported(param: string, why: string): ProviderError {
  return new ProviderError('bad_request', 'unsupported_parameter', `cohere embeddings: ${why}`, {
    provider: COHERE_PROVIDER,
    param,
  });
}

/** `<api_base>/v2/embed`; an `api_base` that already ends in `/v2` gets only `/embed`. */
export function cohereEmbedUrl(context: AdapterContext): string {
  const base = (context.deployment.apiBase ?? COHERE_API_BASE).replace(/\/+$/, '');
  return /\/v2$/.test(base) ? `${base}/embed` : `${base}/v2/embed`;
}

/**
 * The v2 Embed request (`POST <api_base>/v2/embed`) for an OpenAI embeddings request: `texts`,
 * `embedding_types: ['float']`, `input_type` (Cohere's own field, passed through when the request
 * sets it, else `search_document` as LiteLLM sends) and `output_dimension` for `dimensions`.
 * Token-id inputs cannot be sent; `user` and unknown fields are refused, or left out with
 * `drop_params`.
 */
export function buildCohereEmbeddingsRequest(
  request: EmbeddingsRequest,
  context: AdapterContext,
): ProviderHttpRequest {
  const texts = embeddingInputs(request.input).map((input) => {
    if (typeof input !== 'string') throw unsupported('input', 'inputs must be text, not token ids');
    return input;
  });
  for (const [field, value] of Object.entries(request)) {
    if (value === undefined || context.dropParams || ownedFields.has(field)) continue;
    throw unsupported(field, `${field} is not supported (set drop_params to leave it out)`);
  }
  const inputType = request['input_type'] ?? defaultInputType;
  if (typeof inputType !== 'string' || !inputTypes.has(inputType)) {
    throw unsupported('input_type', `input_type must be one of ${[...inputTypes].join(', ')}`);
  }
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
  };
  const token = context.accessToken ?? context.deployment.apiKey;
  if (token) headers['authorization'] = `Bearer ${token}`;
  return {
    method: 'POST',
    url: cohereEmbedUrl(context),
    headers,
    body: JSON.stringify({
      model: context.deployment.providerModel,
      texts,
      input_type: inputType,
      embedding_types: ['float'],
      ...(request.dimensions === undefined ? {} : { output_dimension: request.dimensions }),
    }),
  };
}

const cohereEmbedResponseSchema = z.looseObject({
  embeddings: z.looseObject({ float: z.array(z.array(z.number())) }),
  meta: z
    .looseObject({
      billed_units: z.looseObject({ input_tokens: z.number().nonnegative().optional() }).nullish(),
    })
    .nullish(),
});

/**
 * The vectors of a v2 Embed response (`embeddings.float`, in request order) and its
 * `meta.billed_units.input_tokens`. A body of another shape is `server` / `malformed_response`.
 */
export function parseCohereEmbeddings(body: unknown): ProviderEmbeddings {
  const parsed = cohereEmbedResponseSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ProviderError(
      'server',
      'malformed_response',
      `cohere sent an embeddings response Switchyard cannot read: ${issue?.path.join('.') || 'the body'}: ${issue?.message ?? 'unexpected shape'}`,
      { provider: COHERE_PROVIDER },
    );
  }
  const tokens = parsed.data.meta?.billed_units?.input_tokens;
  return {
    vectors: parsed.data.embeddings.float,
    promptTokens: tokens === undefined ? undefined : Math.round(tokens),
  };
}
