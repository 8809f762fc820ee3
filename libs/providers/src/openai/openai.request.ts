import type { Deployment } from '@switchyard/config';
import type { ChatCompletionRequest } from '@switchyard/contracts';
import type { AdapterContext, ProviderHttpRequest } from '../adapter';
import { ProviderError } from '../provider-error';
import {
  openAiParamNames,
  type OpenAiCompatibleProvider,
  type OpenAiParam,
  type OpenAiParamValue,
} from './openai-compatible.types';
import {
  messageToWire,
  responseFormatToWire,
  toolChoiceToWire,
  toolsToWire,
} from './openai.messages';

/** Fields the adapter writes itself, whatever the request says. */
const ownedFields = new Set(['model', 'messages', 'stream', 'stream_options']);
const knownParams: ReadonlySet<string> = new Set(openAiParamNames);

/** A parameter's value in OpenAI's wire form, when no provider rule converts it. */
function defaultWireValue<K extends OpenAiParam>(param: K, value: OpenAiParamValue<K>): unknown {
  switch (param) {
    case 'tools':
      return toolsToWire(value as OpenAiParamValue<'tools'>);
    case 'tool_choice':
      return toolChoiceToWire(value as OpenAiParamValue<'tool_choice'>);
    case 'response_format':
      return responseFormatToWire(value as OpenAiParamValue<'response_format'>);
    default:
      return value;
  }
}

function unsupported(provider: string, param: string, reason: string): ProviderError {
  return new ProviderError(
    'bad_request',
    'unsupported_parameter',
    `${provider} does not support ${param}: ${reason} (set drop_params to leave it out)`,
    { provider, param },
  );
}

/** The deployment's base URL: its `api_base`, else the provider's public endpoint. */
export function resolveApiBase(config: OpenAiCompatibleProvider, deployment: Deployment): string {
  const configured = deployment.apiBase?.trim();
  if (configured !== undefined && configured !== '') {
    const base = configured.replace(/\/+$/, '');
    return config.normalizeApiBase === undefined ? base : config.normalizeApiBase(base);
  }
  if (config.defaultApiBase !== undefined) return config.defaultApiBase;
  throw new ProviderError(
    'bad_request',
    'missing_api_base',
    `${config.name} deployments need api_base (deployment ${deployment.id})`,
    { provider: config.name, param: 'api_base' },
  );
}

/**
 * The request's credentials: an access token (fetched for the call, or Azure's
 * `azure_ad_token`) as a bearer, else the API key as the provider takes it.
 */
export function authHeaders(
  config: OpenAiCompatibleProvider,
  context: AdapterContext,
): Record<string, string> {
  const { deployment } = context;
  const entra = deployment.entra;
  const token = context.accessToken ?? (entra?.kind === 'token' ? entra.token : undefined);
  if (token !== undefined) return { authorization: `Bearer ${token}` };
  const key = deployment.apiKey;
  if (key === undefined || key === '') {
    if (config.apiKeyRequired && deployment.apiBase === undefined) {
      throw new ProviderError(
        'auth',
        'missing_api_key',
        `no API key for ${config.name} (deployment ${deployment.id})`,
        { provider: config.name },
      );
    }
    return {};
  }
  return config.auth === 'api-key' ? { 'api-key': key } : { authorization: `Bearer ${key}` };
}

/** Adds one OpenAI parameter to the body as the provider takes it. */
function addParam<K extends OpenAiParam>(
  body: Record<string, unknown>,
  param: K,
  value: OpenAiParamValue<K>,
  config: OpenAiCompatibleProvider,
  dropParams: boolean,
): void {
  const rule = config.params[param];
  const reason = rule?.reject?.(value);
  if (reason !== undefined) {
    if (dropParams) return;
    throw unsupported(config.name, param, reason);
  }
  const wireValue =
    rule?.convert === undefined ? defaultWireValue(param, value) : rule.convert(value);
  body[rule?.sendAs ?? param] = wireValue;
}

/**
 * The chat-completions HTTP request for one provider of the OpenAI family: the OpenAI body
 * with `model` set to the provider's model, each parameter taken as the provider takes it (or
 * refused, or dropped with `dropParams`), documented extra fields passed through, and on
 * streams `stream_options.include_usage` forced where the provider supports it.
 */
export function buildOpenAiRequest(
  config: OpenAiCompatibleProvider,
  request: ChatCompletionRequest,
  context: AdapterContext,
  stream: boolean,
): ProviderHttpRequest {
  const { deployment, dropParams } = context;
  const base = resolveApiBase(config, deployment);
  const url =
    config.chatUrl === undefined ? `${base}/chat/completions` : config.chatUrl(base, deployment);
  const headers = {
    'content-type': 'application/json',
    accept: stream ? 'text/event-stream' : 'application/json',
    ...authHeaders(config, context),
  };

  const body: Record<string, unknown> = {
    model:
      config.modelName === undefined
        ? deployment.providerModel
        : config.modelName(deployment.providerModel),
    messages: request.messages.map((message) => messageToWire(message, config.messages)),
  };
  for (const param of openAiParamNames) {
    const value = request[param];
    if (value === null || value === undefined) continue;
    addParam(body, param, value as OpenAiParamValue<typeof param>, config, dropParams);
  }
  for (const [field, value] of Object.entries(request)) {
    if (ownedFields.has(field) || knownParams.has(field) || value === undefined) continue;
    if (config.extraBodyFields.includes(field)) body[field] = value;
    else if (!dropParams) throw unsupported(config.name, field, 'not a parameter it documents');
  }
  if (stream) {
    body.stream = true;
    if (config.streamUsage === 'stream_options') body.stream_options = { include_usage: true };
  }
  return { method: 'POST', url, headers, body: JSON.stringify(body) };
}
