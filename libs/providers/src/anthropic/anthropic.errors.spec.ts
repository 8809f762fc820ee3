import { errorCodeSchema } from '@switchyard/contracts';
import { describe, expect, it } from 'vitest';
import { classifyAnthropicError } from './anthropic.errors';
import { fixtureText } from './spec-helpers';

const now = Date.parse('2026-11-25T12:00:00Z');
const classify = (status: number, body: string, headers: Record<string, string> = {}) =>
  classifyAnthropicError(status, body, headers, now);

describe('classifyAnthropicError', () => {
  it.each([
    ['400-invalid-request.json', 400, 'bad_request', 'invalid_request_error'],
    ['400-prompt-too-long.json', 400, 'context_window_exceeded', 'context_length_exceeded'],
    ['400-context-limit.json', 400, 'context_window_exceeded', 'context_length_exceeded'],
    ['400-content-filter.json', 400, 'content_policy', 'content_policy_violation'],
    ['400-credit-balance.json', 400, 'auth', 'credit_balance_too_low'],
    ['401-authentication.json', 401, 'auth', 'authentication_error'],
    ['403-permission.json', 403, 'auth', 'permission_error'],
    ['404-not-found.json', 404, 'not_found', 'not_found_error'],
    ['413-request-too-large.json', 413, 'bad_request', 'request_too_large'],
    ['429-rate-limit.json', 429, 'rate_limit', 'rate_limit_exceeded'],
    ['429-spend-limit.json', 429, 'auth', 'contract_spend_limit_reached'],
    ['500-api-error.json', 500, 'server', 'api_error'],
    ['529-overloaded.json', 529, 'overloaded', 'overloaded'],
  ])('%s → %s / %s (fixture)', (name, status, type, code) => {
    const body = fixtureText(`errors/${name}`);
    const error = classify(status, body);
    const anthropicMessage = (JSON.parse(body) as { error: { message: string } }).error.message;
    expect(error).toMatchObject({
      type,
      code,
      message: anthropicMessage,
      provider: 'anthropic',
      providerStatus: status,
    });
    expect(errorCodeSchema.safeParse(error.code).success).toBe(true);
    expect(error.toWire()).toMatchObject({ type, code, provider: 'anthropic' });
  });

  it('takes the retry delay from retry-after for a rate limit', () => {
    const error = classify(429, fixtureText('errors/429-rate-limit.json'), {
      'retry-after': '30',
      'anthropic-ratelimit-requests-remaining': '0',
      'anthropic-ratelimit-requests-reset': '2026-11-25T12:05:00Z',
    });
    expect(error.retryAfterMs).toBe(30_000);
  });

  it('falls back to the reset time of the exhausted anthropic-ratelimit window', () => {
    const error = classify(429, fixtureText('errors/429-rate-limit.json'), {
      'anthropic-ratelimit-requests-remaining': '12',
      'anthropic-ratelimit-requests-reset': '2026-11-25T12:00:59Z',
      'anthropic-ratelimit-input-tokens-remaining': '0',
      'anthropic-ratelimit-input-tokens-reset': '2026-11-25T12:00:07Z',
    });
    expect(error.retryAfterMs).toBe(7_000);
  });

  it('keeps the delay of an overloaded answer, and gives none to one that must not be retried', () => {
    expect(
      classify(529, fixtureText('errors/529-overloaded.json'), { 'retry-after': '5' }).retryAfterMs,
    ).toBe(5_000);
    const badRequest = classify(400, fixtureText('errors/400-invalid-request.json'), {
      'retry-after': '5',
    });
    expect(badRequest.retryAfterMs).toBeUndefined();
  });

  it.each([
    [
      502,
      '<html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>',
      'server',
      'server_error',
    ],
    [503, '', 'overloaded', 'overloaded'],
    [529, '<html>Overloaded</html>', 'overloaded', 'overloaded'],
    [500, '', 'server', 'server_error'],
    [504, 'upstream request timeout', 'timeout', 'timeout_error'],
    [
      413,
      '<html><center><h1>413 Request Entity Too Large</h1></center></html>',
      'bad_request',
      'request_too_large',
    ],
    [429, '', 'rate_limit', 'rate_limit_exceeded'],
    [401, 'Unauthorized', 'auth', 'authentication_error'],
    [404, '{"detail":"Not Found"}', 'not_found', 'not_found_error'],
    [409, '', 'bad_request', 'http_409'],
  ])(
    'classifies HTTP %i with a body that is not an Anthropic error by status',
    (status, body, type, code) => {
      const error = classify(status, body);
      expect(error).toMatchObject({ type, code, providerStatus: status, provider: 'anthropic' });
      expect(error.message).toContain(`HTTP ${status}`);
      expect(error.message).not.toContain('<');
    },
  );

  it('classifies a 503 as overloaded even when its error type says api_error', () => {
    const body = '{"type":"error","error":{"type":"api_error","message":"Service unavailable"}}';
    expect(classify(503, body)).toMatchObject({ type: 'overloaded', code: 'api_error' });
  });

  it('says when the body was empty, and keeps a short excerpt otherwise', () => {
    expect(classify(503, '').message).toBe('Anthropic answered HTTP 503 with an empty body');
    expect(classify(502, '<html><title>502 Bad Gateway</title></html>').message).toBe(
      'Anthropic answered HTTP 502: 502 Bad Gateway',
    );
    expect(classify(502, 'x'.repeat(1000)).message.length).toBeLessThan(260);
  });

  it('classifies an error type added later by its status', () => {
    const body = JSON.stringify({
      type: 'error',
      error: { type: 'conflict_error', message: 'Conflict' },
      request_id: 'req_1',
    });
    expect(classify(503, body)).toMatchObject({ type: 'overloaded', message: 'Conflict' });
    expect(classify(409, body)).toMatchObject({ type: 'bad_request', code: 'http_409' });
  });

  it('uses details.error_code as the code when Anthropic gives one', () => {
    const body = JSON.stringify({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message: 'The longest side of one or more images exceeds the limit.',
        details: { error_code: 'image_dimensions_too_large' },
      },
    });
    expect(classify(400, body)).toMatchObject({
      type: 'bad_request',
      code: 'image_dimensions_too_large',
    });
  });
});
