import { describe, expect, it } from 'vitest';
import { supportedProviders } from '@switchyard/config';
import { priceTable } from './price-table';
import { priceFor, priceForDeployment } from './token-price';

/**
 * Chat models as a deployment names them (a name or a listed alias), with the expected
 * pico-dollars per token: input, cached input, output. Written out, not derived from the
 * table, so a wrong figure in prices.json fails here.
 */
const chatPrices: ReadonlyArray<readonly [string, string, number, number, number]> = [
  ['openai', 'gpt-5.6', 5_000_000, 500_000, 30_000_000],
  ['openai', 'gpt-5.4-mini-2026-03-17', 750_000, 75_000, 4_500_000],
  ['azure', 'gpt-5.6-luna', 1_000_000, 100_000, 6_000_000],
  ['anthropic', 'claude-opus-4-8', 5_000_000, 500_000, 25_000_000],
  ['anthropic', 'claude-sonnet-5', 2_000_000, 200_000, 10_000_000],
  ['anthropic', 'claude-haiku-4-5-20251001', 1_000_000, 100_000, 5_000_000],
  ['gemini', 'gemini-3.5-flash', 1_500_000, 150_000, 9_000_000],
  ['gemini', 'gemini-3.1-flash-lite-preview', 250_000, 25_000, 1_500_000],
  ['vertex_ai', 'gemini-2.5-pro', 1_250_000, 125_000, 10_000_000],
  ['vertex_ai', 'claude-opus-4-7@default', 5_000_000, 500_000, 25_000_000],
  ['bedrock', 'anthropic.claude-sonnet-4-6', 3_000_000, 300_000, 15_000_000],
  ['bedrock', 'amazon.nova-2-lite-v1:0', 300_000, 75_000, 2_500_000],
  ['bedrock', 'meta.llama4-maverick-17b-instruct-v1:0', 240_000, 240_000, 970_000],
  ['bedrock', 'mistral.mistral-large-3-675b-instruct', 500_000, 500_000, 1_500_000],
  ['cohere', 'command-a-03-2025', 2_500_000, 2_500_000, 10_000_000],
  ['cohere_chat', 'command-r7b-12-2024', 37_500, 37_500, 150_000],
  ['mistral', 'mistral-large-latest', 500_000, 500_000, 1_500_000],
  ['mistral', 'mistral-medium-2604', 1_500_000, 1_500_000, 7_500_000],
  ['groq', 'openai/gpt-oss-120b', 150_000, 75_000, 600_000],
  ['deepseek', 'deepseek-chat', 280_000, 28_000, 420_000],
  ['xai', 'grok-4.3-latest', 1_250_000, 200_000, 2_500_000],
  ['fireworks_ai', 'accounts/fireworks/models/deepseek-v4-pro', 1_740_000, 145_000, 3_480_000],
  ['together_ai', 'moonshotai/Kimi-K2.5', 500_000, 500_000, 2_800_000],
  ['perplexity', 'sonar-pro', 3_000_000, 3_000_000, 15_000_000],
  ['openrouter', 'anthropic/claude-sonnet-4.6', 3_000_000, 300_000, 15_000_000],
];

/** Embedding models and their input price in pico-dollars per token (output is free). */
const embeddingPrices: ReadonlyArray<readonly [string, string, number]> = [
  ['openai', 'text-embedding-3-small', 20_000],
  ['azure', 'text-embedding-3-large', 130_000],
  ['gemini', 'gemini-embedding-001', 150_000],
  ['gemini', 'gemini-embedding-2-preview', 200_000],
  ['cohere', 'embed-v4.0', 120_000],
  ['vertex_ai', 'gemini-embedding-001', 150_000],
  ['vertex_ai', 'text-embedding-005', 100_000],
  ['vertex_ai', 'text-multilingual-embedding-002', 100_000],
  ['bedrock', 'amazon.titan-embed-text-v2:0', 20_000],
  ['bedrock', 'cohere.embed-v4:0', 120_000],
  ['mistral', 'codestral-embed-2505', 150_000],
  ['fireworks_ai', 'nomic-ai/nomic-embed-text-v1.5', 8_000],
  ['together_ai', 'BAAI/bge-base-en-v1.5', 8_000],
];

/** Providers whose models run on the user's own servers: priced in config or not at all. */
const selfHosted = ['hosted_vllm', 'ollama', 'ollama_chat', 'lm_studio'];

describe('each provider table', () => {
  it.each(chatPrices)('%s prices %s', (provider, model, input, cachedInput, output) => {
    expect(priceFor(provider, model)).toEqual({
      inputPicos: input,
      cachedInputPicos: cachedInput,
      outputPicos: output,
      reasoningPicos: output,
      source: 'table',
    });
  });

  it.each(embeddingPrices)('%s prices the embedding model %s', (provider, model, input) => {
    expect(priceFor(provider, model)).toMatchObject({ inputPicos: input, outputPicos: 0 });
  });

  it('is exercised above for every provider in the table', () => {
    const tested = new Set(chatPrices.map(([provider]) => provider));
    for (const provider of Object.keys(priceTable.providers)) expect(tested).toContain(provider);
  });

  it('exists for every supported provider but the self-hosted ones and the two spellings', () => {
    for (const provider of supportedProviders) {
      const own = priceTable.providers[provider] !== undefined;
      const borrowed = provider === 'azure' || provider === 'cohere_chat';
      expect(own || borrowed || selfHosted.includes(provider)).toBe(true);
      if (selfHosted.includes(provider)) expect(own).toBe(false);
    }
  });

  it('lists each name or alias once per provider', () => {
    for (const [provider, { models }] of Object.entries(priceTable.providers)) {
      const names = Object.entries(models).flatMap(([name, price]) => [
        name,
        ...(price.aliases ?? []),
      ]);
      expect({ provider, duplicates: names.filter((n, i) => names.indexOf(n) !== i) }).toEqual({
        provider,
        duplicates: [],
      });
    }
  });

  it('keeps a reasoning price where the provider bills reasoning apart', () => {
    expect(priceFor('perplexity', 'sonar-deep-research')).toMatchObject({
      inputPicos: 2_000_000,
      outputPicos: 8_000_000,
      reasoningPicos: 3_000_000,
    });
  });
});

describe('a deployment with its own prices', () => {
  const pricing = { inputPerToken: 0.000_000_7, outputPerToken: 0.000_002_1 };
  const own = {
    inputPicos: 700_000,
    outputPicos: 2_100_000,
    cachedInputPicos: 700_000,
    reasoningPicos: 2_100_000,
    source: 'config',
  };

  it.each([
    ['openai', 'gpt-5.6-sol', undefined],
    ['azure', 'my-deployment', 'gpt-5.6-terra'],
    ['bedrock', 'us.anthropic.claude-opus-4-8', undefined],
    ['vertex_ai', 'claude-sonnet-5', undefined],
    ['fireworks_ai', 'accounts/fireworks/models/kimi-k2p6', undefined],
  ] as const)('is priced from config over the table (%s %s)', (provider, model, baseModel) => {
    const deployment = { provider, providerModel: model, baseModel };
    expect(priceForDeployment(deployment)?.source).toBe('table');
    expect(priceForDeployment({ ...deployment, pricing })).toEqual(own);
  });
});
