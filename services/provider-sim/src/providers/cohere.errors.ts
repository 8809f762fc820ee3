import { jsonResponse, type ErrorCase, type WireResponse } from './provider';

function cohereBody(status: number, requestId: string, message: string): WireResponse {
  return jsonResponse(status, { id: requestId, message });
}

/**
 * Cohere's error responses, `{ id, message }` with the status saying the class: a missing or
 * wrong key 401, a rate limit 429, a prompt over the context window 400 "too many tokens: …",
 * a blocked prompt 400 "blocked input: …", an unknown model 404, a server error 500, an
 * unavailable or overloaded service 503.
 */
export function cohereError(error: ErrorCase, requestId: string): WireResponse {
  switch (error.kind) {
    case 'missing_key':
      return cohereBody(401, requestId, 'no api key supplied');
    case 'invalid_key':
      return cohereBody(401, requestId, 'invalid api token');
    case 'bad_json':
      return cohereBody(
        400,
        requestId,
        'invalid request: could not parse the request body as JSON',
      );
    case 'missing_version':
      return cohereBody(400, requestId, 'invalid request');
    case 'invalid_request':
      return cohereBody(
        400,
        requestId,
        error.message.startsWith('invalid request')
          ? error.message
          : `invalid request: ${error.message}`,
      );
    case 'rate_limit':
      return cohereBody(
        429,
        requestId,
        `You are past the per minute ${error.scope === 'requests' ? 'request' : 'token'} limit, please wait and try again later.`,
      );
    case 'server_error':
      return cohereBody(
        500,
        requestId,
        `internal server error, this has been reported to our developers. id ${requestId}`,
      );
    case 'unavailable':
      return cohereBody(503, requestId, 'service unavailable');
    case 'overloaded':
      return cohereBody(503, requestId, 'the model is overloaded, please try again later');
    case 'context_length':
      return cohereBody(
        400,
        requestId,
        `too many tokens: total number of tokens in the prompt cannot exceed ${error.max} - received ${error.tokens}. Try using a shorter prompt, or enabling prompt truncating. See https://docs.cohere.com/reference/generate for more details.`,
      );
    case 'content_policy':
      return cohereBody(
        400,
        requestId,
        'blocked input: please adjust your prompt and try again, as it may be a potential violation of our Usage Guidelines (https://docs.cohere.com/docs/usage-guidelines).',
      );
    case 'not_found':
      return cohereBody(
        404,
        requestId,
        `model '${error.model}' not found, make sure the correct model ID was used and that you have access to the model.`,
      );
    case 'unknown_path':
      return cohereBody(404, requestId, `no route for ${error.method} ${error.path}`);
    case 'too_large':
      return cohereBody(413, requestId, 'invalid request: request body is too large');
  }
}
