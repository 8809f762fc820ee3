import type { ResponseHeaders } from '../adapter';
import { classifyAnthropicError } from '../anthropic/anthropic.errors';
import { classifyGeminiError } from '../gemini/gemini.errors';
import { ProviderError } from '../provider-error';
import { VERTEX_PROVIDER } from './vertex.constants';

/** The same error, naming Vertex AI as the provider that failed. */
export function asVertexError(error: ProviderError): ProviderError {
  if (error.provider === VERTEX_PROVIDER) return error;
  return new ProviderError(error.type, error.code, error.message, {
    provider: VERTEX_PROVIDER,
    ...(error.providerStatus === undefined ? {} : { providerStatus: error.providerStatus }),
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    ...(error.param === undefined ? {} : { param: error.param }),
    ...(error.cause === undefined ? {} : { cause: error.cause }),
  });
}

/** Runs `step`, turning a ProviderError it throws into a Vertex AI one (see asVertexError). */
export function asVertex<T>(step: () => T): T {
  try {
    return step();
  } catch (error) {
    throw error instanceof ProviderError ? asVertexError(error) : error;
  }
}

/** Whether a body is Anthropic's `{"type":"error","error":{…}}`. */
function isAnthropicErrorBody(bodyText: string): boolean {
  try {
    const body: unknown = JSON.parse(bodyText);
    return typeof body === 'object' && body !== null && 'type' in body && body.type === 'error';
  } catch {
    return false;
  }
}

/**
 * The classified error for a non-2xx Vertex AI response. Vertex AI itself (auth, quota, unknown
 * models) answers in Google's `{error: {code, message, status}}` shape, read as Gemini's errors
 * are; a Claude model's own refusals come in Anthropic's `{type: "error", error: {…}}` shape,
 * read as Anthropic's are. Other bodies are classified by the status.
 */
export function classifyVertexError(
  status: number,
  bodyText: string,
  headers: ResponseHeaders,
): ProviderError {
  return asVertexError(
    isAnthropicErrorBody(bodyText)
      ? classifyAnthropicError(status, bodyText, headers)
      : classifyGeminiError(status, bodyText, headers),
  );
}
