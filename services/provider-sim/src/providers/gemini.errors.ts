import { jsonResponse, type ErrorCase, type WireResponse } from './provider';

const statusNames: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

function googleBody(code: number, message: string, details?: unknown[]): WireResponse {
  return jsonResponse(code, {
    error: {
      code,
      message,
      status: statusNames[code] ?? 'UNKNOWN',
      ...(details !== undefined ? { details } : {}),
    },
  });
}

/**
 * Gemini's error responses, Google's `{ error: { code, message, status, details? } }`: a wrong
 * key is 400 INVALID_ARGUMENT with ErrorInfo API_KEY_INVALID, a missing one 403
 * PERMISSION_DENIED, a rate limit 429 RESOURCE_EXHAUSTED with QuotaFailure, Help and RetryInfo.
 */
export function geminiError(error: ErrorCase, _requestId: string): WireResponse {
  switch (error.kind) {
    case 'missing_key':
      return googleBody(
        403,
        "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
      );
    case 'invalid_key': {
      const message = 'API key not valid. Please pass a valid API key.';
      return googleBody(400, message, [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'API_KEY_INVALID',
          domain: 'googleapis.com',
          metadata: { service: 'generativelanguage.googleapis.com' },
        },
        { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message },
      ]);
    }
    case 'bad_json': {
      const message = 'Invalid JSON payload received. Unexpected token.';
      return googleBody(400, message, [
        {
          '@type': 'type.googleapis.com/google.rpc.BadRequest',
          fieldViolations: [{ description: message }],
        },
      ]);
    }
    case 'missing_version':
    case 'invalid_request':
      return googleBody(400, error.kind === 'invalid_request' ? error.message : 'Invalid request.');
    case 'rate_limit': {
      const requests = error.scope === 'requests';
      return googleBody(
        429,
        'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.',
        [
          {
            '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
            violations: [
              {
                quotaMetric: requests
                  ? 'generativelanguage.googleapis.com/generate_content_paid_tier_requests'
                  : 'generativelanguage.googleapis.com/generate_content_paid_tier_input_token_count',
                quotaId: requests
                  ? 'GenerateRequestsPerMinutePerProjectPerModel'
                  : 'GenerateContentPaidTierInputTokensPerModelPerMinute',
                quotaDimensions: { location: 'global', model: error.model },
                quotaValue: String(error.limit),
              },
            ],
          },
          {
            '@type': 'type.googleapis.com/google.rpc.Help',
            links: [
              {
                description: 'Learn more about Gemini API quotas',
                url: 'https://ai.google.dev/gemini-api/docs/rate-limits',
              },
            ],
          },
          {
            '@type': 'type.googleapis.com/google.rpc.RetryInfo',
            retryDelay: `${error.retryAfterS}s`,
          },
        ],
      );
    }
    case 'server_error':
      return googleBody(
        500,
        'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
      );
    case 'unavailable':
      return googleBody(503, 'The service is currently unavailable.');
    case 'overloaded':
      return googleBody(503, 'The model is overloaded. Please try again later.');
    case 'context_length':
      return googleBody(
        400,
        `The input token count (${error.tokens}) exceeds the maximum number of tokens allowed (${error.max}).`,
      );
    case 'content_policy':
      // Not reached by the simulator: Gemini answers a blocked prompt with 200 (geminiBlocked).
      return googleBody(400, 'The request was blocked for safety reasons.');
    case 'not_found':
      return googleBody(
        404,
        `models/${error.model} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`,
      );
    case 'unknown_path':
      return googleBody(404, `Method not found: ${error.method} ${error.path}`);
    case 'too_large':
      return googleBody(400, 'Request payload size exceeds the limit: 20971520 bytes.');
  }
}
