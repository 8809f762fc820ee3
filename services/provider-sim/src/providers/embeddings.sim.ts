import type { SimRequest } from '../engine';
import { embeddingDimensions, simEmbedding } from '../embeddings';
import { asArray, asNumber, asString, isObject } from '../json';
import type { AnswerContext, ErrorCase, ProviderSim, Route } from './provider';
import { bedrockSim } from './bedrock.sim';
import { cohereSim } from './cohere.sim';
import { geminiSim } from './gemini.sim';
import { azureSim, openAiSim } from './openai.sim';

/** An `invalid_request` with the provider's message. */
export function invalid(message: string, param?: string): ErrorCase {
  return { kind: 'invalid_request', message, ...(param !== undefined ? { param } : {}) };
}

/** An embeddings request in the simulator's neutral form: its texts form one user message. */
export function embeddingsRequest(
  provider: SimRequest['provider'],
  model: string,
  texts: string[],
  dimensions: number,
  base64 = false,
): SimRequest {
  return {
    provider,
    model,
    stream: false,
    prompt: {
      tools: [],
      messages: [{ role: 'user', parts: texts.map((text) => ({ kind: 'text', text })) }],
    },
    lastUserText: texts.join('\n'),
    endsWithUserTurn: true,
    toolChoice: { mode: 'none' },
    toolPreamble: false,
    output: { kind: 'text' },
    n: 1,
    stop: [],
    includeUsage: false,
    embeddings: { texts, dimensions, base64 },
  };
}

/** OpenAI's four input shapes as texts (a token-id list becomes its ids joined by spaces). */
function openAiTexts(input: unknown): string[] | ErrorCase {
  if (typeof input === 'string')
    return input === '' ? invalid("'input' cannot be empty", 'input') : [input];
  const list = asArray(input);
  if (list === undefined || list.length === 0)
    return invalid("'input' must be a string or a non-empty array", 'input');
  if (list.every((item) => typeof item === 'number')) return [list.join(' ')];
  const texts: string[] = [];
  for (const item of list) {
    if (typeof item === 'string' && item !== '') texts.push(item);
    else if (Array.isArray(item) && item.length > 0) texts.push(item.join(' '));
    else return invalid("'input' items must be non-empty strings or token arrays", 'input');
  }
  return texts;
}

/** Reads an OpenAI (or Azure) embeddings body. */
function parseOpenAiEmbeddings(provider: 'openai' | 'azure') {
  return (body: unknown, route: Route): SimRequest | ErrorCase => {
    if (!isObject(body)) return invalid('the body must be a JSON object');
    const model = asString(body['model']) ?? route.pathModel;
    if (model === undefined) return invalid('you must provide a model parameter', 'model');
    if (
      body['encoding_format'] !== undefined &&
      body['encoding_format'] !== 'float' &&
      body['encoding_format'] !== 'base64'
    ) {
      return invalid("'encoding_format' must be float or base64", 'encoding_format');
    }
    const texts = openAiTexts(body['input']);
    if (!Array.isArray(texts)) return texts;
    const dimensions = asNumber(body['dimensions']);
    const base64 = body['encoding_format'] === 'base64';
    return embeddingsRequest(
      provider,
      model,
      texts,
      embeddingDimensions(model, dimensions),
      base64,
    );
  };
}

/** The OpenAI embeddings answer: floats, or base64 float32s when the request asked. */
function openAiEmbeddingsBody(context: AnswerContext): string {
  const { texts = [], dimensions = 0, base64 = false } = context.request.embeddings ?? {};
  const encode = (vector: number[]) =>
    base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
  return JSON.stringify({
    object: 'list',
    data: texts.map((text, index) => ({
      object: 'embedding',
      index,
      embedding: encode(simEmbedding(text, dimensions)),
    })),
    model: context.request.model,
    usage: { prompt_tokens: context.usage.promptTokens, total_tokens: context.usage.promptTokens },
  });
}

/** OpenAI's `/v1/embeddings`. */
export const openAiEmbeddingsSim: ProviderSim = {
  ...openAiSim,
  parse: parseOpenAiEmbeddings('openai'),
  body: openAiEmbeddingsBody,
  frames: () => [],
};

/** Azure OpenAI's embeddings (`/openai/deployments/{d}/embeddings`, or the v1 API). */
export const azureEmbeddingsSim: ProviderSim = {
  ...azureSim,
  parse: parseOpenAiEmbeddings('azure'),
  body: openAiEmbeddingsBody,
  frames: () => [],
};

/** Reads a Gemini `batchEmbedContents` body: one request per text. */
function parseGeminiEmbeddings(body: unknown, route: Route): SimRequest | ErrorCase {
  const model = route.pathModel ?? '';
  const requests = isObject(body) ? asArray(body['requests']) : undefined;
  if (requests === undefined || requests.length === 0) {
    return invalid('* BatchEmbedContentsRequest.requests: contents is not specified');
  }
  const texts: string[] = [];
  let dimensions: number | undefined;
  for (const [i, request] of requests.entries()) {
    const content = isObject(request) ? request['content'] : undefined;
    const parts = isObject(content) ? asArray(content['parts']) : undefined;
    const text = (parts ?? [])
      .map((part) => (isObject(part) ? (asString(part['text']) ?? '') : ''))
      .join('');
    if (text === '')
      return invalid(
        `* BatchEmbedContentsRequest.requests[${i}].content: contents is not specified`,
      );
    const requestModel = isObject(request) ? asString(request['model']) : undefined;
    if (requestModel !== undefined && requestModel !== `models/${model}`) {
      return invalid(
        `* BatchEmbedContentsRequest.requests[${i}].model: the model must be models/${model}`,
      );
    }
    texts.push(text);
    dimensions =
      (isObject(request) ? asNumber(request['outputDimensionality']) : undefined) ?? dimensions;
  }
  return embeddingsRequest('gemini', model, texts, embeddingDimensions(model, dimensions));
}

