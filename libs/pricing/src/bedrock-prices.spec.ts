import { describe, expect, it } from 'vitest';
import { priceFor } from './token-price';

describe('Bedrock prices', () => {
  it('hold the on-demand prices of the listed models', () => {
    expect(priceFor('bedrock', 'anthropic.claude-3-5-haiku-20241022-v1:0')).toMatchObject({
      inputPicos: 800_000,
      cachedInputPicos: 80_000,
      outputPicos: 4_000_000,
    });
    expect(priceFor('bedrock', 'amazon.nova-micro-v1:0')).toMatchObject({
      inputPicos: 35_000,
      outputPicos: 140_000,
    });
    expect(priceFor('bedrock', 'mistral.mistral-large-2407-v1:0')).toMatchObject({
      inputPicos: 3_000_000,
      outputPicos: 9_000_000,
    });
    expect(priceFor('bedrock', 'meta.llama3-1-70b-instruct-v1:0')).toMatchObject({
      inputPicos: 990_000,
      outputPicos: 990_000,
    });
  });

  it("give a cross-region inference profile the model's price, and guess nothing else", () => {
    const direct = priceFor('bedrock', 'anthropic.claude-sonnet-4-20250514-v1:0');
    expect(direct).toMatchObject({ inputPicos: 3_000_000, outputPicos: 15_000_000 });
    expect(priceFor('bedrock', 'us.anthropic.claude-sonnet-4-20250514-v1:0')).toEqual(direct);
    expect(priceFor('bedrock', 'eu.anthropic.claude-sonnet-4-20250514-v1:0')).toEqual(direct);
    expect(priceFor('bedrock', 'xx.anthropic.claude-sonnet-4-20250514-v1:0')).toBeUndefined();
    expect(priceFor('anthropic', 'us.claude-3-5-haiku-20241022')).toBeUndefined();
  });

  it('price a listed geographic profile as listed: 10% above the global profile and model id', () => {
    const model = priceFor('bedrock', 'anthropic.claude-opus-4-8');
    expect(model).toMatchObject({
      inputPicos: 5_000_000,
      cachedInputPicos: 500_000,
      outputPicos: 25_000_000,
    });
    expect(priceFor('bedrock', 'global.anthropic.claude-opus-4-8')).toEqual(model);
    const geographic = {
      inputPicos: 5_500_000,
      cachedInputPicos: 550_000,
      outputPicos: 27_500_000,
    };
    for (const geography of ['us', 'eu', 'au', 'jp']) {
      expect(priceFor('bedrock', `${geography}.anthropic.claude-opus-4-8`)).toMatchObject(
        geographic,
      );
    }
    expect(priceFor('bedrock', 'us.anthropic.claude-haiku-4-5-20251001-v1:0')).toMatchObject({
      inputPicos: 1_100_000,
      outputPicos: 5_500_000,
    });
    expect(priceFor('bedrock', 'apac.amazon.nova-lite-v1:0')).toMatchObject({
      inputPicos: 63_000,
      outputPicos: 252_000,
    });
    expect(priceFor('bedrock', 'us.amazon.nova-lite-v1:0')).toMatchObject({
      inputPicos: 60_000,
      outputPicos: 240_000,
    });
  });
});
