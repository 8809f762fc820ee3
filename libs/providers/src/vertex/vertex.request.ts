import type { VertexSettings } from '@switchyard/config';
import type { ChatCompletionRequest } from '@switchyard/contracts';
import type { AdapterContext, ProviderHttpRequest } from '../adapter';
import { buildAnthropicBody } from '../anthropic/anthropic.request';
import { toGeminiRequestBody } from '../gemini/gemini.request';
import { ProviderError } from '../provider-error';
import { VERTEX_ANTHROPIC_VERSION, VERTEX_PROVIDER } from './vertex.constants';
import { vertexModelUrl } from './vertex.url';

/** The Vertex AI settings of the call's deployment; a bad_request when config gave none. */
export function vertexOf(context: AdapterContext): VertexSettings {
  const vertex = context.deployment.vertex;
  if (vertex !== undefined) return vertex;
  throw new ProviderError(
    'bad_request',
    'vertex_settings_missing',
    `deployment ${context.deployment.id} has no Vertex AI project and location`,
    { provider: VERTEX_PROVIDER },
  );
}

/**
 * The body for a Claude model on Vertex AI: Anthropic's Messages body (see buildAnthropicBody)
 * without `model`, which the URL names, and with `anthropic_version: vertex-2023-10-16`.
 */
export function toVertexAnthropicBody(
  request: ChatCompletionRequest,
  context: AdapterContext,
  stream: boolean,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    anthropic_version: VERTEX_ANTHROPIC_VERSION,
    ...buildAnthropicBody(request, context, stream),
  };
  delete body['model'];
  return body;
}

/**
 * The HTTP request for a chat request on Vertex AI, with the access token as a Bearer (and, for
 * user credentials naming a `quota_project_id`, that project as `x-goog-user-project`, as
 * Google's client libraries send it):
 *
 * - Gemini (`publishers/google`): Gemini's `generateContent` body (see toGeminiRequestBody),
 *   `:generateContent`, or `:streamGenerateContent?alt=sse` for a stream;
 * - Claude (`publishers/anthropic`): the Messages body of toVertexAnthropicBody, `:rawPredict`,
 *   or `:streamRawPredict` for a stream.
 */
export function buildVertexRequest(
  request: ChatCompletionRequest,
  context: AdapterContext,
  options: { stream: boolean },
): ProviderHttpRequest {
  const vertex = vertexOf(context);
  const { apiBase, providerModel } = context.deployment;
  const google = vertex.publisher === 'google';
  const method = google
    ? options.stream
      ? 'streamGenerateContent?alt=sse'
      : 'generateContent'
    : options.stream
      ? 'streamRawPredict'
      : 'rawPredict';
  const body = google
    ? toGeminiRequestBody(request, context)
    : toVertexAnthropicBody(request, context, options.stream);
  return {
    method: 'POST',
    url: vertexModelUrl(vertex, apiBase, providerModel, method),
    headers: vertexHeaders(context, options.stream ? 'text/event-stream' : 'application/json'),
    body: JSON.stringify(body),
  };
}

/**
 * The headers of every Vertex AI call: a JSON body, the access token as a Bearer and, for user
 * credentials naming a `quota_project_id`, that project as `x-goog-user-project`.
 */
export function vertexHeaders(context: AdapterContext, accept: string): Record<string, string> {
  const quotaProject = vertexOf(context).credentials?.quota_project_id;
  return {
    'content-type': 'application/json',
    accept,
    ...(context.accessToken === undefined
      ? {}
      : { authorization: `Bearer ${context.accessToken}` }),
    ...(quotaProject === undefined ? {} : { 'x-goog-user-project': quotaProject }),
  };
}
