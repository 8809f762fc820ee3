import { embeddingInputs, type EmbeddingsRequest } from '@switchyard/contracts';
import { z } from 'zod';
import type { AdapterContext, ProviderEmbeddings, ProviderHttpRequest } from '../adapter';
import { ProviderError } from '../provider-error';
import { VERTEX_PROVIDER } from './vertex.constants';
import { vertexHeaders, vertexOf } from './vertex.request';
import { vertexModelUrl } from './vertex.url';

/** Embeddings fields this translation answers for (`encoding_format` is the worker's). */
const ownedFields = new Set([
  'model',
  'input',
  'encoding_format',
  'dimensions',
  'task_type',
  'auto_truncate',
]);

/** The `task_type` values Vertex AI's text embedding models take. */
const taskTypes = new Set([
  'RETRIEVAL_QUERY',
  'RETRIEVAL_DOCUMENT',
  'SEMANTIC_SIMILARITY',
  'CLASSIFICATION',
  'CLUSTERING',
  'QUESTION_ANSWERING',
  'FACT_VERIFICATION',
  'CODE_RETRIEVAL_QUERY',
]);

/** The most texts one `:predict` call takes (Vertex AI's text embeddings API limit). */
export const VERTEX_MAX_EMBEDDING_INSTANCES = 250;

/**
 * Whether Vertex AI serves the model's text embeddings through `:predict` with `{content}`
 * instances: the `text-embedding-*`, `text-multilingual-embedding-*` and `textembedding-gecko*`
 * models and `gemini-embedding-001`. Newer Gemini embedding models (`gemini-embedding-2…`) are
 * served by `:embedContent` instead, and `multimodalembedding` takes other instances.
 */
function speaksPredict(model: string): boolean {
  return (
    /^(?:text-embedding-|text-multilingual-embedding-|textembedding-gecko)/.test(model) ||
    model === 'gemini-embedding-001' ||
    model.startsWith('gemini-embedding-001@')
  );
}

/** How many texts one call of the model may carry: gemini-embedding-001 takes one. */
function instanceLimit(model: string): number {
  return model.startsWith('gemini-embedding-001') ? 1 : VERTEX_MAX_EMBEDDING_INSTANCES;
}

function badParameter(param: string, code: string, why: string): ProviderError {
  return new ProviderError('bad_request', code, `vertex_ai embeddings: ${why}`, {
    provider: VERTEX_PROVIDER,
    param,
  });
}

/**
 * The `:predict` request for an OpenAI embeddings request on a Google text embedding model:
 * `{instances: [{content, task_type?}, …], parameters: {outputDimensionality?, autoTruncate?}}`,
 * signed in like a chat call (see vertexHeaders). `dimensions` becomes `outputDimensionality`;
 * Vertex's own `task_type` and `auto_truncate` (→ `autoTruncate`) pass through. Refused:
 * Claude and any model not served by `:predict` (see speaksPredict), token-id inputs, more
 * texts than the model takes per call (one for gemini-embedding-001, else 250), and `user` or
 * unknown fields unless `drop_params`.
 */
export function buildVertexEmbeddingsRequest(
  request: EmbeddingsRequest,
  context: AdapterContext,
): ProviderHttpRequest {
  const vertex = vertexOf(context);
  const { apiBase, providerModel, modelName } = context.deployment;
  if (vertex.publisher !== 'google' || !speaksPredict(providerModel)) {
    throw new ProviderError(
      'bad_request',
      'embeddings_not_supported',
      `model ${modelName} (provider vertex_ai, ${providerModel}) does not support embeddings: Switchyard speaks Vertex AI's :predict text embeddings (text-embedding-*, text-multilingual-embedding-*, gemini-embedding-001)`,
      { provider: VERTEX_PROVIDER, param: 'model' },
    );
  }
  const texts = embeddingInputs(request.input).map((input) => {
    if (typeof input !== 'string') {
      throw badParameter('input', 'unsupported_parameter', 'inputs must be text, not token ids');
    }
    return input;
  });
  const limit = instanceLimit(providerModel);
  if (texts.length > limit) {
    throw badParameter(
      'input',
      'invalid_value',
      `${providerModel} embeds at most ${limit} input${limit === 1 ? '' : 's'} per call; this request has ${texts.length}`,
    );
  }
  for (const [field, value] of Object.entries(request)) {
    if (value === undefined || context.dropParams || ownedFields.has(field)) continue;
    throw badParameter(
      field,
      'unsupported_parameter',
      `${field} is not supported (set drop_params to leave it out)`,
    );
  }
  const taskType = request['task_type'];
  if (taskType !== undefined && (typeof taskType !== 'string' || !taskTypes.has(taskType))) {
    throw badParameter(
      'task_type',
      'invalid_value',
      `task_type must be one of ${[...taskTypes].join(', ')}`,
    );
  }
  const autoTruncate = request['auto_truncate'];
  if (autoTruncate !== undefined && typeof autoTruncate !== 'boolean') {
    throw badParameter('auto_truncate', 'invalid_value', 'auto_truncate must be true or false');
  }
  const parameters = {
    ...(request.dimensions === undefined ? {} : { outputDimensionality: request.dimensions }),
    ...(autoTruncate === undefined ? {} : { autoTruncate }),
  };
  return {
    method: 'POST',
    url: vertexModelUrl(vertex, apiBase, providerModel, 'predict'),
    headers: vertexHeaders(context, 'application/json'),
    body: JSON.stringify({
      instances: texts.map((content) => ({
        content,
        ...(taskType === undefined ? {} : { task_type: taskType }),
      })),
      ...(Object.keys(parameters).length === 0 ? {} : { parameters }),
    }),
  };
}

const predictResponseSchema = z.looseObject({
  predictions: z.array(
    z.looseObject({
      embeddings: z.looseObject({
        values: z.array(z.number()),
        statistics: z.looseObject({ token_count: z.number().nonnegative().optional() }).optional(),
      }),
    }),
  ),
});

/**
 * The vectors of a `:predict` embeddings response (`predictions[].embeddings.values`, in request
 * order) and the prompt tokens: the sum of each prediction's `statistics.token_count` (undefined
 * when a prediction has none, so the worker counts the inputs). A body of another shape is
 * `server` / `malformed_response`.
 */
export function parseVertexEmbeddings(body: unknown): ProviderEmbeddings {
  const parsed = predictResponseSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ProviderError(
      'server',
      'malformed_response',
      `vertex_ai sent an embeddings response Switchyard cannot read: ${issue?.path.join('.') || 'the body'}: ${issue?.message ?? 'unexpected shape'}`,
      { provider: VERTEX_PROVIDER },
    );
  }
  const { predictions } = parsed.data;
  const counts = predictions.map((p) => p.embeddings.statistics?.token_count);
  const counted = counts.every((count) => count !== undefined);
  return {
    vectors: predictions.map((p) => p.embeddings.values),
    promptTokens: counted
      ? Math.round(counts.reduce<number>((sum, count) => sum + (count ?? 0), 0))
      : undefined,
  };
}
