import { describe, expect, it } from 'vitest';
import { costOf, costPicosOf, picosToUsd, tokenCountsOf, usdToPicos } from './cost';
import { priceFor, priceForDeployment } from './token-price';

const counts = (prompt: number, completion: number, cached = 0, reasoning = 0) => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  cached_tokens: cached,
  reasoning_tokens: reasoning,
});

describe('costOf', () => {
  it('prices prompt and completion tokens per million', () => {
    // gpt-4o-mini: $0.15 in, $0.60 out per 1M tokens.
    expect(costOf(counts(1_000_000, 1_000_000), priceFor('openai', 'gpt-4o-mini'))).toBe(0.75);
    expect(costPicosOf(counts(13, 16), priceFor('openai', 'gpt-4o-mini'))).toBe(
      13 * 150_000 + 16 * 600_000,
    );
  });

  it('prices cached prompt tokens (a subset of prompt_tokens) at the cached price', () => {
    // gpt-4o: $2.50 in, $1.25 cached in, $10 out.
    const price = priceFor('openai', 'gpt-4o');
    expect(costPicosOf(counts(2000, 0, 1024), price)).toBe(976 * 2_500_000 + 1024 * 1_250_000);
  });

  it('counts reasoning tokens (a subset of completion_tokens) as output unless priced apart', () => {
    const price = priceFor('openai', 'o4-mini');
    expect(costPicosOf(counts(0, 500, 0, 300), price)).toBe(500 * 4_400_000);
    if (price === undefined) throw new Error('o4-mini has no price');
    const apart = { ...price, reasoningPicos: 1 };
    expect(costPicosOf(counts(0, 500, 0, 300), apart)).toBe(200 * 4_400_000 + 300);
  });

  it('caps cached and reasoning counts at their totals', () => {
    const price = priceFor('openai', 'gpt-4o');
    expect(costPicosOf(counts(10, 5, 50, 50), price)).toBe(10 * 1_250_000 + 5 * 10_000_000);
  });

  it('is null, never 0, when the price is unknown', () => {
    expect(priceFor('openai', 'gpt-unknown-model')).toBeUndefined();
    expect(costOf(counts(100, 100), undefined)).toBeNull();
    expect(costPicosOf(counts(0, 0), undefined)).toBeNull();
  });

  it('adds up exactly: the sum of call costs is the cost of the summed tokens', () => {
    const price = priceFor('anthropic', 'claude-3-5-haiku-20241022');
    let sum = 0;
    for (let i = 1; i <= 1000; i++) sum += costPicosOf(counts(i, 2 * i + 1), price) ?? 0;
    expect(sum).toBe(costPicosOf(counts(500_500, 1_001_000 + 1000), price));
  });
});

describe('priceFor and overrides', () => {
  it('knows no date-suffixed name it does not list (no guessing by prefix)', () => {
    expect(priceFor('openai', 'gpt-4o-2024-05-13')).toBeUndefined();
    expect(priceFor('nosuchprovider', 'gpt-4o')).toBeUndefined();
  });

  it('prices Azure deployments as the OpenAI model they run', () => {
    expect(priceFor('azure', 'gpt-4o')).toEqual(priceFor('openai', 'gpt-4o'));
    expect(
      priceForDeployment({ provider: 'azure', providerModel: 'my-deploy', baseModel: 'gpt-4o' }),
    ).toEqual(priceFor('openai', 'gpt-4o'));
  });

  it('prices Cohere models under both of LiteLLM spellings, cohere and cohere_chat', () => {
    expect(priceFor('cohere', 'command-r7b-12-2024')).toMatchObject({
      inputPicos: 37_500,
      outputPicos: 150_000,
    });
    expect(priceFor('cohere_chat', 'command-a-03-2025')).toEqual(
      priceFor('cohere', 'command-a-03-2025'),
    );
    expect(priceFor('cohere', 'command-a-03-2025')).toMatchObject({
      inputPicos: 2_500_000,
      outputPicos: 10_000_000,
    });
  });

  it('uses the per-token override from config instead of the table', () => {
    const price = priceFor('openai', 'gpt-4o', {
      inputPerToken: 0.000001,
      outputPerToken: 0.000002,
    });
    expect(price).toEqual({
      inputPicos: 1_000_000,
      outputPicos: 2_000_000,
      cachedInputPicos: 1_000_000,
      reasoningPicos: 2_000_000,
      source: 'config',
    });
    expect(costOf(counts(1000, 1000, 500, 100), price)).toBe(0.003);
  });

  it('prices a model missing from the table through its override', () => {
    const deployment = {
      provider: 'hosted_vllm' as const,
      providerModel: 'llama-local',
      pricing: { inputPerToken: 0, outputPerToken: 0.0000005 },
    };
    expect(priceForDeployment({ ...deployment, pricing: undefined })).toBeUndefined();
    expect(costOf(counts(10, 10), priceForDeployment(deployment))).toBe(0.000005);
  });
});

describe('conversions', () => {
  it('round-trips costs between pico-dollars and dollars', () => {
    for (const picos of [0, 1, 18_750, 2_500_000 * 977 + 123, 999_999_999_999_999]) {
      expect(usdToPicos(picosToUsd(picos))).toBe(picos);
    }
  });

  it('reads flat counts from an OpenAI usage object', () => {
    expect(
      tokenCountsOf({
        prompt_tokens: 10,
        completion_tokens: 4,
        total_tokens: 14,
        prompt_tokens_details: { cached_tokens: 3 },
      }),
    ).toEqual(counts(10, 4, 3, 0));
  });
});
