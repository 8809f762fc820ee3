import { formatIssues, isRetryable, type ErrorType } from '@switchyard/contracts';
import type { z } from 'zod';
import type { ResponseHeaders } from '../adapter';
import { toErrorCode } from '../error-code';
import { ProviderError } from '../provider-error';
import { retryAfterMs } from '../retry-after';
import { bedrockErrorBodySchema } from './bedrock.types';

/** The provider name on every error this adapter raises. */
export const BEDROCK_PROVIDER = 'bedrock';

/*
 * Bedrock Runtime's error classes (header `x-amzn-ErrorType`, or `:exception-type` of a stream
 * exception frame) → Switchyard's class, per
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_Errors.
 */
const errorClasses: Readonly<Record<string, { type: ErrorType; code: string }>> = {
  ThrottlingException: { type: 'rate_limit', code: 'rate_limit_exceeded' },
  ServiceQuotaExceededException: { type: 'rate_limit', code: 'service_quota_exceeded' },
  ValidationException: { type: 'bad_request', code: 'validation_exception' },
  AccessDeniedException: { type: 'auth', code: 'access_denied' },
  UnrecognizedClientException: { type: 'auth', code: 'unrecognized_client' },
  InvalidSignatureException: { type: 'auth', code: 'invalid_signature' },
  MissingAuthenticationTokenException: { type: 'auth', code: 'missing_authentication_token' },
  IncompleteSignatureException: { type: 'auth', code: 'incomplete_signature' },
  ExpiredTokenException: { type: 'auth', code: 'expired_token' },
  ResourceNotFoundException: { type: 'not_found', code: 'resource_not_found' },
  ModelNotReadyException: { type: 'overloaded', code: 'model_not_ready' },
  ServiceUnavailableException: { type: 'overloaded', code: 'service_unavailable' },
  InternalServerException: { type: 'server', code: 'internal_server_error' },
  ModelErrorException: { type: 'server', code: 'model_error' },
  ModelStreamErrorException: { type: 'server', code: 'model_stream_error' },
  ModelTimeoutException: { type: 'timeout', code: 'model_timeout' },
};

/** The class of a status when no error class was named. */
function classOfStatus(status: number): { type: ErrorType; code: string } {
  if (status === 401 || status === 403) return { type: 'auth', code: `http_${status}` };
  if (status === 404) return { type: 'not_found', code: 'http_404' };
  if (status === 408 || status === 504) return { type: 'timeout', code: `http_${status}` };
  if (status === 429) return { type: 'rate_limit', code: 'rate_limit_exceeded' };
  if (status === 503) return { type: 'overloaded', code: 'http_503' };
  if (status >= 500) return { type: 'server', code: `http_${status}` };
  return { type: 'bad_request', code: `http_${status}` };
}

/** Bedrock's (and its models') wording for a prompt longer than the context window. */
const contextWindowMessage =
  /input is too long|too many (input )?tokens|prompt is too long|exceeds? (the )?(model'?s? )?(maximum )?(context|input) (window|length|limit|tokens)|context (window|length) (exceeded|limit)|maximum context length/i;

/** "Output blocked by content filtering policy" (Anthropic models on Bedrock). */
const contentPolicyMessage = /content filtering policy|content policy|blocked by (the )?guardrail/i;

/**
 * The error class name from `x-amzn-ErrorType` (`ThrottlingException:http://internal.amazon.com/…`)
 * or from a body's `__type` (`com.amazon.coral.service#UnrecognizedClientException`).
 */
export function errorClassName(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const name = raw.split(':')[0]?.split('#').at(-1)?.trim();
  return name === undefined || name === '' ? undefined : name;
}

/**
 * The ProviderError for a Bedrock error class and message, from an HTTP error or a stream
 * exception frame (`status` undefined). A ValidationException about the prompt's length is
 * context_window_exceeded, one about the content filter content_policy; an unknown class is
 * classified by the status (a stream exception without one is `server`).
 */
export function bedrockError(
  className: string | undefined,
  message: string,
  options: { status?: number; retryAfterMs?: number } = {},
): ProviderError {
  const known = className === undefined ? undefined : errorClasses[className];
  let { type, code } =
    known ??
    (options.status === undefined
      ? { type: 'server' as const, code: toErrorCode(className) ?? 'stream_exception' }
      : classOfStatus(options.status));
  if (known === undefined && className !== undefined && options.status !== undefined) {
    code = toErrorCode(className) ?? code;
  }
  if (type === 'bad_request' && contextWindowMessage.test(message)) {
    type = 'context_window_exceeded';
    code = 'context_length_exceeded';
  } else if (type === 'bad_request' && contentPolicyMessage.test(message)) {
    type = 'content_policy';
    code = 'content_policy_violation';
  }
  return new ProviderError(type, code, message, {
    provider: BEDROCK_PROVIDER,
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

function excerpt(bodyText: string): string {
  const flat = bodyText
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

/**
 * The classified error for a non-2xx Bedrock response: the class from the `x-amzn-errortype`
 * header (else the body's `__type`), the message from the body's `message`; any other body (an
 * HTML page from a proxy, an empty body) is classified by the status alone. The retry delay
 * comes from a Retry-After header, for the retryable classes.
 */
export function classifyBedrockError(
  status: number,
  bodyText: string,
  headers: ResponseHeaders,
): ProviderError {
  const json = parseJson(bodyText);
  const body = bedrockErrorBodySchema.safeParse(json);
  const typeField =
    typeof json === 'object' && json !== null && '__type' in json && typeof json.__type === 'string'
      ? json.__type
      : undefined;
  const className = errorClassName(headers['x-amzn-errortype']) ?? errorClassName(typeField);
  const delay = retryAfterMs(headers);
  const bodyMessage = body.success ? (body.data.message ?? body.data.Message) : undefined;
  const text = excerpt(bodyText);
  const message =
    bodyMessage ??
    `Bedrock answered HTTP ${status}${className === undefined ? '' : ` ${className}`}${text === '' ? ' with an empty body' : `: ${text}`}`;
  return bedrockError(className, message, {
    status,
    ...(delay === undefined ? {} : { retryAfterMs: delay }),
  });
}

/** A 2xx body or stream event this adapter cannot read. */
export function bedrockMalformed(
  what: string,
  issues?: readonly z.core.$ZodIssue[],
  cause?: unknown,
): ProviderError {
  const detail = issues === undefined ? '' : `: ${formatIssues(issues, 5)}`;
  return new ProviderError('server', 'malformed_response', `Bedrock sent ${what}${detail}`, {
    provider: BEDROCK_PROVIDER,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** The `bad_request` error for a request parameter Converse cannot honour. */
export function bedrockBadParameter(
  param: string,
  code: 'unsupported_parameter' | 'invalid_value',
  message: string,
): ProviderError {
  return new ProviderError('bad_request', code, message, { provider: BEDROCK_PROVIDER, param });
}
