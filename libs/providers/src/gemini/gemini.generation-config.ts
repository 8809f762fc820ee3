import type { ChatCompletionRequest } from '@switchyard/contracts';
import { geminiBadRequest } from './gemini.errors';
import { convertSchema } from './gemini.tools';
import type {
  GeminiGenerationConfig,
  GeminiThinkingConfig,
  GeminiThinkingLevel,
} from './gemini.types';

type ReasoningEffort = NonNullable<ChatCompletionRequest['reasoning_effort']>;

/** Request fields this adapter translates (or needs no translation: `model`, `stream`). */
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
  'reasoning_effort',
  'stream',
  'stream_options',
  'parallel_tool_calls',
  'logit_bias',
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

/** Gemini 3 `thinkingLevel` per OpenAI reasoning effort (Gemini 3 cannot turn thinking off). */
const thinkingLevels: Record<ReasoningEffort, GeminiThinkingLevel> = {
  none: 'MINIMAL',
  minimal: 'MINIMAL',
  low: 'LOW',
  medium: 'MEDIUM',
  high: 'HIGH',
  xhigh: 'HIGH',
};

/** Gemini 2.5 `thinkingBudget` in tokens per OpenAI reasoning effort. */
const thinkingBudgets: Record<ReasoningEffort, number> = {
  none: 0,
  minimal: 128,
  low: 1024,
  medium: 2048,
  high: 4096,
  xhigh: 8192,
};

/** `gemini-2.5-flash` → [2, 5]; undefined for names that are not `gemini-<major>[.<minor>]…`. */
function modelVersion(providerModel: string): [number, number] | undefined {
  const match = /(?:^|\/)gemini-(\d+)(?:\.(\d+))?/.exec(providerModel);
  if (!match?.[1]) return undefined;
  return [Number(match[1]), Number(match[2] ?? 0)];
}

/** Whether the model is Gemini 3 or later (thought signatures enforced, `thinkingLevel`). */
export function isGemini3OrLater(providerModel: string): boolean {
  const version = modelVersion(providerModel);
  return version !== undefined && version[0] >= 3;
}

/**
 * The fields of a request that Gemini cannot honour: fields this adapter does not know, a
 * non-empty `logit_bias`, and `parallel_tool_calls: false` (Gemini cannot be kept to one call).
 */
function unsupportedFields(request: ChatCompletionRequest): string[] {
  const fields: string[] = [];
  for (const [key, value] of Object.entries(request)) {
    if (value === undefined || value === null || ignoredFields.has(key)) continue;
    if (!translatedFields.has(key)) fields.push(key);
  }
  if (request.logit_bias && Object.keys(request.logit_bias).length > 0) fields.push('logit_bias');
  if (request.parallel_tool_calls === false) fields.push('parallel_tool_calls');
  return fields;
}

/**
 * Throws a bad_request (`unsupported_parameter`, with `param`) for the first field Gemini
 * cannot honour, unless `dropParams` is on, in which case such fields are simply not sent.
 */
export function checkSupportedFields(request: ChatCompletionRequest, dropParams: boolean): void {
  const [field] = unsupportedFields(request);
  if (field !== undefined && !dropParams) {
    throw geminiBadRequest(`Gemini does not support the parameter "${field}"`, field);
  }
}

function thinkingConfig(
  effort: ReasoningEffort,
  providerModel: string,
  dropParams: boolean,
): GeminiThinkingConfig | undefined {
  const version = modelVersion(providerModel);
  if (version !== undefined && version[0] >= 3) return { thinkingLevel: thinkingLevels[effort] };
  if (version !== undefined && (version[0] < 2 || (version[0] === 2 && version[1] < 5))) {
    if (dropParams) return undefined;
    throw geminiBadRequest(
      `${providerModel} does not think; reasoning_effort is not supported`,
      'reasoning_effort',
    );
  }
  return { thinkingBudget: thinkingBudgets[effort] };
}

/**
 * The `generationConfig` for a request, or undefined when it sets nothing: temperature, top_p,
 * top_k, max_completion_tokens (else max_tokens) → maxOutputTokens, stop → stopSequences,
 * n → candidateCount, seed, presence/frequency penalties, logprobs → responseLogprobs and
 * top_logprobs → logprobs, response_format `json_object` → responseMimeType
 * `application/json`, `json_schema` → that plus responseSchema (converted to Gemini's schema),
 * and reasoning_effort → thinkingConfig (`thinkingLevel` for Gemini 3+, `thinkingBudget` of
 * 0/128/1024/2048/4096/8192 tokens for none…xhigh on Gemini 2.5 and unknown models).
 */
export function toGenerationConfig(
  request: ChatCompletionRequest,
  providerModel: string,
  dropParams: boolean,
): GeminiGenerationConfig | undefined {
  const config: GeminiGenerationConfig = {};
  if (request.temperature != null) config.temperature = request.temperature;
  if (request.top_p != null) config.topP = request.top_p;
  const topK = request['top_k'];
  if (typeof topK === 'number') config.topK = topK;
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxTokens != null) config.maxOutputTokens = maxTokens;
  if (request.stop != null) {
    const stop = typeof request.stop === 'string' ? [request.stop] : request.stop;
    if (stop.length > 0) config.stopSequences = stop;
  }
  if (request.n != null) config.candidateCount = request.n;
  if (request.seed != null) config.seed = request.seed;
  if (request.presence_penalty != null) config.presencePenalty = request.presence_penalty;
  if (request.frequency_penalty != null) config.frequencyPenalty = request.frequency_penalty;
  if (request.logprobs === true) {
    config.responseLogprobs = true;
    if (request.top_logprobs != null) config.logprobs = request.top_logprobs;
  }

  const format = request.response_format;
  if (format?.type === 'json_object') config.responseMimeType = 'application/json';
  if (format?.type === 'json_schema') {
    config.responseMimeType = 'application/json';
    const schema = format.json_schema.schema;
    if (schema !== undefined) {
      config.responseSchema = convertSchema(schema, 'response_format.json_schema.schema');
    }
  }

  if (request.reasoning_effort != null) {
    const thinking = thinkingConfig(request.reasoning_effort, providerModel, dropParams);
    if (thinking) config.thinkingConfig = thinking;
  }
  return Object.keys(config).length > 0 ? config : undefined;
}
