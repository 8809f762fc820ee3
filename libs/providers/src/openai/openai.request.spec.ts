import type { Deployment } from '@switchyard/config';
import type { ChatCompletionRequest } from '@switchyard/contracts';
import { chatCompletionRequestSchema } from '@switchyard/contracts';
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../provider-error';
import { helloRequest, testContext } from '../spec-helpers/deployment';
import { readJsonFixture } from '../spec-helpers/fixtures';
import { openAiCompatibleProviders } from './index';
import type { OpenAiCompatibleProvider } from './openai-compatible.types';
import { buildOpenAiRequest } from './openai.request';

function config(name: string): OpenAiCompatibleProvider {
  const found = openAiCompatibleProviders.find((provider) => provider.name === name);
  if (found === undefined) throw new Error(`no provider ${name}`);
  return found;
}

function build(
  name: string,
  request: ChatCompletionRequest,
  options: { deployment?: Partial<Deployment>; dropParams?: boolean; stream?: boolean } = {},
) {
  const context = testContext(
    { provider: config(name).name, ...options.deployment },
    options.dropParams ?? false,
  );
  const http = buildOpenAiRequest(config(name), request, context, options.stream ?? false);
  return { ...http, json: JSON.parse(http.body) as Record<string, unknown> };
}

function thrown(action: () => unknown): ProviderError {
  try {
    action();
  } catch (error) {
    if (error instanceof ProviderError) return error;
    throw error;
  }
  throw new Error('expected a ProviderError');
}

