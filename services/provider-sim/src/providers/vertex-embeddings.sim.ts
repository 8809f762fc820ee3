import type { SimRequest } from '../engine';
import { embeddingDimensions, simEmbedding } from '../embeddings';
import { asArray, asNumber, asString, isObject } from '../json';
import { countTokens } from '../tokens';
import { embeddingsRequest, invalid } from './embeddings.sim';
import type { AnswerContext, ErrorCase, ProviderSim, Route } from './provider';
import { vertexGeminiSim } from './vertex.sim';

/** The most instances one `:predict` call takes; gemini-embedding-001 takes one. */
const maxInstances = 250;
/** The most tokens one `:predict` call may carry in all. */
const maxRequestTokens = 20_000;
/** The most tokens of one text a model reads (more is cut, or refused with autoTruncate false). */
const maxTextTokens = 2048;

const taskTypes: ReadonlySet<unknown> = new Set([
  'RETRIEVAL_QUERY',
  'RETRIEVAL_DOCUMENT',
  'SEMANTIC_SIMILARITY',
  'CLASSIFICATION',
  'CLUSTERING',
  'QUESTION_ANSWERING',
  'FACT_VERIFICATION',
  'CODE_RETRIEVAL_QUERY',
]);

/** Whether the model is one of Google's text embedding models, which `:predict` serves. */
function isEmbeddingModel(model: string): boolean {
  return /^(?:text-embedding-|text-multilingual-embedding-|textembedding-gecko|gemini-embedding-001)/.test(
    model,
  );
}

/**
 * Reads a `:predict` body for a text embedding model: `instances` of `{content, task_type?,
 * title?}` (one for gemini-embedding-001, at most 250 else, 20,000 tokens in all) and
 * `parameters` `{outputDimensionality?, autoTruncate?}`; with `autoTruncate: false` a text over
 * 2,048 tokens is refused. The model is the path's.
 */
function parseVertexEmbeddings(body: unknown, route: Route): SimRequest | ErrorCase {
  const model = route.pathModel ?? '';
  if (!isEmbeddingModel(model)) {
    return invalid(`Model ${model} does not support text embeddings through predict.`);
  }
  const instances = isObject(body) ? asArray(body['instances']) : undefined;
  if (instances === undefined || instances.length === 0) {
    return invalid('instances must be a non-empty list.', 'instances');
  }
  const limit = model.startsWith('gemini-embedding-001') ? 1 : maxInstances;
  if (instances.length > limit) {
    return invalid(
      `The model ${model} supports up to ${limit} instances per request, but ${instances.length} instances were provided.`,
      'instances',
    );
  }
  const parameters = isObject(body) ? body['parameters'] : undefined;
  if (parameters !== undefined && !isObject(parameters)) {
    return invalid('parameters must be an object.', 'parameters');
  }
  const dimensions = parameters === undefined ? undefined : parameters['outputDimensionality'];
  if (dimensions !== undefined && !(Number.isInteger(dimensions) && Number(dimensions) > 0)) {
    return invalid('outputDimensionality must be a positive integer.', 'outputDimensionality');
  }
  const autoTruncate = parameters === undefined ? undefined : parameters['autoTruncate'];
  if (autoTruncate !== undefined && typeof autoTruncate !== 'boolean') {
    return invalid('autoTruncate must be a boolean.', 'autoTruncate');
  }
  const texts: string[] = [];
  let tokens = 0;
  for (const [i, instance] of instances.entries()) {
    const content = isObject(instance) ? asString(instance['content']) : undefined;
    if (content === undefined || content === '') {
      return invalid(`instances[${i}].content must be a non-empty string.`, 'instances');
    }
    const taskType = isObject(instance) ? instance['task_type'] : undefined;
    if (taskType !== undefined && !taskTypes.has(taskType)) {
      return invalid(`instances[${i}].task_type is not a valid task type.`, 'instances');
    }
    const count = countTokens(content);
    if (autoTruncate === false && count > maxTextTokens) {
      return invalid(
        `Input instances[${i}] has ${count} tokens, more than the ${maxTextTokens} the model reads, and autoTruncate is false.`,
      );
    }
    tokens += count;
    texts.push(content);
  }
  if (tokens > maxRequestTokens) {
    return invalid(
      `Unable to submit request because the input token count is ${tokens} but the model supports up to ${maxRequestTokens}.`,
    );
  }
  return embeddingsRequest(
    'vertex_gemini',
    model,
    texts,
    embeddingDimensions(model, asNumber(dimensions)),
  );
}

/**
 * The `:predict` answer: per text, its vector and `statistics` (`token_count`, `truncated`:
 * the simulator never truncates), and `metadata.billableCharacterCount` (the simulator counts
 * the texts' code points without white space). The token counts add up to the tokens the simulator
 * served for the call: each text's own, the first also the framing the simulator counts once
 * per prompt (see measurePrompt).
 */
function vertexEmbeddingsBody(context: AnswerContext): string {
  const { texts = [], dimensions = 0 } = context.request.embeddings ?? {};
  const counts = texts.map((text) => countTokens(text));
  const framing = context.usage.promptTokens - counts.reduce((sum, n) => sum + n, 0);
  if (counts.length > 0 && framing > 0) counts[0] = (counts[0] ?? 0) + framing;
  return JSON.stringify({
    predictions: texts.map((text, i) => ({
      embeddings: {
        statistics: { truncated: false, token_count: counts[i] ?? 0 },
        values: simEmbedding(text, dimensions),
      },
    })),
    metadata: {
      billableCharacterCount: texts.reduce(
        (sum, text) => sum + [...text.replace(/\s/gu, '')].length,
        0,
      ),
    },
  });
}

/**
 * Google's text embedding models on Vertex AI (`…/publishers/google/models/{model}:predict`):
 * Vertex's sign-in, quota and error shapes (see vertexGeminiSim), the text embeddings API's
 * instances and answers.
 */
export const vertexEmbeddingsSim: ProviderSim = {
  ...vertexGeminiSim,
  parse: parseVertexEmbeddings,
  body: vertexEmbeddingsBody,
  frames: () => [],
  blocked: () => undefined,
};
