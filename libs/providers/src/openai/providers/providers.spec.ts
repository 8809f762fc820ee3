import type { Deployment } from '@switchyard/config';
import { describe, expect, it } from 'vitest';
import { helloRequest, testContext } from '../../spec-helpers/deployment';
import { openAiCompatibleAdapters, openAiCompatibleProviders } from '../index';

interface Expected {
  readonly deployment?: Partial<Deployment>;
  readonly url: string;
  readonly auth: Record<string, string>;
  /** The model in the body, when it is not the deployment's providerModel. */
  readonly model?: string;
}

/** Every entry of the OpenAI family: where a call goes and how it authenticates. */
const expectations: Readonly<Record<string, Expected>> = {
  openai: {
    url: 'https://api.openai.com/v1/chat/completions',
    auth: { authorization: 'Bearer sk-test' },
  },
  azure: {
    deployment: {
      providerModel: 'my gpt-4o',
      apiBase: 'https://my-resource.openai.azure.com/',
      apiVersion: '2024-10-21',
    },
    url: 'https://my-resource.openai.azure.com/openai/deployments/my%20gpt-4o/chat/completions?api-version=2024-10-21',
    auth: { 'api-key': 'sk-test' },
    model: 'my gpt-4o',
  },
  groq: {
    url: 'https://api.groq.com/openai/v1/chat/completions',
    auth: { authorization: 'Bearer sk-test' },
  },
  mistral: {
    url: 'https://api.mistral.ai/v1/chat/completions',
    auth: { authorization: 'Bearer sk-test' },
  },
  deepseek: {
    url: 'https://api.deepseek.com/chat/completions',
    auth: { authorization: 'Bearer sk-test' },
  },
  together_ai: {
    url: 'https://api.together.xyz/v1/chat/completions',
    auth: { authorization: 'Bearer sk-test' },
  },
  fireworks_ai: {
    url: 'https://api.fireworks.ai/inference/v1/chat/completions',
    auth: { authorization: 'Bearer sk-test' },
    model: 'accounts/fireworks/models/gpt-4o-mini',
  },
  openrouter: {
    url: 'https://openrouter.ai/api/v1/chat/completions',
    auth: { authorization: 'Bearer sk-test' },
  },
  xai: { url: 'https://api.x.ai/v1/chat/completions', auth: { authorization: 'Bearer sk-test' } },
  perplexity: {
    url: 'https://api.perplexity.ai/chat/completions',
    auth: { authorization: 'Bearer sk-test' },
  },
  hosted_vllm: {
    deployment: { apiBase: 'https://vllm.internal:8000/v1', apiKey: undefined },
    url: 'https://vllm.internal:8000/v1/chat/completions',
    auth: {},
  },
  ollama: {
    deployment: { apiKey: undefined },
    url: 'http://localhost:11434/v1/chat/completions',
    auth: {},
  },
  ollama_chat: {
    deployment: { apiKey: undefined },
    url: 'http://localhost:11434/v1/chat/completions',
    auth: {},
  },
  lm_studio: {
    deployment: { apiKey: undefined },
    url: 'http://localhost:1234/v1/chat/completions',
    auth: {},
  },
};

describe('OpenAI-compatible provider entries', () => {
  it('has one entry and one adapter per provider, each expected here', () => {
    const names = openAiCompatibleProviders.map((provider) => provider.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(Object.keys(expectations).sort());
    expect(openAiCompatibleAdapters.map((adapter) => adapter.providers)).toEqual(
      names.map((name) => [name]),
    );
  });

  it.each(openAiCompatibleProviders.map((provider) => [provider.name, provider] as const))(
    '%s: URL, auth header and model',
    (name, provider) => {
      const expected = expectations[name];
      if (expected === undefined) throw new Error(`no expectation for ${name}`);
      const adapter = openAiCompatibleAdapters.find((candidate) => candidate.providers[0] === name);
      const request = adapter?.buildRequest(
        helloRequest,
        testContext({ provider: provider.name, ...expected.deployment }),
        { stream: false },
      );
      expect(request?.url).toBe(expected.url);
      const { 'content-type': contentType, accept, ...auth } = request?.headers ?? {};
      expect(contentType).toBe('application/json');
      expect(accept).toBe('application/json');
      expect(auth).toEqual(expected.auth);
      expect(JSON.parse(request?.body ?? '{}')).toMatchObject({
        model: expected.model ?? 'gpt-4o-mini',
      });
    },
  );

  it('sends a configured key to local servers too', () => {
    const adapter = openAiCompatibleAdapters.find(
      (candidate) => candidate.providers[0] === 'lm_studio',
    );
    const request = adapter?.buildRequest(
      helloRequest,
      testContext({ provider: 'lm_studio', apiKey: 'lm-key' }),
      { stream: false },
    );
    expect(request?.headers.authorization).toBe('Bearer lm-key');
  });

  it.each([
    ['ollama', 'http://gpu-box:11434', 'http://gpu-box:11434/v1/chat/completions'],
    ['ollama_chat', 'http://gpu-box:11434/v1/', 'http://gpu-box:11434/v1/chat/completions'],
    ['mistral', 'https://mistral.example.com', 'https://mistral.example.com/v1/chat/completions'],
    [
      'groq',
      'https://proxy.example.com/groq/v1',
      'https://proxy.example.com/groq/v1/chat/completions',
    ],
  ] as const)('%s with api_base %s calls %s', (name, apiBase, url) => {
    const adapter = openAiCompatibleAdapters.find((candidate) => candidate.providers[0] === name);
    const request = adapter?.buildRequest(helloRequest, testContext({ provider: name, apiBase }), {
      stream: false,
    });
    expect(request?.url).toBe(url);
  });

  it('names where each entry comes from', () => {
    for (const provider of openAiCompatibleProviders) {
      expect(provider.references.length).toBeGreaterThan(0);
      for (const reference of provider.references) expect(reference).toMatch(/^https:\/\//);
    }
  });
});
