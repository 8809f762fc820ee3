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
      cachedInputPicos: 125_000,
      outputPicos: 10_000_000,
    });
    expect(priceFor('vertex_ai', 'gemini-3.5-flash')).toMatchObject({
      inputPicos: 1_500_000,
      cachedInputPicos: 150_000,
      outputPicos: 9_000_000,
    });
    expect(priceFor('vertex_ai', 'claude-haiku-4-5@20251001')).toMatchObject({
      inputPicos: 1_000_000,
      cachedInputPicos: 100_000,
      outputPicos: 5_000_000,
    });
    expect(priceFor('vertex_ai', 'claude-sonnet-4@20250514')).toMatchObject({
      inputPicos: 3_000_000,
      outputPicos: 15_000_000,
    });
    expect(priceFor('vertex_ai', 'claude-fable-5@default')).toMatchObject({
      inputPicos: 10_000_000,
      cachedInputPicos: 1_000_000,
      outputPicos: 50_000_000,
    });
  });

  it('price a Claude model the same under its version-less name and its @ version', () => {
    expect(priceFor('vertex_ai', 'claude-sonnet-4-5')).toEqual(
      priceFor('vertex_ai', 'claude-sonnet-4-5@20250929'),
    );
    expect(priceFor('vertex_ai', 'claude-opus-4-8')).toEqual(
      priceFor('vertex_ai', 'claude-opus-4-8@default'),
    );
  });

  it('guess no price for a model not in the table', () => {
    expect(priceFor('vertex_ai', 'claude-opus-4@20250514')).toBeUndefined();
    expect(priceFor('vertex_ai', 'claude-3-5-haiku-20241022')).toBeUndefined();
    expect(priceFor('vertex_ai', 'claude-sonnet-4-5@20990101')).toBeUndefined();
  });
});
