import type { ChatCompletionRequest } from '@switchyard/contracts';
import type { AdapterContext, ProviderHttpRequest } from '../adapter';
import { toGeminiConversation } from './gemini.contents';
import {
  checkSupportedFields,
  isGemini3OrLater,
  toGenerationConfig,
} from './gemini.generation-config';
import { toGeminiTools } from './gemini.tools';
import type { GeminiRequestBody } from './gemini.types';

/** The Gemini API's public endpoint. */
export const GEMINI_API_BASE = 'https://generativelanguage.googleapis.com';

const defaultApiVersion = 'v1beta';

/**
 * The URL of a model method. `apiBase` may end in an API version (`…/v1beta`); otherwise the
 * deployment's `apiVersion` (such as `v1`) or `v1beta` is added. A provider model without a
 * `/` is a `models/…` name; one with a `/` (`tunedModels/…`, `models/…`) is used as written.
 */
export function geminiModelUrl(context: AdapterContext, stream: boolean): string {
  const { apiBase, apiVersion, providerModel } = context.deployment;
  const base = (apiBase ?? GEMINI_API_BASE).replace(/\/+$/, '');
  const versioned = /\/v\d+(?:alpha|beta)?\d*$/.test(base)
    ? base
    : `${base}/${apiVersion ?? defaultApiVersion}`;
  const resource = providerModel.includes('/') ? providerModel : `models/${providerModel}`;
  const path = resource.split('/').map(encodeURIComponent).join('/');
  return stream
    ? `${versioned}/${path}:streamGenerateContent?alt=sse`
    : `${versioned}/${path}:generateContent`;
}

/** The `generateContent` body for an OpenAI chat request (see the modules it draws on). */
export function toGeminiRequestBody(
  request: ChatCompletionRequest,
  context: AdapterContext,
): GeminiRequestBody {
  const { providerModel } = context.deployment;
  checkSupportedFields(request, context.dropParams);
  const conversation = toGeminiConversation(request.messages, {
    signForeignCalls: isGemini3OrLater(providerModel),
  });
  const generationConfig = toGenerationConfig(request, providerModel, context.dropParams);
  return {
    ...conversation,
    ...toGeminiTools(request),
    ...(generationConfig === undefined ? {} : { generationConfig }),
  };
}

/**
 * The HTTP request for a chat request: `POST …/models/{model}:generateContent`, or
 * `:streamGenerateContent?alt=sse` for a stream. The API key travels in the `x-goog-api-key`
 * header, never in the URL, so it stays out of logs.
 */
export function buildGeminiRequest(
  request: ChatCompletionRequest,
  context: AdapterContext,
  options: { stream: boolean },
): ProviderHttpRequest {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: options.stream ? 'text/event-stream' : 'application/json',
  };
  if (context.deployment.apiKey) headers['x-goog-api-key'] = context.deployment.apiKey;
  return {
    method: 'POST',
    url: geminiModelUrl(context, options.stream),
    headers,
    body: JSON.stringify(toGeminiRequestBody(request, context)),
  };
}
