import { isRetryable, type ErrorType } from '@switchyard/contracts';
import type { ResponseHeaders } from '../adapter';
import { ProviderError } from '../provider-error';
import { retryAfterMs } from '../retry-after';
import { COHERE_PROVIDER } from './cohere.constants';
import { cohereErrorBodySchema } from './cohere.types';

/** A class and a stable code. */
interface ErrorClass {
  type: ErrorType;
  code: string;
}

/*
 * Cohere's statuses (https://docs.cohere.com/reference/errors, and the error classes of the
 * cohere-ai SDK): 400 BadRequest, 401 Unauthorized, 402 payment required, 403 Forbidden,
 * 404 NotFound, 422 UnprocessableEntity, 429 TooManyRequests, 498 InvalidToken,
 * 499 ClientClosedRequest, 500 InternalServer, 501 NotImplemented, 503 ServiceUnavailable,
 * 504 GatewayTimeout. The body says only `{message}` (sometimes with an `id`): the status
 * decides the class, the message refines a 400.
 */
const statusClasses: Readonly<Record<number, ErrorClass>> = {
  400: { type: 'bad_request', code: 'bad_request' },
  401: { type: 'auth', code: 'unauthorized' },
  402: { type: 'auth', code: 'payment_required' },
  403: { type: 'auth', code: 'forbidden' },
  404: { type: 'not_found', code: 'not_found' },
  408: { type: 'timeout', code: 'request_timeout' },
  413: { type: 'bad_request', code: 'request_too_large' },
  422: { type: 'bad_request', code: 'unprocessable_entity' },
  429: { type: 'rate_limit', code: 'rate_limit_exceeded' },
  498: { type: 'auth', code: 'invalid_token' },
  // Cohere saw the request as cancelled: nothing was wrong with it, a retry may succeed.
  499: { type: 'connection', code: 'client_closed_request' },
  500: { type: 'server', code: 'internal_server_error' },
  501: { type: 'bad_request', code: 'not_implemented' },
  502: { type: 'server', code: 'bad_gateway' },
  503: { type: 'overloaded', code: 'service_unavailable' },
  504: { type: 'timeout', code: 'gateway_timeout' },
  529: { type: 'overloaded', code: 'overloaded' },
};

/** The class of a status alone: the table, else any other 5xx `server`, 4xx `bad_request`. */
export function classOfStatus(status: number): ErrorClass {
  const known = statusClasses[status];
  if (known !== undefined) return known;
  if (status >= 500) return { type: 'server', code: `http_${status}` };
  return { type: 'bad_request', code: `http_${status}` };
}

/**
 * "too many tokens: total number of tokens in the prompt cannot exceed 4081 - received 4292…",
 * "too many tokens: size limit exceeded by 11326 tokens…" (but not "too many tokens: max
 * tokens must be less than or equal to 4096", which is about the request's max_tokens).
 */
const contextWindowMessage =
  /too many tokens: (?!max tokens)|prompt (?:is )?too long|exceeds? (?:the )?(?:model'?s? )?context/i;

/** "blocked input: please adjust your prompt…", "blocked output…", usage-guidelines refusals. */
const contentPolicyMessage = /^blocked (?:input|output)|usage guidelines/i;

/**
 * The class of a Cohere error: by status (see the table above), a 400 or 422 whose message
 * says the prompt is too long → context_window_exceeded (`context_length_exceeded`), one that
 * says the input or output was blocked → content_policy (`content_policy_violation`).
 */
export function classifyCohereMessage(status: number, message: string): ErrorClass {
  const byStatus = classOfStatus(status);
  if (byStatus.type !== 'bad_request') return byStatus;
  if (contextWindowMessage.test(message)) {
    return { type: 'context_window_exceeded', code: 'context_length_exceeded' };
  }
  if (contentPolicyMessage.test(message)) {
    return { type: 'content_policy', code: 'content_policy_violation' };
  }
  return byStatus;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A short, single-line excerpt of a body that is not a Cohere error (HTML tags removed). */
function excerpt(bodyText: string): string {
  const flat = bodyText
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

/**
 * The classified error for a non-2xx Cohere response. A JSON `{message}` body is classified by
 * status and message ({@link classifyCohereMessage}) and keeps Cohere's message; any other body
 * (an HTML page from a proxy, an empty body) by the status alone. `retryAfterMs` comes from the
 * `retry-after` header, for the retryable classes.
 */
export function classifyCohereError(
  status: number,
  bodyText: string,
  headers: ResponseHeaders,
  now: number = Date.now(),
): ProviderError {
  const parsed = cohereErrorBodySchema.safeParse(parseJson(bodyText));
  const message =
    parsed.success && parsed.data.message !== ''
      ? parsed.data.message
      : `Cohere answered HTTP ${status}${bodyText.trim() === '' ? ' with an empty body' : `: ${excerpt(bodyText)}`}`;
  const { type, code } = parsed.success
    ? classifyCohereMessage(status, parsed.data.message)
    : classOfStatus(status);
  const delay = isRetryable(type) ? retryAfterMs(headers, now) : undefined;
  return new ProviderError(type, code, message, {
    provider: COHERE_PROVIDER,
    providerStatus: status,
    ...(delay === undefined ? {} : { retryAfterMs: delay }),
  });
}

/** A `server` / `malformed_response` error for a 2xx body or stream event the adapter cannot read. */
export function cohereMalformed(message: string, cause?: unknown): ProviderError {
  return new ProviderError('server', 'malformed_response', message, {
    provider: COHERE_PROVIDER,
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * The error for an answer Cohere ended with finish reason `ERROR` (`server`, retryable, code
 * `generation_error`) or `TIMEOUT` (`timeout`, code `generation_timeout`), with Cohere's
 * message when it sent one.
 */
export function generationFailure(reason: 'ERROR' | 'TIMEOUT', message?: string): ProviderError {
  return reason === 'ERROR'
    ? new ProviderError(
        'server',
        'generation_error',
        message ?? 'Cohere failed to generate the answer',
        {
          provider: COHERE_PROVIDER,
        },
      )
    : new ProviderError(
        'timeout',
        'generation_timeout',
        message ?? 'Cohere ran out of time generating the answer',
        {
          provider: COHERE_PROVIDER,
        },
      );
}

/**
 * For a parameter Cohere cannot honour: throws the `bad_request` error (`unsupported_parameter`,
 * with `param`), or, with `dropParams` on, returns so that the caller leaves it out.
 */
export function rejectUnlessDropped(dropParams: boolean, param: string, message: string): void {
  if (dropParams) return;
  throw new ProviderError('bad_request', 'unsupported_parameter', message, {
    provider: COHERE_PROVIDER,
    param,
  });
}

/** A request whose content cannot be expressed for Cohere (not a droppable parameter). */
export function cohereInvalidRequest(message: string, param: string): ProviderError {
  return new ProviderError('bad_request', 'invalid_request', message, {
    provider: COHERE_PROVIDER,
    param,
  });
}
