import { eventStreamFrame } from './bedrock.response';
import type { ErrorCase, WireResponse } from './provider';

function awsError(
  status: number,
  errorType: string,
  message: string,
  requestId: string,
): WireResponse {
  return {
    status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-errortype': `${errorType}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
      'x-amzn-requestid': requestId,
    },
    body: JSON.stringify({ message }),
  };
}

/** The error class and message of an error case, as Bedrock Runtime names them. */
function errorOf(error: ErrorCase): { status: number; type: string; message: string } {
  switch (error.kind) {
    case 'missing_key':
      return {
        status: 403,
        type: 'MissingAuthenticationTokenException',
        message: 'Missing Authentication Token',
      };
    case 'invalid_key':
      return {
        status: 403,
        type: 'UnrecognizedClientException',
        message: 'The security token included in the request is invalid.',
      };
    case 'missing_version':
    case 'bad_json':
      return {
        status: 400,
        type: 'ValidationException',
        message: 'Malformed input request, please reformat your input and try again.',
      };
    case 'invalid_request':
      if (
        error.code === 'InvalidSignatureException' ||
        error.code === 'IncompleteSignatureException'
      ) {
        return { status: 403, type: error.code, message: error.message };
      }
      return { status: 400, type: 'ValidationException', message: error.message };
    case 'rate_limit':
      return {
        status: 429,
        type: 'ThrottlingException',
        message: 'Too many requests, please wait before trying again.',
      };
    case 'server_error':
      return {
        status: 500,
        type: 'InternalServerException',
        message: 'The server encountered an internal error while processing the request.',
      };
    case 'unavailable':
      return {
        status: 503,
        type: 'ServiceUnavailableException',
        message: 'Bedrock is unable to process your request.',
      };
    case 'overloaded':
      return {
        status: 503,
        type: 'ServiceUnavailableException',
        message: 'Model is getting throttled. Try your request again.',
      };
    case 'context_length':
      return {
        status: 400,
        type: 'ValidationException',
        message: `Input is too long for requested model. (${error.tokens} tokens > ${error.max} maximum)`,
      };
    case 'content_policy':
      return {
        status: 400,
        type: 'ValidationException',
        message: 'Output blocked by content filtering policy',
      };
    case 'not_found':
      return {
        status: 404,
        type: 'ResourceNotFoundException',
        message: `Model ${error.model} not found. Check the model identifier and the region.`,
      };
    case 'unknown_path':
      return {
        status: 404,
        type: 'UnknownOperationException',
        message: `No operation for ${error.method} ${error.path}`,
      };
    case 'too_large':
      return { status: 413, type: 'ValidationException', message: 'Request body too large.' };
  }
}

/**
 * Bedrock Runtime's error responses: the status, `{message}` and the class in the
 * `x-amzn-ErrorType` header (ThrottlingException 429, ValidationException 400 — the context
 * length and the content filter too —, MissingAuthenticationTokenException and
 * UnrecognizedClientException 403, ResourceNotFoundException 404, InternalServerException 500,
 * ServiceUnavailableException 503).
 */
export function bedrockError(error: ErrorCase, requestId: string): WireResponse {
  const { status, type, message } = errorOf(error);
  return awsError(status, type, message, requestId);
}

/** An exception frame in the middle of a ConverseStream (`:exception-type: internalServerException`, …). */
export function bedrockStreamError(error: ErrorCase): Uint8Array {
  const { type, message } = errorOf(error);
  const name = type.charAt(0).toLowerCase() + type.slice(1);
  return eventStreamFrame(name, { message }, 'exception');
}
