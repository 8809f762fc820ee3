import { describe, expect, it } from 'vitest';
import type { ResponseHeaders } from '../adapter';
import { ProviderError } from '../provider-error';
import { readTextFixture } from '../spec-helpers/fixtures';
import { openAiCompatibleAdapters } from './index';

function classify(
  provider: string,
  status: number,
  body: string,
  headers: ResponseHeaders = {},
): ProviderError {
  const adapter = openAiCompatibleAdapters.find((candidate) => candidate.providers[0] === provider);
  if (adapter === undefined) throw new Error(`no ${provider} adapter`);
  return adapter.classifyError(status, body, headers);
}

const fixture = (name: string): string => readTextFixture(import.meta.dirname, name);

describe('OpenAI-family error classification', () => {
  it.each([
    [
      'openai',
      400,
      'error-400-context-length.json',
      'context_window_exceeded',
      'context_length_exceeded',
    ],
    ['openai', 400, 'error-400-invalid-param.json', 'bad_request', 'invalid_value'],
    ['openai', 400, 'error-400-content-policy.json', 'content_policy', 'invalid_prompt'],
    ['openai', 401, 'error-401.json', 'auth', 'invalid_api_key'],
    ['openai', 404, 'error-404.json', 'not_found', 'model_not_found'],
    ['openai', 429, 'error-429-rate-limit.json', 'rate_limit', 'rate_limit_exceeded'],
    ['openai', 429, 'error-429-insufficient-quota.json', 'auth', 'insufficient_quota'],
    ['openai', 500, 'error-500.json', 'server', 'server_error'],
    ['openai', 503, 'error-503.json', 'overloaded', 'overloaded'],
    ['azure', 400, 'azure-error-400-content-filter.json', 'content_policy', 'content_filter'],
    ['azure', 401, 'azure-error-401.json', 'auth', 'invalid_api_key'],
    ['azure', 404, 'azure-error-404-deployment.json', 'not_found', 'deployment_not_found'],
    ['azure', 429, 'azure-error-429.json', 'rate_limit', 'rate_limit_exceeded'],
    [
      'hosted_vllm',
      400,
      'vllm-error-400-context.json',
      'context_window_exceeded',
      'context_length_exceeded',
    ],
    [
      'mistral',
      422,
      'mistral-error-422-extra-forbidden.json',
      'bad_request',
      'invalid_request_error',
    ],
    ['groq', 429, 'groq-error-429.json', 'rate_limit', 'rate_limit_exceeded'],
    ['openrouter', 402, 'openrouter-error-402.json', 'auth', 'insufficient_quota'],
  ] as const)('%s %i %s → %s / %s', (provider, status, file, type, code) => {
    const error = classify(provider, status, fixture(file));
    expect(error).toBeInstanceOf(ProviderError);
    expect({ type: error.type, code: error.code }).toEqual({ type, code });
    expect(error.provider).toBe(provider);
    expect(error.providerStatus).toBe(status);
    expect(error.message.length).toBeGreaterThan(0);
    expect(error.toWire().code).toMatch(/^[a-z][a-z0-9_]{0,63}$/);
  });

  it("keeps the provider's message and the faulty parameter of a bad request", () => {
    const error = classify('openai', 400, fixture('error-400-invalid-param.json'));
    expect(error.message).toBe(
      "Invalid value for 'temperature': expected a number less than or equal to 2.",
    );
    expect(error.param).toBe('temperature');
  });

  it("writes Mistral's structured validation message as JSON text", () => {
    const error = classify('mistral', 422, fixture('mistral-error-422-extra-forbidden.json'));
    expect(error.message).toContain('extra_forbidden');
  });

  it('takes the retry delay from the headers, else from the message', () => {
    const withHeaders = classify('openai', 429, fixture('error-429-rate-limit.json'), {
      'x-ratelimit-remaining-tokens': '0',
      'x-ratelimit-reset-tokens': '1.5s',
    });
    expect(withHeaders.retryAfterMs).toBe(1500);
    expect(classify('openai', 429, fixture('error-429-rate-limit.json')).retryAfterMs).toBe(2000);
    expect(classify('groq', 429, fixture('groq-error-429.json')).retryAfterMs).toBeCloseTo(7680);
    expect(
      classify('azure', 429, fixture('azure-error-429.json'), { 'retry-after': '10' }).retryAfterMs,
    ).toBe(10_000);
  });

  it('gives no retry delay to errors that must not be retried', () => {
    const error = classify('openai', 429, fixture('error-429-insufficient-quota.json'), {
      'retry-after': '20',
    });
    expect(error.retryAfterMs).toBeUndefined();
    expect(error.toWire().retryable).toBe(false);
  });

  it.each([
    [500, 'server', 'server_error'],
    [502, 'server', 'bad_gateway'],
    [503, 'overloaded', 'overloaded'],
    [504, 'timeout', 'gateway_timeout'],
    [529, 'overloaded', 'overloaded'],
    [599, 'server', 'server_error'],
    [401, 'auth', 'invalid_api_key'],
    [403, 'auth', 'permission_denied'],
    [404, 'not_found', 'model_not_found'],
    [408, 'timeout', 'request_timeout'],
    [413, 'context_window_exceeded', 'request_too_large'],
    [418, 'bad_request', 'invalid_request'],
    [429, 'rate_limit', 'rate_limit_exceeded'],
  ] as const)('classifies an empty %i body by status: %s / %s', (status, type, code) => {
    expect(classify('openai', status, '')).toMatchObject({ type, code, providerStatus: status });
  });

  it('classifies an HTML page by its status and names the page in the message', () => {
    const error = classify(
      'openai',
      504,
      '<html><head><title>504 Gateway Time-out</title></head><body><center>cloudflare</center></body></html>',
      { 'retry-after': '5' },
    );
    expect(error).toMatchObject({
      type: 'timeout',
      code: 'gateway_timeout',
      retryAfterMs: 5000,
      message: 'HTTP 504 with an HTML page: 504 Gateway Time-out',
    });
  });

  it.each([
    [
      'OpenAI',
      "This model's maximum context length is 8192 tokens. However, you requested 9000 tokens.",
    ],
    ['Groq', 'Please reduce the length of the messages or completion.'],
    ['vLLM', 'The prompt (total length 5000) is longer than the maximum model length of 4096.'],
    ['vLLM v1', 'Input prompt (5000 tokens) is too long and exceeds limit of 4096'],
    [
      'Mistral',
      'Prompt contains 40000 tokens and 0 draft tokens, too large for model with 32768 maximum context length',
    ],
    ['xAI', "This model's maximum prompt length is 131072 but the request contains 150000 tokens."],
    ['Ollama', 'the input length exceeds the context length'],
    [
      'llama.cpp',
      'the request exceeds the available context size, try increasing it (n_ctx: 4096)',
    ],
    [
      'LM Studio',
      'Trying to keep the first 5000 tokens when context the overflows. However, the model is loaded with context length of only 4096 tokens',
    ],
    ['Anthropic-style proxy', 'prompt is too long: 210000 tokens > 200000 maximum'],
  ])('recognises a %s context-window message', (_server, message) => {
    const body = JSON.stringify({ error: { message, type: 'invalid_request_error', code: null } });
    expect(classify('hosted_vllm', 400, body)).toMatchObject({
      type: 'context_window_exceeded',
      code: 'context_length_exceeded',
    });
  });

  it('does not read a context-window message into a server error', () => {
    const body = JSON.stringify({
      error: { message: 'maximum context length exceeded while batching' },
    });
    expect(classify('hosted_vllm', 500, body).type).toBe('server');
  });

  it('reads a plain-text body and an error given as a string', () => {
    expect(classify('lm_studio', 400, 'Model is not loaded')).toMatchObject({
      type: 'bad_request',
      message: 'HTTP 400: Model is not loaded',
    });
    expect(classify('lm_studio', 404, '{"error":"model \\"x\\" not found"}')).toMatchObject({
      type: 'not_found',
      message: 'model "x" not found',
    });
    expect(classify('together_ai', 400, '{"detail":"Input validation error"}').message).toBe(
      'Input validation error',
    );
  });
});
