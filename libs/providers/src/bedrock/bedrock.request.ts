import type { ChatCompletionRequest } from '@switchyard/contracts';
import type { AdapterContext, ProviderHttpRequest } from '../adapter';
import { bedrockBadParameter } from './bedrock.errors';
import { toConverseConversation } from './bedrock.messages';
import { bedrockBearerKey } from './bedrock.sign';
import { toToolConfig } from './bedrock.tools';
import type { ConverseRequestBody } from './bedrock.types';

/** Bedrock Runtime's public endpoint in a region. */
export function bedrockRuntimeEndpoint(region: string): string {
  return `https://bedrock-runtime.${region}.amazonaws.com`;
}

/**
 * The URL of the Converse call: `<base>/model/<modelId>/converse` (or `/converse-stream`),
 * `<base>` being `api_base` / `aws_bedrock_runtime_endpoint`, else the region's public endpoint.
 * The model id (which may be an ARN, with `:` and `/`) is one percent-encoded path segment, as
 * the AWS SDK sends it.
 */
export function converseUrl(context: AdapterContext, stream: boolean): string {
  const { apiBase, awsRegion, providerModel } = context.deployment;
  const base = (apiBase ?? bedrockRuntimeEndpoint(awsRegion ?? 'us-east-1')).replace(/\/+$/, '');
  return `${base}/model/${encodeURIComponent(providerModel)}/${stream ? 'converse-stream' : 'converse'}`;
}

/** Parameters of the OpenAI request that Converse has no place for. */
const unsupportedParams = [
  'n',
  'presence_penalty',
  'frequency_penalty',
  'logit_bias',
  'logprobs',
  'top_logprobs',
  'seed',
] as const;

function checkSupported(request: ChatCompletionRequest, dropParams: boolean): void {
  if (dropParams) return;
  for (const param of unsupportedParams) {
    const value = request[param];
    if (value == null || value === false || (param === 'n' && value === 1)) continue;
    throw bedrockBadParameter(
      param,
      'unsupported_parameter',
      `${param} is not supported by Bedrock's Converse API (set drop_params to leave it out)`,
    );
  }
}

function inferenceConfigOf(
  request: ChatCompletionRequest,
): Pick<ConverseRequestBody, 'inferenceConfig'> {
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  const stop = request.stop;
  const stopSequences = stop == null ? undefined : typeof stop === 'string' ? [stop] : stop;
  const config = {
    ...(maxTokens == null ? {} : { maxTokens }),
    ...(request.temperature == null ? {} : { temperature: request.temperature }),
    ...(request.top_p == null ? {} : { topP: request.top_p }),
    ...(stopSequences === undefined || stopSequences.length === 0 ? {} : { stopSequences }),
  };
  return Object.keys(config).length === 0 ? {} : { inferenceConfig: config };
}

/**
 * The Converse body for an OpenAI chat request: the conversation (bedrock.messages.ts),
 * `inferenceConfig` {maxTokens (max_completion_tokens, else max_tokens), temperature, topP,
 * stopSequences} and `toolConfig` (bedrock.tools.ts, JSON mode included). `n` > 1, penalties,
 * logit_bias, logprobs and seed have no Converse counterpart: a bad request unless `dropParams`.
 */
export function toConverseBody(
  request: ChatCompletionRequest,
  dropParams: boolean,
): ConverseRequestBody {
  checkSupported(request, dropParams);
  return {
    ...toConverseConversation(request.messages),
    ...inferenceConfigOf(request),
    ...toToolConfig(request, dropParams),
  };
}

/**
 * The HTTP request for a chat request, unsigned: `POST …/model/<id>/converse` (or
 * `/converse-stream`). With a Bedrock API key it carries `Authorization: Bearer`; with AWS
 * credentials it is signed afterwards by signBedrockRequest (bedrock.sign.ts).
 */
export function buildBedrockRequest(
  request: ChatCompletionRequest,
  context: AdapterContext,
  options: { stream: boolean },
): ProviderHttpRequest {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: options.stream ? 'application/vnd.amazon.eventstream' : 'application/json',
  };
  const bearer = bedrockBearerKey(context.deployment);
  if (bearer !== undefined) headers['authorization'] = `Bearer ${bearer}`;
  return {
    method: 'POST',
    url: converseUrl(context, options.stream),
    headers,
    body: JSON.stringify(toConverseBody(request, context.dropParams)),
  };
}
