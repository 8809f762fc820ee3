import type { ChatCompletionRequest } from '@switchyard/contracts';
import type { AdapterContext, ProviderHttpRequest } from '../adapter';
import {
  ANTHROPIC_DEFAULT_API_BASE,
  ANTHROPIC_DEFAULT_MAX_TOKENS,
  ANTHROPIC_VERSION,
} from './anthropic.constants';
import { dropOrReject } from './anthropic.errors';
import { translateMessages } from './anthropic.messages';
import { translateTools } from './anthropic.tools';
import type { AnthropicRequestBody } from './anthropic.types';

/**
 * OpenAI parameters the Messages API has no counterpart for, with the values that ask for
 * something (a penalty of 0, `logprobs: false` or `n: 1` ask for nothing and pass).
 */
const unsupported: ReadonlyArray<{
  param: string;
  asks: (request: ChatCompletionRequest) => boolean;
}> = [
  { param: 'n', asks: (r) => r.n != null && r.n > 1 },
  {
    param: 'logit_bias',
    asks: (r) => r.logit_bias != null && Object.keys(r.logit_bias).length > 0,
  },
  { param: 'logprobs', asks: (r) => r.logprobs === true },
  { param: 'top_logprobs', asks: (r) => r.top_logprobs != null && r.top_logprobs > 0 },
  {
    param: 'presence_penalty',
    asks: (r) => r.presence_penalty != null && r.presence_penalty !== 0,
  },
  {
    param: 'frequency_penalty',
    asks: (r) => r.frequency_penalty != null && r.frequency_penalty !== 0,
  },
  { param: 'seed', asks: (r) => r.seed != null },
  { param: 'reasoning_effort', asks: (r) => r.reasoning_effort != null },
];

/** Anthropic's temperature range is 0 to 1; above 1 is a bad request, or left out with dropParams. */
function temperature(request: ChatCompletionRequest, dropParams: boolean): number | undefined {
  const value = request.temperature;
  if (value == null) return undefined;
  if (value <= 1) return value;
  return dropOrReject(
    dropParams,
    'temperature',
    'invalid_value',
    `Anthropic accepts a temperature from 0 to 1, not ${value}`,
  );
}

function stopSequences(stop: ChatCompletionRequest['stop']): string[] | undefined {
  if (stop == null) return undefined;
  const sequences = (typeof stop === 'string' ? [stop] : stop).filter(
    (sequence) => sequence !== '',
  );
  return sequences.length === 0 ? undefined : sequences;
}

/**
 * The Messages API body for an OpenAI chat request (see translateMessages and translateTools
 * for messages, tools and JSON mode).
 *
 * - `max_tokens` (required by Anthropic): `max_completion_tokens`, else `max_tokens`, else the
 *   deployment's `limits.maxOutputTokens`, else ANTHROPIC_DEFAULT_MAX_TOKENS.
 * - `temperature` (0..1; a higher value is a bad request, or left out with `dropParams`, which
 *   gives Anthropic's default of 1), `top_p`, `stop` → `stop_sequences`, `user` →
 *   `metadata.user_id`, and `stream: true` when streaming.
 * - `n` > 1, `logit_bias`, `logprobs`, `top_logprobs`, `presence_penalty`, `frequency_penalty`,
 *   `seed` and `reasoning_effort` are bad requests (with `param`), or left out with `dropParams`.
 * - Fields Anthropic has no use for (`metadata`, `stream_options`, `store`, unknown fields)
 *   are not sent: Anthropic always reports usage, and OpenAI's metadata only labels stored
 *   completions.
 */
export function buildAnthropicBody(
  request: ChatCompletionRequest,
  context: AdapterContext,
  stream: boolean,
): AnthropicRequestBody {
  const { dropParams, deployment } = context;
  for (const { param, asks } of unsupported) {
    if (asks(request)) {
      dropOrReject(
        dropParams,
        param,
        'unsupported_parameter',
        `Anthropic does not support ${param}`,
      );
    }
  }
  const conversation = translateMessages(request.messages, dropParams);
  const tools = translateTools(request, dropParams);
  const sampledTemperature = temperature(request, dropParams);
  const stop = stopSequences(request.stop);
  return {
    model: deployment.providerModel,
    max_tokens:
      request.max_completion_tokens ??
      request.max_tokens ??
      deployment.limits.maxOutputTokens ??
      ANTHROPIC_DEFAULT_MAX_TOKENS,
    ...conversation,
    ...tools,
    ...(stop === undefined ? {} : { stop_sequences: stop }),
    ...(sampledTemperature === undefined ? {} : { temperature: sampledTemperature }),
    ...(request.top_p == null ? {} : { top_p: request.top_p }),
    ...(request.user === undefined || request.user === ''
      ? {}
      : { metadata: { user_id: request.user } }),
    ...(stream ? { stream: true as const } : {}),
  };
}

/**
 * The Messages endpoint under a deployment's `api_base`: the base as given when it already ends
 * in `/v1/messages`, `<base>/messages` when it ends in `/v1`, else `<base>/v1/messages`.
 */
export function anthropicMessagesUrl(apiBase: string | undefined): string {
  const base = (apiBase ?? ANTHROPIC_DEFAULT_API_BASE).replace(/\/+$/, '');
  if (base.endsWith('/v1/messages')) return base;
  if (base.endsWith('/v1')) return `${base}/messages`;
  return `${base}/v1/messages`;
}

/**
 * The HTTP request for an OpenAI chat request: POST to the Messages endpoint with `x-api-key`
 * (when the deployment has a key), `anthropic-version` and a JSON body.
 */
export function buildAnthropicRequest(
  request: ChatCompletionRequest,
  context: AdapterContext,
  options: { stream: boolean },
): ProviderHttpRequest {
  const body = buildAnthropicBody(request, context, options.stream);
  const { apiKey, apiBase } = context.deployment;
  return {
    method: 'POST',
    url: anthropicMessagesUrl(apiBase),
    headers: {
      'content-type': 'application/json',
      'anthropic-version': ANTHROPIC_VERSION,
      ...(apiKey === undefined ? {} : { 'x-api-key': apiKey }),
    },
    body: JSON.stringify(body),
  };
}
