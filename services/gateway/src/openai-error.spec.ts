import { AbortError, errorFromWire } from '@switchyard/client';
import { makeError } from '@switchyard/contracts';
import { describe, expect, it } from 'vitest';
import { badRequest, tooManyRequests } from './gateway-error';
import { errorAnswer } from './openai-error';

const tried = [
  {
    deployment: 'a/0',
    provider: 'openai',
    type: 'server' as const,
    code: 'http_500',
    message: 'boom',
  },
];

describe('errorAnswer', () => {
  it.each([
    ['rate_limit', 'rate_limit_exceeded', 429, 'rate_limit_error'],
    ['budget_exceeded', 'budget_exceeded', 429, 'rate_limit_error'],
    ['overloaded', 'overloaded', 503, 'server_error'],
    ['server', 'http_500', 502, 'server_error'],
    ['timeout', 'provider_timeout', 504, 'timeout_error'],
    ['deadline_exceeded', 'deadline_exceeded', 408, 'timeout_error'],
    ['auth', 'invalid_api_key', 401, 'authentication_error'],
    ['not_found', 'model_not_found', 404, 'not_found_error'],
    ['context_window_exceeded', 'context_length_exceeded', 400, 'invalid_request_error'],
    ['cancelled', 'cancelled', 499, 'cancelled_error'],
  ] as const)(
    'answers a %s job error with %i and keeps the details',
    (type, code, status, openAiType) => {
      const error = errorFromWire(
        makeError(type, code, `${type} happened`, {
          provider: 'openai',
          deployments_tried: tried,
          retry_after_ms: 2_100,
        }),
        'job-1',
      );
      const answer = errorAnswer(error);
      expect(answer.status).toBe(status);
      expect(answer.body).toEqual({
        error: {
          message: `${type} happened`,
          type: openAiType,
          param: null,
          code,
          switchyard: {
            type,
            retryable: error.retryable,
            provider: 'openai',
            job_id: 'job-1',
            deployments_tried: tried,
          },
        },
      });
      expect(answer.headers).toEqual({ 'retry-after': '3' });
    },
  );

  it('answers the client timeout (no answer in time) with 504', () => {
    const error = errorFromWire(makeError('timeout', 'client_timeout', 'no answer'), 'job-2');
    expect(errorAnswer(error).status).toBe(504);
    expect(errorAnswer(error).headers).toEqual({});
  });

  it('answers a gateway error as it says, with its headers', () => {
    expect(errorAnswer(badRequest('invalid_field', 'model: required', 'model'))).toEqual({
      status: 400,
      body: {
        error: {
          message: 'model: required',
          type: 'invalid_request_error',
          param: 'model',
          code: 'invalid_field',
        },
      },
      headers: {},
    });
    const limited = errorAnswer(tooManyRequests('key_rate_limit_exceeded', 'slow down', 1));
    expect(limited.status).toBe(429);
    expect(limited.headers).toEqual({ 'retry-after': '1' });
  });

  it('answers framework refusals by their status', () => {
    const tooLarge = Object.assign(new Error('Request body is too large'), { statusCode: 413 });
    expect(errorAnswer(tooLarge)).toMatchObject({
      status: 413,
      body: { error: { code: 'request_too_large', type: 'invalid_request_error' } },
    });
    const media = Object.assign(new Error('Unsupported Media Type'), { statusCode: 415 });
    expect(errorAnswer(media).body.error.code).toBe('unsupported_media_type');
    const nestNotFound = { getStatus: () => 404, message: 'Cannot GET /x' };
    expect(errorAnswer(nestNotFound).status).toBe(404);
  });

  it('answers anything else with a 500 that reveals nothing', () => {
    for (const error of [new TypeError('x is undefined'), 'text', null, new AbortError('gone')]) {
      const answer = errorAnswer(error);
      expect(answer.status).toBe(500);
      expect(answer.body.error).toEqual({
        message: 'The gateway failed to handle the request.',
        type: 'server_error',
        param: null,
        code: 'internal_error',
      });
    }
    const serverSide = Object.assign(new Error('secret detail'), { statusCode: 503 });
    expect(errorAnswer(serverSide).status).toBe(500);
  });
});
