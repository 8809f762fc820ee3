import { jsonResponse, type ErrorCase, type WireResponse } from './provider';

/** Anthropic's `error.type` values the simulator uses. */
type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'overloaded_error';

function anthropicBody(
  status: number,
  type: AnthropicErrorType,
  message: string,
  requestId: string,
): WireResponse {
  return jsonResponse(status, { type: 'error', error: { type, message }, request_id: requestId });
}

/** The accepted `anthropic-version` values. */
export const anthropicVersions = ['2023-01-01', '2023-06-01', '2026-10-21'] as const;

/**
 * Anthropic's error responses: `{ type: "error", error: { type, message }, request_id }`, with
 * 529 for overload and 400 "Output blocked by content filtering policy" for a blocked prompt.
 */
export function anthropicError(error: ErrorCase, requestId: string): WireResponse {
  switch (error.kind) {
    case 'missing_key':
      return anthropicBody(401, 'authentication_error', 'x-api-key header is required', requestId);
    case 'invalid_key':
      return anthropicBody(401, 'authentication_error', 'invalid x-api-key', requestId);
    case 'missing_version':
      return anthropicBody(
        400,
        'invalid_request_error',
        'anthropic-version: header is required',
        requestId,
      );
    case 'bad_json':
      return anthropicBody(
        400,
        'invalid_request_error',
        'The request body is not valid JSON: expected value: line 1 column 1 (char 0)',
        requestId,
      );
    case 'invalid_request':
      return anthropicBody(400, 'invalid_request_error', error.message, requestId);
    case 'rate_limit': {
      const what = error.scope === 'requests' ? 'requests' : 'input tokens';
      return anthropicBody(
        429,
        'rate_limit_error',
        `This request would exceed the rate limit for your organization (provider-sim) of ${error.limit} ${what} per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later. You may also contact sales at https://www.anthropic.com/contact-sales to discuss your options for a rate limit increase.`,
        requestId,
      );
    }
    case 'server_error':
      return anthropicBody(500, 'api_error', 'Internal server error', requestId);
    case 'unavailable':
      return anthropicBody(503, 'api_error', 'Service unavailable', requestId);
    case 'overloaded':
      return anthropicBody(529, 'overloaded_error', 'Overloaded', requestId);
    case 'context_length':
      return anthropicBody(
        400,
        'invalid_request_error',
        `prompt is too long: ${error.tokens} tokens > ${error.max} maximum`,
        requestId,
      );
    case 'content_policy':
      return anthropicBody(
        400,
        'invalid_request_error',
        'Output blocked by content filtering policy',
        requestId,
      );
    case 'not_found':
      return anthropicBody(404, 'not_found_error', `model: ${error.model}`, requestId);
    case 'unknown_path':
      return anthropicBody(404, 'not_found_error', 'Not Found', requestId);
    case 'too_large':
      return anthropicBody(
        413,
        'request_too_large',
        'Request exceeds the maximum allowed number of bytes.',
        requestId,
      );
  }
}