/** The Gemini `batchEmbedContents` answer (no usage: Gemini reports none). */
function geminiEmbeddingsBody(context: AnswerContext): string {
  const { texts = [], dimensions = 0 } = context.request.embeddings ?? {};
  return JSON.stringify({
    embeddings: texts.map((text) => ({ values: simEmbedding(text, dimensions) })),
  });
}

/** Gemini's `models/{m}:batchEmbedContents`. */
export const geminiEmbeddingsSim: ProviderSim = {
  ...geminiSim,
  parse: parseGeminiEmbeddings,
  body: geminiEmbeddingsBody,
  frames: () => [],
  blocked: () => undefined,
};

/**
 * Reads a Cohere v2 Embed body: `texts`, `model`, and `input_type` (required, as for Cohere's
 * v3 and later models); `output_dimension` sets the dimensions.
 */
function parseCohereEmbeddings(body: unknown): SimRequest | ErrorCase {
  if (!isObject(body)) return invalid('invalid request: the body must be a JSON object');
  const model = asString(body['model']);
  if (model === undefined) return invalid('invalid request: model must be specified');
  const texts = asArray(body['texts']);
  if (texts === undefined || texts.length === 0 || !texts.every((t) => typeof t === 'string')) {
    return invalid('invalid request: texts must be a non-empty list of strings');
  }
  if (asString(body['input_type']) === undefined) {
    return invalid('invalid request: valid input_type must be provided with the provided model');
  }
  const dimensions = asNumber(body['output_dimension']);
  return embeddingsRequest(
    'cohere',
    model,
    texts as string[],
    embeddingDimensions(model, dimensions),
  );
}

/** The Cohere v2 Embed answer: `embeddings.float` and the billed input tokens. */
function cohereEmbeddingsBody(context: AnswerContext): string {
  const { texts = [], dimensions = 0 } = context.request.embeddings ?? {};
  return JSON.stringify({
    id: context.id,
    embeddings: { float: texts.map((text) => simEmbedding(text, dimensions)) },
    texts,
    meta: {
      api_version: { version: '2' },
      billed_units: { input_tokens: context.usage.promptTokens },
    },
    response_type: 'embeddings_by_type',
  });
}

/** Cohere's `/v2/embed`. */
export const cohereEmbeddingsSim: ProviderSim = {
  ...cohereSim,
  parse: parseCohereEmbeddings,
  body: cohereEmbeddingsBody,
  frames: () => [],
};

/**
 * Reads a Bedrock `invoke` body for an embedding model: Titan's `{inputText, dimensions?}` or
 * Cohere's `{texts, input_type}`; the model is the path's.
 */
function parseBedrockEmbeddings(body: unknown, route: Route): SimRequest | ErrorCase {
  const model = route.pathModel ?? '';
  if (!isObject(body))
    return invalid('Malformed input request, please reformat your input and try again.');
  if (model.includes('titan-embed')) {
    const text = asString(body['inputText']);
    if (text === undefined || text === '') {
      return invalid('Malformed input request: #: required key [inputText] not found');
    }
    const dimensions = embeddingDimensions(model, asNumber(body['dimensions']));
    return embeddingsRequest('bedrock', model, [text], dimensions);
  }
  if (model.includes('cohere.embed')) {
    const texts = asArray(body['texts']);
    if (texts === undefined || texts.length === 0 || !texts.every((t) => typeof t === 'string')) {
      return invalid('Malformed input request: #: required key [texts] not found');
    }
    if (asString(body['input_type']) === undefined) {
      return invalid('Malformed input request: #: required key [input_type] not found');
    }
    return embeddingsRequest(
      'bedrock',
      model,
      texts as string[],
      embeddingDimensions(model, undefined),
    );
  }
  return invalid(`The provided model ${model} does not support embeddings.`);
}

/** Titan's `{embedding, inputTextTokenCount}`, or Cohere's `{embeddings: {float}}` on Bedrock. */
function bedrockEmbeddingsBody(context: AnswerContext): string {
  const { texts = [], dimensions = 0 } = context.request.embeddings ?? {};
  if (context.request.model.includes('titan-embed')) {
    return JSON.stringify({
      embedding: simEmbedding(texts[0] ?? '', dimensions),
      inputTextTokenCount: context.usage.promptTokens,
    });
  }
  return JSON.stringify({
    id: context.id,
    embeddings: { float: texts.map((text) => simEmbedding(text, dimensions)) },
    texts,
    response_type: 'embeddings_by_type',
  });
}

/** Bedrock Runtime's `invoke` for amazon.titan-embed and cohere.embed models. */
export const bedrockEmbeddingsSim: ProviderSim = {
  ...bedrockSim,
  parse: parseBedrockEmbeddings,
  body: bedrockEmbeddingsBody,
  frames: () => [],
};
