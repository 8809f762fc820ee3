import { describe, expect, it } from 'vitest';
import { priceFor } from './token-price';

describe('Bedrock prices', () => {
  it('hold the on-demand us-east-1 prices of the listed models', () => {
    expect(priceFor('bedrock', 'anthropic.claude-3-5-haiku-20241022-v1:0')).toMatchObject({
      inputPicos: 800_000,
      outputPicos: 4_000_000,
    });
    expect(priceFor('bedrock', 'amazon.nova-micro-v1:0')).toMatchObject({
      inputPicos: 35_000,
      outputPicos: 140_000,
    });
    expect(priceFor('bedrock', 'mistral.mistral-large-2402-v1:0')).toMatchObject({
      inputPicos: 4_000_000,
      outputPicos: 12_000_000,
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
});
