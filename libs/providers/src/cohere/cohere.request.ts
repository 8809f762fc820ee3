import type { ChatCompletionRequest } from '@switchyard/contracts';
import type { AdapterContext, ProviderHttpRequest } from '../adapter';
import { COHERE_API_BASE } from './cohere.constants';
import { rejectUnlessDropped } from './cohere.errors';
import { toCohereMessages } from './cohere.messages';
import type { CohereChatRequestBody, CohereResponseFormat, CohereTool } from './cohere.types';

/** Request fields this adapter translates, or that need no translation (`model`, `stream`). */
const translatedFields = new Set([
  'model',
  'messages',
  'tools',
  'tool_choice',
  'response_format',
  'temperature',
  'top_p',
  'top_k',
  'max_tokens',
  'max_completion_tokens',
  'stop',
  'seed',
  'n',
  'presence_penalty',
  'frequency_penalty',
  'logprobs',
  'top_logprobs',
  'logit_bias',
  'parallel_tool_calls',
  'reasoning_effort',
  'stream',
  'stream_options',
]);

/** Fields that describe the caller or OpenAI's own features and do not change the answer. */
const ignoredFields = new Set([
  'user',
  'metadata',
  'store',
  'service_tier',
  'safety_identifier',
  'prompt_cache_key',
]);

/**
 * The fields of a request Cohere's v2 Chat API cannot honour: fields this adapter does not
 * know, `n` > 1, `logprobs` / `top_logprobs` (Cohere's logprobs have another shape), a
 * non-empty `logit_bias`, `parallel_tool_calls: false` and `reasoning_effort`.
 */
function unsupportedFields(request: ChatCompletionRequest): string[] {
  const fields: string[] = [];
  for (const [key, value] of Object.entries(request)) {
    if (value === undefined || value === null || ignoredFields.has(key)) continue;
    if (!translatedFields.has(key)) fields.push(key);
  }
  if (request.n != null && request.n > 1) fields.push('n');
  if (request.logprobs === true) fields.push('logprobs');
  if (request.top_logprobs != null && request.top_logprobs > 0) fields.push('top_logprobs');
  if (request.logit_bias && Object.keys(request.logit_bias).length > 0) fields.push('logit_bias');
  if (request.parallel_tool_calls === false) fields.push('parallel_tool_calls');
  if (request.reasoning_effort != null) fields.push('reasoning_effort');
  return fields;
}

/**
 * `tools` and `tool_choice`: function tools as they are (`strict_tools` when any is strict);
 * `none` → `NONE`, `required` → `REQUIRED`, `auto` (or none given) → left to the model, and a
 * named function → `REQUIRED` with only that function offered (Cohere cannot name one).
 */
function toolFields(
  request: ChatCompletionRequest,
): Pick<CohereChatRequestBody, 'tools' | 'strict_tools' | 'tool_choice'> {
  const tools = request.tools ?? [];
  if (tools.length === 0) return {};
  const choice = request.tool_choice;
  const named = typeof choice === 'object' ? choice.function.name : undefined;
  const offered = named === undefined ? tools : tools.filter((t) => t.function.name === named);
  const cohereTools: CohereTool[] = offered.map((tool) => ({
    type: 'function',
    function: {
      name: tool.function.name,
      ...(tool.function.description === undefined
        ? {}
        : { description: tool.function.description }),
      ...(tool.function.parameters === undefined ? {} : { parameters: tool.function.parameters }),
    },
  }));
  const toolChoice =
    choice === 'none'
      ? 'NONE'
      : choice === 'required' || named !== undefined
        ? 'REQUIRED'
        : undefined;
  return {
    tools: cohereTools,
    ...(offered.some((tool) => tool.function.strict === true) ? { strict_tools: true } : {}),
    ...(toolChoice === undefined ? {} : { tool_choice: toolChoice }),
  };
}

/** `json_object` → `{type: json_object}`; `json_schema` → the same with its `json_schema`. */
function responseFormat(request: ChatCompletionRequest): CohereResponseFormat | undefined {
  const format = request.response_format;
  if (format?.type === 'json_object') return { type: 'json_object' };
  if (format?.type === 'json_schema') {
    const schema = format.json_schema.schema;
    return schema === undefined
      ? { type: 'json_object' }
      : { type: 'json_object', json_schema: schema };
  }
  return undefined;
}

function stopSequences(stop: ChatCompletionRequest['stop']): string[] | undefined {
  if (stop == null) return undefined;
  const sequences = (typeof stop === 'string' ? [stop] : stop).filter((s) => s !== '');
  return sequences.length === 0 ? undefined : sequences;
}

/**
 * The `/v2/chat` body for an OpenAI chat request: messages (see toCohereMessages), tools and
 * tool_choice (see toolFields), response_format, `max_completion_tokens` (else `max_tokens`)
 * → `max_tokens`, `stop` → `stop_sequences`, `top_p` → `p`, `top_k` → `k`, temperature, seed
 * and the two penalties as they are, and `stream: true` when streaming (Cohere always reports
 * usage, so `stream_options` needs nothing). The fields of unsupportedFields are a bad request
 * (`unsupported_parameter`, with `param`), or left out with `dropParams`.
 */
export function toCohereRequestBody(
  request: ChatCompletionRequest,
  context: AdapterContext,
  stream: boolean,
): CohereChatRequestBody {
  const [unsupported] = unsupportedFields(request);
  if (unsupported !== undefined) {
    rejectUnlessDropped(
      context.dropParams,
      unsupported,
      `Cohere does not support the parameter "${unsupported}"`,
    );
  }
  const body: CohereChatRequestBody = {
    model: context.deployment.providerModel,
    messages: toCohereMessages(request.messages),
    ...toolFields(request),
  };
  const format = responseFormat(request);
  if (format) body.response_format = format;
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxTokens != null) body.max_tokens = maxTokens;
  const stop = stopSequences(request.stop);
  if (stop) body.stop_sequences = stop;
  if (request.temperature != null) body.temperature = request.temperature;
  if (request.top_p != null) body.p = request.top_p;
  const topK = request['top_k'];
  if (typeof topK === 'number') body.k = topK;
  if (request.seed != null) body.seed = request.seed;
  if (request.frequency_penalty != null) body.frequency_penalty = request.frequency_penalty;
  if (request.presence_penalty != null) body.presence_penalty = request.presence_penalty;
  if (stream) body.stream = true;
  return body;
}

/** `<api_base>/v2/chat`; an `api_base` that already ends in `/v2` gets only `/chat`. */
export function cohereChatUrl(context: AdapterContext): string {
  const base = (context.deployment.apiBase ?? COHERE_API_BASE).replace(/\/+$/, '');
  return /\/v2$/.test(base) ? `${base}/chat` : `${base}/v2/chat`;
}

/**
 * The HTTP request for a chat request: `POST <api_base>/v2/chat` with the key as
 * `Authorization: Bearer` (an access token, when the call has one, instead) and the JSON body
 * of toCohereRequestBody; a stream asks for `text/event-stream`.
 */
export function buildCohereRequest(
  request: ChatCompletionRequest,
  context: AdapterContext,
  options: { stream: boolean },
): ProviderHttpRequest {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: options.stream ? 'text/event-stream' : 'application/json',
  };
  const token = context.accessToken ?? context.deployment.apiKey;
  if (token) headers['authorization'] = `Bearer ${token}`;
  return {
    method: 'POST',
    url: cohereChatUrl(context),
    headers,
    body: JSON.stringify(toCohereRequestBody(request, context, options.stream)),
  };
}
