import type { ErrorType } from '@switchyard/contracts';
import { isRetryable } from '@switchyard/contracts';
import type { ResponseHeaders } from '../adapter';
import { toErrorCode } from '../error-code';
import { bodyExcerpt } from '../http/response-body';
import { ProviderError } from '../provider-error';
import { retryAfterMs } from '../retry-after';
import { openAiErrorObjectSchema, type OpenAiErrorObject } from './openai.wire';

/** What an OpenAI-style error body says, whichever of the compatible shapes it has. */
export interface OpenAiErrorInfo {
  /** The provider's message, or a description of the body when it had none. */
  readonly message: string;
  readonly type?: string;
  /** `code` when it is text (`context_length_exceeded`). */
  readonly code?: string;
  /** `code` when it is an HTTP status (vLLM, OpenRouter). */
  readonly status?: number;
  readonly param?: string;
  /** Azure's `innererror.code` (`ResponsibleAIPolicyViolation`). */
  readonly innerCode?: string;
}

function messageText(message: unknown): string | undefined {
  if (typeof message === 'string') return message.trim() === '' ? undefined : message;
  if (message === undefined || message === null) return undefined;
  return JSON.stringify(message);
}

function fromErrorObject(error: OpenAiErrorObject, fallback: string): OpenAiErrorInfo {
  const code = error.code;
  return {
    message: messageText(error.message) ?? fallback,
    ...(error.type == null ? {} : { type: error.type }),
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof code === 'number' && code >= 100 && code <= 599 ? { status: code } : {}),
    ...(error.param == null ? {} : { param: error.param }),
    ...(error.innererror?.code == null ? {} : { innerCode: error.innererror.code }),
  };
}

/** Reads an error from an already-parsed JSON value (a body, or a stream's `error` event). */
export function readOpenAiErrorJson(json: unknown, fallback: string): OpenAiErrorInfo | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const record = json as Record<string, unknown>;
  if (typeof record.error === 'string') return { message: record.error };
  const nested = openAiErrorObjectSchema.safeParse(record.error);
  if (nested.success && record.error !== undefined) return fromErrorObject(nested.data, fallback);
  if ('message' in record || record.object === 'error') {
    const top = openAiErrorObjectSchema.safeParse(record);
    if (top.success) return fromErrorObject(top.data, fallback);
  }
  if ('detail' in record) return { message: messageText(record.detail) ?? fallback };
  return undefined;
}

/** Reads an error body, which may be JSON in any compatible shape, an HTML page, or empty. */
export function readOpenAiError(status: number, bodyText: string): OpenAiErrorInfo {
  const trimmed = bodyText.trim();
  if (trimmed === '') return { message: `HTTP ${status} with an empty body` };
  try {
    const info = readOpenAiErrorJson(JSON.parse(trimmed), `HTTP ${status}`);
    if (info !== undefined) return info;
  } catch {
    if (trimmed.startsWith('<')) {
      const title = /<title[^>]*>([^<]*)<\/title>/i.exec(trimmed)?.[1]?.trim();
      return { message: `HTTP ${status} with an HTML page${title ? `: ${title}` : ''}` };
    }
  }
  return { message: `HTTP ${status}: ${bodyExcerpt(trimmed)}` };
}

/**
 * What compatible servers say when the prompt does not fit: OpenAI and DeepSeek ("maximum
 * context length"), vLLM ("maximum model length", "is too long and exceeds limit"), Groq
 * ("reduce the length of the messages"), Mistral ("too large for model with N maximum context
 * length"), xAI ("maximum prompt length"), Ollama / llama.cpp ("exceeds the context length",
 * "n_ctx"), LM Studio ("context length of only"), Anthropic-style ("prompt is too long").
 */
const contextWindowMessage = new RegExp(
  [
    'context[_ ]length[_ ]exceeded',
    'maximum context length',
    'context window',
    'maximum (?:model|prompt) length',
    'prompt is too long',
    'input (?:is )?too long',
    'too long and exceeds',
    'reduce the length of the messages',
    'exceeds? (?:the )?(?:available )?context (?:length|size|window)',
    'context length of only',
    'too many (?:input )?tokens',
    '\\bn_ctx\\b',
  ].join('|'),
  'i',
);

const quotaCodes = new Set(['insufficient_quota', 'billing_hard_limit_reached']);
const contentPolicyCodes = new Set(['content_filter', 'content_policy_violation']);

/** Message hints of a retry delay ("Please try again in 7.66s", "in 20ms"). */
const retryHint = /try again in (\d+(?:\.\d+)?)\s*(ms|s)\b/i;

