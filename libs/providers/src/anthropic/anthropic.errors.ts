import { formatIssues, isRetryable, type ErrorType } from '@switchyard/contracts';
import type { z } from 'zod';
import type { ResponseHeaders } from '../adapter';
import { toErrorCode } from '../error-code';
import { ProviderError } from '../provider-error';
import { retryAfterMs } from '../retry-after';
import { ANTHROPIC_PROVIDER } from './anthropic.constants';
import { anthropicErrorBodySchema, type AnthropicErrorObject } from './anthropic.schemas';

/*
 * Anthropic's error `type` → Switchyard's class, per https://docs.claude.com/en/api/errors:
 * invalid_request_error 400, authentication_error 401, billing_error 402, permission_error 403,
 * not_found_error 404, request_too_large 413, rate_limit_error 429, api_error 500,
 * timeout_error 504, overloaded_error 529.
 */
const errorTypeClasses: Readonly<Record<string, { type: ErrorType; code: string }>> = {
  invalid_request_error: { type: 'bad_request', code: 'invalid_request_error' },
  authentication_error: { type: 'auth', code: 'authentication_error' },
  permission_error: { type: 'auth', code: 'permission_error' },
  billing_error: { type: 'auth', code: 'billing_error' },
  not_found_error: { type: 'not_found', code: 'not_found_error' },
  request_too_large: { type: 'bad_request', code: 'request_too_large' },
  rate_limit_error: { type: 'rate_limit', code: 'rate_limit_exceeded' },
  api_error: { type: 'server', code: 'api_error' },
  timeout_error: { type: 'timeout', code: 'timeout_error' },
  overloaded_error: { type: 'overloaded', code: 'overloaded' },
};

/** The class of a status when the body says nothing Anthropic-shaped. */
function classOfStatus(status: number): { type: ErrorType; code: string } {
  switch (status) {
    case 400:
      return { type: 'bad_request', code: 'invalid_request_error' };
    case 401:
      return { type: 'auth', code: 'authentication_error' };
    case 402:
      return { type: 'auth', code: 'billing_error' };
    case 403:
      return { type: 'auth', code: 'permission_error' };
    case 404:
      return { type: 'not_found', code: 'not_found_error' };
    case 408:
    case 504:
      return { type: 'timeout', code: 'timeout_error' };
    case 413:
      return { type: 'bad_request', code: 'request_too_large' };
    case 429:
      return { type: 'rate_limit', code: 'rate_limit_exceeded' };
    case 503:
    case 529:
      return { type: 'overloaded', code: 'overloaded' };
    default:
      if (status >= 500) return { type: 'server', code: 'server_error' };
      return { type: 'bad_request', code: `http_${status}` };
  }
}

