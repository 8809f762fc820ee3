import { describe, expect, it } from 'vitest';
import { priceFor } from './token-price';

describe('Vertex AI prices', () => {
  it('hold the standard prices of the listed Gemini and Claude models', () => {
    expect(priceFor('vertex_ai', 'gemini-2.0-flash')).toMatchObject({
      inputPicos: 150_000,
      outputPicos: 600_000,
    });
    expect(priceFor('vertex_ai', 'gemini-2.5-pro')).toMatchObject({
      inputPicos: 1_250_000,
      outputPicos: 10_000_000,
    });
    expect(priceFor('vertex_ai', 'claude-3-5-haiku@20241022')).toMatchObject({
      inputPicos: 800_000,
      outputPicos: 4_000_000,
    });
    expect(priceFor('vertex_ai', 'claude-sonnet-4@20250514')).toMatchObject({
      inputPicos: 3_000_000,
      outputPicos: 15_000_000,
    });
  });

  it('guess no price for a model not in the table', () => {
    expect(priceFor('vertex_ai', 'claude-opus-4@20250514')).toBeUndefined();
    expect(priceFor('vertex_ai', 'claude-3-5-haiku-20241022')).toBeUndefined();
  });
});