describe('buildOpenAiRequest', () => {
  it("sends OpenAI's published tools request as it is, with the deployment's model", () => {
    const request = chatCompletionRequestSchema.parse(
      readJsonFixture(import.meta.dirname, 'request-tools.json'),
    );
    const { url, headers, json, method } = build('openai', request);
    expect(method).toBe('POST');
    expect(url).toBe('https://api.openai.com/v1/chat/completions');
    expect(headers).toEqual({
      'content-type': 'application/json',
      accept: 'application/json',
      authorization: 'Bearer sk-test',
    });
    const published = readJsonFixture(import.meta.dirname, 'request-tools.json') as Record<
      string,
      unknown
    >;
    expect(published.model).toBe('gpt-4.1');
    expect(json).toEqual({ ...published, model: 'gpt-4o-mini' });
  });

  it('forces stream_options.include_usage on streams, whatever the caller asked', () => {
    const { json, headers } = build(
      'openai',
      { ...helloRequest, stream: false, stream_options: { include_usage: false } },
      { stream: true },
    );
    expect(json.stream).toBe(true);
    expect(json.stream_options).toEqual({ include_usage: true });
    expect(headers.accept).toBe('text/event-stream');
  });

  it.each(['mistral', 'openrouter', 'perplexity'])(
    'sends no stream_options to %s, which reports usage unasked',
    (name) => {
      const { json } = build(
        name,
        { ...helloRequest, stream_options: { include_usage: true } },
        {
          stream: true,
        },
      );
      expect(json.stream).toBe(true);
      expect(json).not.toHaveProperty('stream_options');
    },
  );

  it('does not send stream fields on a non-streaming call, nor parameters set to null', () => {
    const { json } = build('openai', { ...helloRequest, stream: true, temperature: null, seed: 7 });
    expect(json).toEqual({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hello!' }],
      seed: 7,
    });
  });

  it('rebuilds messages with OpenAI fields only (no cache_control or other loose fields)', () => {
    const request = chatCompletionRequestSchema.parse({
      messages: [
        {
          role: 'system',
          content: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
        },
        {
          role: 'user',
          name: 'ann',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'low' } },
          ],
          vendor_field: 1,
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'look', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'a cat' },
        { role: 'assistant', content: [{ type: 'refusal', refusal: 'No.' }], refusal: 'No.' },
      ],
    });
    expect(build('openai', request).json.messages).toEqual([
      { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
      {
        role: 'user',
        name: 'ann',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'low' } },
        ],
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'look', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'a cat' },
      { role: 'assistant', content: [{ type: 'refusal', refusal: 'No.' }], refusal: 'No.' },
    ]);
  });

  it('sends developer messages as system and leaves names out where the provider needs it', () => {
    const request: ChatCompletionRequest = {
      messages: [
        { role: 'developer', content: 'Answer in French.' },
        { role: 'user', content: 'Hi', name: 'ann' },
      ],
    };
    expect(build('groq', request).json.messages).toEqual([
      { role: 'system', content: 'Answer in French.' },
      { role: 'user', content: 'Hi' },
    ]);
    expect(build('openai', request).json.messages).toEqual([
      { role: 'developer', content: 'Answer in French.' },
      { role: 'user', content: 'Hi', name: 'ann' },
    ]);
  });

  it('refuses an unsupported parameter with bad_request and its name', () => {
    const error = thrown(() => build('groq', { ...helloRequest, logprobs: true }));
    expect(error).toMatchObject({
      type: 'bad_request',
      code: 'unsupported_parameter',
      param: 'logprobs',
      provider: 'groq',
    });
    expect(error.message).toContain('drop_params');
  });

  it('leaves an unsupported parameter out when drop_params is on', () => {
    const { json } = build(
      'groq',
      { ...helloRequest, logprobs: true, top_logprobs: 2, temperature: 0.2 },
      { dropParams: true },
    );
    expect(json).not.toHaveProperty('logprobs');
    expect(json).not.toHaveProperty('top_logprobs');
    expect(json.temperature).toBe(0.2);
  });

  it('refuses n > 1 where only one choice is returned, and sends n = 1', () => {
    expect(thrown(() => build('groq', { ...helloRequest, n: 2 })).param).toBe('n');
    expect(build('groq', { ...helloRequest, n: 1 }).json.n).toBe(1);
  });

  it('refuses a JSON-schema response format where only JSON mode exists (DeepSeek)', () => {
    const format = {
      type: 'json_schema',
      json_schema: { name: 'answer', schema: { type: 'object' } },
    } as const;
    expect(
      thrown(() => build('deepseek', { ...helloRequest, response_format: format })).param,
    ).toBe('response_format');
    expect(
      build('deepseek', { ...helloRequest, response_format: { type: 'json_object' } }).json
        .response_format,
    ).toEqual({
      type: 'json_object',
    });
  });

  it("uses Mistral's names for seed and max_completion_tokens", () => {
    const { json } = build('mistral', { ...helloRequest, seed: 42, max_completion_tokens: 100 });
    expect(json.random_seed).toBe(42);
    expect(json.max_tokens).toBe(100);
    expect(json).not.toHaveProperty('seed');
    expect(json).not.toHaveProperty('max_completion_tokens');
  });

  it('lets max_completion_tokens win over max_tokens when both become max_tokens', () => {
    const { json } = build('xai', { ...helloRequest, max_tokens: 10, max_completion_tokens: 20 });
    expect(json.max_tokens).toBe(20);
  });

  it('refuses a field no provider documents, and passes documented extras through', () => {
    const odd = { ...helloRequest, top_k: 40 } as ChatCompletionRequest;
    expect(thrown(() => build('openai', odd))).toMatchObject({
      code: 'unsupported_parameter',
      param: 'top_k',
    });
    expect(build('together_ai', odd).json.top_k).toBe(40);
    expect(build('openai', odd, { dropParams: true }).json).not.toHaveProperty('top_k');
    const store = { ...helloRequest, store: true, service_tier: 'flex' } as ChatCompletionRequest;
    expect(build('openai', store).json).toMatchObject({ store: true, service_tier: 'flex' });
  });

  it('writes Fireworks models, tool_choice "required" and JSON schemas as Fireworks takes them', () => {
    const tools = [
      { type: 'function', function: { name: 'f', parameters: { type: 'object' } } },
    ] as const;
    const { json } = build('fireworks_ai', {
      ...helloRequest,
      tools: [...tools],
      tool_choice: 'required',
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'a', schema: { type: 'object' } },
      },
    });
    expect(json.model).toBe('accounts/fireworks/models/gpt-4o-mini');
    expect(json.tool_choice).toBe('any');
    expect(json.response_format).toEqual({ type: 'json_object', schema: { type: 'object' } });
    const named = build('fireworks_ai', helloRequest, {
      deployment: { providerModel: 'accounts/me/models/custom' },
    }).json;
    expect(named.model).toBe('accounts/me/models/custom');
  });

  it('sends xAI tools without strict', () => {
    const { json } = build('xai', {
      ...helloRequest,
      tools: [{ type: 'function', function: { name: 'f', strict: true, parameters: {} } }],
    });
    expect(json.tools).toEqual([{ type: 'function', function: { name: 'f', parameters: {} } }]);
    expect(
      build('openai', {
        ...helloRequest,
        tools: [{ type: 'function', function: { name: 'f', strict: true } }],
      }).json.tools,
    ).toEqual([{ type: 'function', function: { name: 'f', strict: true } }]);
  });

  it('refuses a call without API key to a provider that needs one', () => {
    const error = thrown(() => build('groq', helloRequest, { deployment: { apiKey: undefined } }));
    expect(error).toMatchObject({ type: 'auth', code: 'missing_api_key', provider: 'groq' });
  });

  it('lets an openai/<model> deployment with its own api_base go without a key', () => {
    const { url, headers } = build('openai', helloRequest, {
      deployment: { apiKey: undefined, apiBase: 'http://10.0.0.5:8000/v1/' },
    });
    expect(url).toBe('http://10.0.0.5:8000/v1/chat/completions');
    expect(headers).not.toHaveProperty('authorization');
  });

  it("calls Azure's v1 API for api_version v1, latest, preview or none, with the deployment as the model", () => {
    const azure = (apiVersion?: string) =>
      build('azure', helloRequest, {
        deployment: {
          apiBase: 'https://r.openai.azure.com',
          providerModel: 'gpt-4o-prod',
          ...(apiVersion === undefined ? {} : { apiVersion }),
        },
      });
    for (const version of [undefined, 'v1', 'latest']) {
      const { url, body } = azure(version);
      expect(url).toBe('https://r.openai.azure.com/openai/v1/chat/completions');
      expect(JSON.parse(body)).toMatchObject({ model: 'gpt-4o-prod' });
    }
    expect(azure('preview').url).toBe(
      'https://r.openai.azure.com/openai/v1/chat/completions?api-version=preview',
    );
    expect(azure('2024-10-21').url).toBe(
      'https://r.openai.azure.com/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21',
    );
  });

  it('refuses a vLLM deployment without api_base', () => {
    expect(thrown(() => build('hosted_vllm', helloRequest))).toMatchObject({
      type: 'bad_request',
      code: 'missing_api_base',
    });
  });
});
