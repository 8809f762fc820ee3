import type { ErrorType } from '@switchyard/contracts';
import type { ResponseHeaders } from '../adapter';
import { toErrorCode } from '../error-code';
import { ProviderError } from '../provider-error';
import { parseDurationMs, retryAfterMs } from '../retry-after';
import { googleErrorBodySchema, type GoogleRpcStatus } from './gemini.types';

/** The provider name on every error this adapter raises. */
export const GEMINI_PROVIDER = 'gemini';

/**
 * How each `google.rpc.Code` name in `error.status` is classified. INVALID_ARGUMENT is refined
 * further (API keys, token limits) by {@link classifyGoogleStatus}.
 */
const statusTypes = {
  INVALID_ARGUMENT: 'bad_request',
  FAILED_PRECONDITION: 'bad_request',
  OUT_OF_RANGE: 'bad_request',
  ALREADY_EXISTS: 'bad_request',
  UNIMPLEMENTED: 'bad_request',
  UNAUTHENTICATED: 'auth',
  PERMISSION_DENIED: 'auth',
  NOT_FOUND: 'not_found',
  RESOURCE_EXHAUSTED: 'rate_limit',
  ABORTED: 'server',
  INTERNAL: 'server',
  UNKNOWN: 'server',
  DATA_LOSS: 'server',
  UNAVAILABLE: 'overloaded',
  DEADLINE_EXCEEDED: 'timeout',
  CANCELLED: 'connection',
} as const satisfies Record<string, ErrorType>;

type GoogleStatusName = keyof typeof statusTypes;

function isGoogleStatusName(name: string): name is GoogleStatusName {
  return Object.hasOwn(statusTypes, name);
}

/** Gemini's wording when the prompt is longer than the model's context window. */
const tokenLimitMessage =
  /exceeds the maximum number of tokens|input token count|token count .*exceeds|too many tokens/i;

/** The type an HTTP status means when the body names no Google status. */
export function typeForHttpStatus(status: number): ErrorType {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 429) return 'rate_limit';
  if (status === 503 || status === 529) return 'overloaded';
  if (status >= 500) return 'server';
  return 'bad_request';
}

/** A Google name as a Switchyard code: `RESOURCE_EXHAUSTED` → `resource_exhausted`. */
export function snakeCode(name: string): string {
  return toErrorCode(name) ?? 'unknown';
}

/** `reason` of the first `google.rpc.ErrorInfo` detail, such as `API_KEY_INVALID`. */
function errorInfoReason(status: GoogleRpcStatus): string | undefined {
  return status.details?.find(
    (detail) => detail['@type']?.endsWith('google.rpc.ErrorInfo') === true && detail.reason,
  )?.reason;
}

/** Milliseconds of the first `google.rpc.RetryInfo` detail's `retryDelay` (`"30s"`). */
function retryInfoDelayMs(status: GoogleRpcStatus): number | undefined {
  for (const detail of status.details ?? []) {
    if (detail['@type']?.endsWith('google.rpc.RetryInfo') !== true) continue;
    if (detail.retryDelay === undefined) continue;
    const ms = parseDurationMs(detail.retryDelay);
    if (ms !== undefined) return Math.ceil(ms);
  }
  return undefined;
}

/**
 * The classified error for a Google `error` object (`google.rpc.Status`), from a non-2xx body or
 * from an error event inside a stream. `httpStatus` is the response's status (for a stream
 * error, the object's own `code`). The code is the ErrorInfo reason for key problems
 * (`api_key_invalid`), `context_length_exceeded` for an over-long prompt, else the Google status
 * in lower snake case (`resource_exhausted`). The retry delay comes from RetryInfo, else from
 * the Retry-After header.
 */
export function classifyGoogleStatus(
  httpStatus: number,
  status: GoogleRpcStatus,
  headers: ResponseHeaders = {},
): ProviderError {
  const statusName = status.status?.toUpperCase();
  const message =
    status.message !== undefined && status.message !== ''
      ? status.message
      : `Gemini returned HTTP ${httpStatus}${statusName ? ` ${statusName}` : ''}`;
  const reason = errorInfoReason(status);

  let type: ErrorType;
  let code: string;
  if (reason?.startsWith('API_KEY_') === true) {
    type = 'auth';
    code = snakeCode(reason);
  } else if (statusName !== undefined && isGoogleStatusName(statusName)) {
    type = statusTypes[statusName];
    code = snakeCode(type === 'auth' && reason !== undefined ? reason : statusName);
  } else {
    type = typeForHttpStatus(httpStatus);
    code = statusName !== undefined ? snakeCode(statusName) : `http_${httpStatus}`;
  }
  if (type === 'bad_request' && tokenLimitMessage.test(message)) {
    type = 'context_window_exceeded';
    code = 'context_length_exceeded';
  }

  const retryable = type === 'rate_limit' || type === 'overloaded' || type === 'server';
  const retryAfter = retryable ? (retryInfoDelayMs(status) ?? retryAfterMs(headers)) : undefined;
  return new ProviderError(type, code, message, {
    provider: GEMINI_PROVIDER,
    providerStatus: httpStatus,
    ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
  });
}

/**
 * The classified error for a non-2xx Gemini response. A JSON body in Google's shape is read by
 * {@link classifyGoogleStatus}; anything else (an HTML page from a proxy, an empty body) is
 * classified by the HTTP status alone, with code `http_<status>`.
 */
export function classifyGeminiError(
  status: number,
  bodyText: string,
  headers: ResponseHeaders,
): ProviderError {
  const parsed = googleErrorBodySchema.safeParse(parseJson(bodyText));
  if (parsed.success) {
    const error = Array.isArray(parsed.data) ? parsed.data[0].error : parsed.data.error;
    return classifyGoogleStatus(status, error, headers);
  }
  const type = typeForHttpStatus(status);
  const retryable = type === 'rate_limit' || type === 'overloaded' || type === 'server';
  const retryAfter = retryable ? retryAfterMs(headers) : undefined;
  const snippet = bodyText.trim() === '' ? 'an empty body' : 'a body that is not a Google error';
  return new ProviderError(
    type,
    `http_${status}`,
    `Gemini returned HTTP ${status} with ${snippet}`,
    {
      provider: GEMINI_PROVIDER,
      providerStatus: status,
      ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
    },
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A request this adapter cannot translate: not retryable, with the parameter at fault. */
export function geminiBadRequest(message: string, param: string): ProviderError {
  return new ProviderError('bad_request', 'unsupported_parameter', message, {
    provider: GEMINI_PROVIDER,
    param,
  });
}

/** A request whose content cannot be expressed for Gemini (not a droppable parameter). */
export function geminiInvalidRequest(message: string, param: string): ProviderError {
  return new ProviderError('bad_request', 'invalid_request', message, {
    provider: GEMINI_PROVIDER,
    param,
  });
}

/** A 2xx body or stream event this adapter cannot read. */
export function geminiMalformed(message: string, cause?: unknown): ProviderError {
  return new ProviderError('server', 'malformed_response', message, {
    provider: GEMINI_PROVIDER,
    ...(cause === undefined ? {} : { cause }),
  });
}
