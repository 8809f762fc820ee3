import { describe, expect, it } from 'vitest';
import { classifyGeminiError, classifyGoogleStatus } from './gemini.errors';
import invalidArgument from './fixtures/error-400-invalid-argument.json';
import tokenLimit from './fixtures/error-400-token-limit.json';
import apiKeyInvalid from './fixtures/error-400-api-key-invalid.json';
import failedPrecondition from './fixtures/error-400-failed-precondition.json';
import unauthenticated from './fixtures/error-401-unauthenticated.json';
import permissionDenied from './fixtures/error-403-permission-denied.json';
import notFound from './fixtures/error-404-not-found.json';
import resourceExhausted from './fixtures/error-429-resource-exhausted.json';
import internal from './fixtures/error-500-internal.json';
import unavailable from './fixtures/error-503-unavailable.json';
import deadlineExceeded from './fixtures/error-504-deadline-exceeded.json';

const classify = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  classifyGeminiError(status, JSON.stringify(body), headers);

describe('classifyGeminiError on Google error bodies', () => {
  it.each([
    [400, invalidArgument, 'bad_request', 'invalid_argument'],
    [400, tokenLimit, 'context_window_exceeded', 'context_length_exceeded'],
    [400, apiKeyInvalid, 'auth', 'api_key_invalid'],
    [400, failedPrecondition, 'bad_request', 'failed_precondition'],
    [401, unauthenticated, 'auth', 'access_token_type_unsupported'],
    [403, permissionDenied, 'auth', 'permission_denied'],
    [404, notFound, 'not_found', 'not_found'],
    [429, resourceExhausted, 'rate_limit', 'resource_exhausted'],
    [500, internal, 'server', 'internal'],
    [503, unavailable, 'overloaded', 'unavailable'],
    [504, deadlineExceeded, 'timeout', 'deadline_exceeded'],
  ])('HTTP %i %#: %s / %s', (status, body, type, code) => {
    const error = classify(status, body);
    expect(error.type).toBe(type);
    expect(error.code).toBe(code);
    expect(error.provider).toBe('gemini');
    expect(error.providerStatus).toBe(status);
    expect(error.message).toBe(body.error.message);
    expect(error.code).toMatch(/^[a-z0-9_]{1,64}$/);
  });

  it('takes the retry delay from RetryInfo ("40s")', () => {
    expect(classify(429, resourceExhausted).retryAfterMs).toBe(40_000);
  });

  it('prefers RetryInfo over Retry-After, and falls back to Retry-After without it', () => {
    expect(classify(429, resourceExhausted, { 'retry-after': '5' }).retryAfterMs).toBe(40_000);
    const withoutRetryInfo = { error: { ...resourceExhausted.error, details: [] } };
    expect(classify(429, withoutRetryInfo, { 'retry-after': '5' }).retryAfterMs).toBe(5_000);
    expect(classify(429, withoutRetryInfo).retryAfterMs).toBeUndefined();
  });

  it('reads fractional RetryInfo delays', () => {
    const body = {
      error: {
        code: 429,
        status: 'RESOURCE_EXHAUSTED',
        message: 'Resource exhausted',
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1.5s' }],
      },
    };
    expect(classify(429, body).retryAfterMs).toBe(1_500);
  });

  it('honours Retry-After on an overloaded model', () => {
    expect(classify(503, unavailable, { 'retry-after': '2' }).retryAfterMs).toBe(2_000);
  });

  it('gives no retry delay to errors that are not retried', () => {
    expect(classify(400, invalidArgument, { 'retry-after': '5' }).retryAfterMs).toBeUndefined();
  });

  it('reads the array-wrapped body of a streamed call made without alt=sse', () => {
    const error = classify(503, [unavailable]);
    expect(error.type).toBe('overloaded');
    expect(error.code).toBe('unavailable');
  });

  it('falls back to the HTTP status for a Google status it does not know', () => {
    const error = classify(418, { error: { code: 418, message: 'odd', status: 'TEAPOT' } });
    expect(error.type).toBe('bad_request');
    expect(error.code).toBe('teapot');
  });

  it('classifies by HTTP status when the body names no status', () => {
    const error = classify(429, { error: { code: 429, message: 'slow down' } });
    expect(error.type).toBe('rate_limit');
    expect(error.code).toBe('http_429');
    expect(error.message).toBe('slow down');
  });

  it('treats any API_KEY_* ErrorInfo reason as auth', () => {
    const body = {
      error: {
        code: 400,
        message: 'API key expired. Please renew the API key.',
        status: 'INVALID_ARGUMENT',
        details: [
          { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_EXPIRED' },
        ],
      },
    };
    expect(classify(400, body)).toMatchObject({ type: 'auth', code: 'api_key_expired' });
  });
});

describe('classifyGeminiError on bodies that are not Google errors', () => {
  it.each([
    [502, 'server'],
    [503, 'overloaded'],
    [504, 'timeout'],
    [500, 'server'],
    [429, 'rate_limit'],
    [401, 'auth'],
    [403, 'auth'],
    [404, 'not_found'],
    [400, 'bad_request'],
    [413, 'bad_request'],
  ])('an HTML page with HTTP %i is %s', (status, type) => {
    const error = classifyGeminiError(status, '<html><body>Bad Gateway</body></html>', {});
    expect(error.type).toBe(type);
    expect(error.code).toBe(`http_${status}`);
    expect(error.message).toContain(`HTTP ${status}`);
  });

  it('classifies an empty body by status and keeps Retry-After', () => {
    const error = classifyGeminiError(503, '', { 'retry-after': '7' });
    expect(error).toMatchObject({ type: 'overloaded', code: 'http_503', retryAfterMs: 7_000 });
    expect(error.message).toContain('empty body');
  });

  it('does not mistake a JSON body of another shape for a Google error', () => {
    const error = classifyGeminiError(500, '{"message":"nope"}', {});
    expect(error).toMatchObject({ type: 'server', code: 'http_500' });
  });
});

describe('classifyGoogleStatus', () => {
  it('classifies a stream error object by its own code', () => {
    const error = classifyGoogleStatus(500, internal.error);
    expect(error).toMatchObject({ type: 'server', code: 'internal', providerStatus: 500 });
  });
});
