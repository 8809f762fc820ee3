import { goDuration } from '../rate-limit';
import { jsonResponse, type ErrorCase, type WireResponse } from './provider';

function openAiBody(
  status: number,
  message: string,
  type: string | null,
  param: string | null = null,
  code: string | null = null,
): WireResponse {
  return jsonResponse(status, { error: { message, type, param, code } });
}

/** `sk-abc…wxyz` as OpenAI prints a wrong key: the start and the last four characters. */
export function maskKey(key: string): string {
  if (key.length <= 8) return '*'.repeat(key.length);
  return `${key.slice(0, 3)}${'*'.repeat(Math.min(key.length - 7, 40))}${key.slice(-4)}`;
}

/** OpenAI's error responses: `{ error: { message, type, param, code } }` with its statuses. */
export function openAiError(error: ErrorCase, requestId: string): WireResponse {
  switch (error.kind) {
    case 'missing_key':
      return openAiBody(
        401,
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username. You can obtain an API key from https://platform.openai.com/account/api-keys.",
        'invalid_request_error',
      );
    case 'invalid_key':
      return openAiBody(
        401,
        `Incorrect API key provided: ${maskKey(error.key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        'invalid_request_error',
        null,
        'invalid_api_key',
      );
    case 'bad_json':
      return openAiBody(
        400,
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)",
        'invalid_request_error',
      );
    case 'missing_version':
    case 'invalid_request':
      return openAiBody(
        400,
        error.kind === 'invalid_request' ? error.message : 'Missing API version.',
        'invalid_request_error',
        error.kind === 'invalid_request' ? (error.param ?? null) : null,
        error.kind === 'invalid_request' ? (error.code ?? null) : null,
      );
    case 'rate_limit': {
      const per = error.scope === 'requests' ? 'requests per min (RPM)' : 'tokens per min (TPM)';
      return openAiBody(
        429,
        `Rate limit reached for ${error.model} in organization org-provider-sim on ${per}: Limit ${error.limit}, Used ${error.limit}, Requested ${error.requested}. Please try again in ${goDuration(error.retryAfterS * 1000)}. Visit https://platform.openai.com/account/rate-limits to learn more.`,
        error.scope,
        null,
        'rate_limit_exceeded',
      );
    }
    case 'server_error':
      return openAiBody(
        500,
        'The server had an error while processing your request. Sorry about that!',
        'server_error',
      );
    case 'unavailable':
      return openAiBody(503, 'The server is overloaded or not ready yet.', 'server_error');
    case 'overloaded':
      return openAiBody(
        503,
        `That model is currently overloaded with other requests. You can retry your request, or contact us through our help center at help.openai.com if the error persists. (Please include the request ID ${requestId} in your message.)`,
        'server_error',
      );
    case 'context_length':
      return openAiBody(
        400,
        `This model's maximum context length is ${error.max} tokens. However, your messages resulted in ${error.tokens} tokens. Please reduce the length of the messages.`,
        'invalid_request_error',
        'messages',
        'context_length_exceeded',
      );
    case 'content_policy':
      return openAiBody(
        400,
        'Your request was rejected as a result of our safety system. Your prompt may contain text that is not allowed by our safety system.',
        'invalid_request_error',
        null,
        'content_policy_violation',
      );
    case 'not_found':
      return openAiBody(
        404,
        `The model \`${error.model}\` does not exist or you do not have access to it.`,
        'invalid_request_error',
        null,
        'model_not_found',
      );
    case 'unknown_path':
      return openAiBody(
        404,
        `Invalid URL (${error.method} ${error.path})`,
        'invalid_request_error',
      );
    case 'too_large':
      return openAiBody(
        413,
        'Request too large: the request body exceeds the maximum size.',
        'invalid_request_error',
      );
  }
}

const filterResult = {
  hate: { filtered: false, severity: 'safe' },
  self_harm: { filtered: false, severity: 'safe' },
  sexual: { filtered: false, severity: 'safe' },
  violence: { filtered: false, severity: 'safe' },
} as const;

/** Azure's content-filter annotation of a prompt or choice that passed. */
export const azurePassedFilter = filterResult;

function azureBody(status: number, code: string, message: string): WireResponse {
  return jsonResponse(status, { error: { code, message } });
}

/**
 * Azure OpenAI's error responses: its own `{ error: { code, message } }` for keys, missing
 * api-version, deployments and rate limits, its content_filter body, OpenAI's shape otherwise.
 */
export function azureError(error: ErrorCase, requestId: string, apiVersion: string): WireResponse {
  switch (error.kind) {
    case 'missing_key':
    case 'invalid_key':
      return azureBody(
        401,
        '401',
        'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
      );
    case 'missing_version':
      return azureBody(404, '404', 'Resource not found');
    case 'not_found':
      return azureBody(
        404,
        'DeploymentNotFound',
        'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
      );
    case 'rate_limit':
      return azureBody(
        429,
        '429',
        `Requests to the ChatCompletions_Create Operation under Azure OpenAI API version ${apiVersion} have exceeded ${error.scope === 'requests' ? 'call' : 'token'} rate limit of your current OpenAI S0 pricing tier. Please retry after ${error.retryAfterS} second${error.retryAfterS === 1 ? '' : 's'}. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.`,
      );
    case 'content_policy':
      return jsonResponse(400, {
        error: {
          message:
            "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766",
          type: null,
          param: 'prompt',
          code: 'content_filter',
          status: 400,
          innererror: {
            code: 'ResponsibleAIPolicyViolation',
            content_filter_result: {
              ...filterResult,
              violence: { filtered: true, severity: 'high' },
            },
          },
        },
      });
    case 'server_error':
      return openAiBody(
        500,
        `The server had an error processing your request. Sorry about that! You can retry your request, or contact us through an Azure support request at: https://go.microsoft.com/fwlink/?linkid=2213926 if you keep seeing this error. (Please include the request ID ${requestId} in your email.)`,
        'server_error',
      );
    default:
      return openAiError(error, requestId);
  }
}