interface Verdict {
  readonly type: ErrorType;
  readonly code: string;
}

function byStatus(status: number | undefined, info: OpenAiErrorInfo): Verdict {
  const code = toErrorCode(info.code);
  if (status === undefined) {
    const hint = `${info.type ?? ''} ${code ?? ''}`;
    if (/api_key|auth|unauthori[sz]ed|permission/.test(hint)) {
      return { type: 'auth', code: code ?? 'invalid_api_key' };
    }
    if (/not_found/.test(hint)) return { type: 'not_found', code: code ?? 'model_not_found' };
    if (/rate_limit|^tokens |^requests /.test(hint)) {
      return { type: 'rate_limit', code: code ?? 'rate_limit_exceeded' };
    }
    if (/overloaded/.test(hint)) return { type: 'overloaded', code: code ?? 'overloaded' };
    if (/invalid_request/.test(hint)) {
      return { type: 'bad_request', code: code ?? 'invalid_request_error' };
    }
    return { type: 'server', code: code ?? toErrorCode(info.type) ?? 'stream_error' };
  }
  if (status === 401) return { type: 'auth', code: code ?? 'invalid_api_key' };
  if (status === 403) return { type: 'auth', code: code ?? 'permission_denied' };
  if (status === 404) return { type: 'not_found', code: code ?? 'model_not_found' };
  if (status === 408) return { type: 'timeout', code: code ?? 'request_timeout' };
  if (status === 429) return { type: 'rate_limit', code: code ?? 'rate_limit_exceeded' };
  if (status === 503 || status === 529) return { type: 'overloaded', code: code ?? 'overloaded' };
  if (status === 504 || status === 524) return { type: 'timeout', code: code ?? 'gateway_timeout' };
  if (status === 502) return { type: 'server', code: code ?? 'bad_gateway' };
  if (status >= 500) return { type: 'server', code: code ?? 'server_error' };
  return { type: 'bad_request', code: code ?? toErrorCode(info.type) ?? 'invalid_request' };
}

function verdictFor(status: number | undefined, info: OpenAiErrorInfo): Verdict {
  const rawCode = info.code?.toLowerCase();
  if (
    status === 402 ||
    (rawCode !== undefined && quotaCodes.has(rawCode)) ||
    info.type === 'insufficient_quota'
  ) {
    return { type: 'auth', code: 'insufficient_quota' };
  }
  if (
    (rawCode !== undefined && contentPolicyCodes.has(rawCode)) ||
    info.type === 'content_policy_violation' ||
    info.innerCode === 'ResponsibleAIPolicyViolation' ||
    (rawCode === 'invalid_prompt' && /usage policy/i.test(info.message))
  ) {
    return { type: 'content_policy', code: toErrorCode(info.code) ?? 'content_policy_violation' };
  }
  if (rawCode === 'context_length_exceeded') {
    return { type: 'context_window_exceeded', code: 'context_length_exceeded' };
  }
  const clientError = status === undefined || (status >= 400 && status < 500 && status !== 429);
  if (clientError && contextWindowMessage.test(info.message)) {
    return { type: 'context_window_exceeded', code: 'context_length_exceeded' };
  }
  if (status === 413) return { type: 'context_window_exceeded', code: 'request_too_large' };
  return byStatus(status, info);
}

/**
 * The classified error for an OpenAI-family failure: an HTTP error (with its status) or an
 * error sent inside a stream (status undefined, or the error's numeric `code`).
 *
 * A 429 or 402 that says the account's quota or balance is spent (`insufficient_quota`) is
 * `auth`, not `rate_limit`: retrying cannot help, and another deployment (another account)
 * can. `budget_exceeded` stays reserved for Switchyard's own tenant budgets.
 */
export function classifyOpenAiError(
  provider: string,
  status: number | undefined,
  info: OpenAiErrorInfo,
  headers: ResponseHeaders,
): ProviderError {
  const effectiveStatus = status ?? info.status;
  const verdict = verdictFor(effectiveStatus, info);
  let retryAfter: number | undefined;
  if (isRetryable(verdict.type)) {
    retryAfter = retryAfterMs(headers);
    const hint = retryHint.exec(info.message);
    if (retryAfter === undefined && hint?.[1] !== undefined) {
      retryAfter = Number(hint[1]) * (hint[2]?.toLowerCase() === 'ms' ? 1 : 1000);
    }
  }
  return new ProviderError(verdict.type, verdict.code, info.message, {
    provider,
    ...(effectiveStatus === undefined ? {} : { providerStatus: effectiveStatus }),
    ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
    ...(info.param === undefined || verdict.type !== 'bad_request' ? {} : { param: info.param }),
  });
}
