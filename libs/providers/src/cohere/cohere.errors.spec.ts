import { describe, expect, it } from 'vitest';
import { readTextFixture } from '../spec-helpers/fixtures';
import { classifyCohereError } from './cohere.errors';

const fixture = (name: string) => readTextFixture(import.meta.dirname, name);

describe('classifyCohereError', () => {
  it.each([
    [400, 'error-400-too-many-tokens.json', 'context_window_exceeded', 'context_length_exceeded'],
    [400, 'error-400-max-tokens.json', 'bad_request', 'bad_request'],
    [400, 'error-400-blocked.json', 'content_policy', 'content_policy_violation'],
    [401, 'error-401-invalid-token.json', 'auth', 'unauthorized'],
    [404, 'error-404-model.json', 'not_found', 'not_found'],
    [429, 'error-429-trial.json', 'rate_limit', 'rate_limit_exceeded'],
  ])('classifies HTTP %i (%s) as %s / %s, keeping the message', (status, name, type, code) => {
    const body = fixture(name);
    const error = classifyCohereError(status, body, {});
    expect(error).toMatchObject({ type, code, provider: 'cohere', providerStatus: status });
    expect(error.message).toBe((JSON.parse(body) as { message: string }).message);
  });

  it.each([
    [402, 'auth'],
    [403, 'auth'],
    [422, 'bad_request'],
    [498, 'auth'],
    [499, 'connection'],
    [500, 'server'],
    [501, 'bad_request'],
    [503, 'overloaded'],
    [504, 'timeout'],
    [507, 'server'],
    [418, 'bad_request'],
  ] as const)('classifies HTTP %i as %s', (status, type) => {
    expect(classifyCohereError(status, '{"message":"something"}', {}).type).toBe(type);
  });

  it('takes the retry delay from retry-after on retryable errors only', () => {
    const limited = classifyCohereError(429, fixture('error-429-trial.json'), {
      'retry-after': '7',
    });
    expect(limited.retryAfterMs).toBe(7_000);
    const refused = classifyCohereError(400, '{"message":"invalid request"}', {
      'retry-after': '7',
    });
    expect(refused.retryAfterMs).toBeUndefined();
  });

  it('classifies a body that is not a Cohere error by status, quoting a short excerpt', () => {
    const html = classifyCohereError(502, '<html><body><h1>502 Bad Gateway</h1></body></html>', {});
    expect(html).toMatchObject({ type: 'server', code: 'bad_gateway' });
    expect(html.message).toBe('Cohere answered HTTP 502: 502 Bad Gateway');
    expect(classifyCohereError(503, '', {}).message).toBe(
      'Cohere answered HTTP 503 with an empty body',
    );
  });
});