/** "prompt is too long: 208310 tokens > 200000 maximum", "input length and `max_tokens` exceed context limit…". */
const contextWindowMessage =
  /prompt is too long|exceeds? (the )?(model'?s? )?context (window|limit|length)|context (window|limit|length) exceeded|input length and `?max_tokens`? exceed/i;

/** "Output blocked by content filtering policy". */
const contentPolicyMessage = /content filtering policy|content policy/i;

/** "Your credit balance is too low to access the Anthropic API…". */
const creditMessage = /credit balance is too low/i;

/**
 * The class of an Anthropic error object. The error `type` decides; the message refines an
 * invalid_request_error into context_window_exceeded (prompt too long), content_policy (output
 * blocked by the content filter) or auth (credit balance too low); the status decides for a
 * type Anthropic added later. `details.error_code`, when present, becomes the code, and the
 * spend-limit codes of a rate_limit_error (`*_spend_limit_reached`) are auth too: waiting does
 * not cure an account that is out of credit, another deployment can serve. (budget_exceeded
 * is kept for a tenant's own Switchyard budget.)
 */
function classify(
  error: AnthropicErrorObject,
  status: number | undefined,
): { type: ErrorType; code: string } {
  const detailCode = toErrorCode(error.details?.error_code);
  const aboutTheRequest =
    error.type === 'invalid_request_error' || error.type === 'request_too_large';
  if (aboutTheRequest && contextWindowMessage.test(error.message)) {
    return { type: 'context_window_exceeded', code: 'context_length_exceeded' };
  }
  if (error.type === 'invalid_request_error' && contentPolicyMessage.test(error.message)) {
    return { type: 'content_policy', code: 'content_policy_violation' };
  }
  if (creditMessage.test(error.message)) {
    return { type: 'auth', code: detailCode ?? 'credit_balance_too_low' };
  }
  if (detailCode?.endsWith('spend_limit_reached')) {
    return { type: 'auth', code: detailCode };
  }
  const unavailable = status === 503 || status === 529;
  const byType = errorTypeClasses[error.type];
  const known = unavailable
    ? { type: 'overloaded' as const, code: byType?.code ?? toErrorCode(error.type) ?? 'overloaded' }
    : byType;
  const base =
    known ??
    (status === undefined
      ? { type: 'server' as const, code: toErrorCode(error.type) ?? 'api_error' }
      : classOfStatus(status));
  return detailCode === undefined ? base : { type: base.type, code: detailCode };
}

/**
 * The ProviderError for an Anthropic error object, from an HTTP error body or a stream `error`
 * event (`status` undefined). The message is Anthropic's own.
 */
export function anthropicErrorFromObject(
  error: AnthropicErrorObject,
  options: { status?: number; retryAfterMs?: number } = {},
): ProviderError {
  const { type, code } = classify(error, options.status);
  return new ProviderError(type, code, error.message === '' ? error.type : error.message, {
    provider: ANTHROPIC_PROVIDER,
    ...(options.status === undefined ? {} : { providerStatus: options.status }),
    ...(options.retryAfterMs !== undefined && isRetryable(type)
      ? { retryAfterMs: options.retryAfterMs }
      : {}),
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A short, single-line excerpt of a body that is not an Anthropic error (tags of an HTML page removed). */
function excerpt(bodyText: string): string {
  const flat = bodyText
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

/**
 * The classified error for a non-2xx Anthropic response. JSON in Anthropic's error shape is
 * classified by its `error.type` and message; any other body (an HTML page from a proxy, an
 * empty body) by the status alone. `retryAfterMs` comes from `retry-after-ms`, `retry-after`
 * and the `anthropic-ratelimit-*-reset` headers, for the retryable classes.
 */
export function classifyAnthropicError(
  status: number,
  bodyText: string,
  headers: ResponseHeaders,
  now: number = Date.now(),
): ProviderError {
  const delay = retryAfterMs(headers, now);
  const parsed = anthropicErrorBodySchema.safeParse(parseJson(bodyText));
  if (parsed.success) {
    return anthropicErrorFromObject(parsed.data.error, {
      status,
      ...(delay === undefined ? {} : { retryAfterMs: delay }),
    });
  }
  const { type, code } = classOfStatus(status);
  const body = excerpt(bodyText);
  const message = `Anthropic answered HTTP ${status}${body === '' ? ' with an empty body' : `: ${body}`}`;
  return new ProviderError(type, code, message, {
    provider: ANTHROPIC_PROVIDER,
    providerStatus: status,
    ...(delay !== undefined && isRetryable(type) ? { retryAfterMs: delay } : {}),
  });
}

/** A `server` / `malformed_response` error for a 2xx body or event the adapter cannot read. */
export function malformedResponse(
  what: string,
  issues?: readonly z.core.$ZodIssue[],
): ProviderError {
  const detail = issues === undefined ? '' : `: ${formatIssues(issues, 5)}`;
  return new ProviderError('server', 'malformed_response', `Anthropic sent ${what}${detail}`, {
    provider: ANTHROPIC_PROVIDER,
  });
}

/**
 * The `bad_request` error for a request parameter Anthropic cannot honour. `code` is
 * `unsupported_parameter` for a parameter the Messages API lacks, `invalid_value` for a value it
 * cannot take.
 */
export function badParameter(
  param: string,
  code: 'unsupported_parameter' | 'invalid_value',
  message: string,
): ProviderError {
  return new ProviderError('bad_request', code, message, { provider: ANTHROPIC_PROVIDER, param });
}

/**
 * For a parameter Anthropic cannot honour: throws the `bad_request` error, or, with `dropParams`
 * on, returns undefined so that the caller leaves the parameter out.
 */
export function dropOrReject(
  dropParams: boolean,
  param: string,
  code: 'unsupported_parameter' | 'invalid_value',
  message: string,
): undefined {
  if (!dropParams) throw badParameter(param, code, message);
  return undefined;
}
