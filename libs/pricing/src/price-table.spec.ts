import { describe, expect, it } from 'vitest';
import { supportedProviders } from '@switchyard/config';
import {
  indexPriceTable,
  picosPerTokenFromPerMillion,
  PriceError,
  priceTable,
  priceTableSchema,
  tokenPriceOf,
} from './price-table';

describe('the built-in price table', () => {
  it('has a date, a source and a pricing page for every provider, all supported providers', () => {
    expect(priceTable.as_of).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(priceTable.source.length).toBeGreaterThan(20);
    for (const [provider, entry] of Object.entries(priceTable.providers)) {
      expect(supportedProviders as readonly string[]).toContain(provider);
      expect(entry.pricing_page).toMatch(/^https:\/\//);
    }
  });

  it('covers openai, anthropic and gemini, each price a whole number of pico-dollars per token', () => {
    for (const provider of ['openai', 'anthropic', 'gemini']) {
      expect(Object.keys(priceTable.providers[provider]?.models ?? {}).length).toBeGreaterThan(2);
    }
    expect(() => indexPriceTable(priceTable)).not.toThrow();
  });

  it('holds the published prices of well-known models', () => {
    const index = indexPriceTable(priceTable);
    expect(index.get('openai')?.get('gpt-4o')).toMatchObject({
      inputPicos: 2_500_000,
      outputPicos: 10_000_000,
      cachedInputPicos: 1_250_000,
    });
    expect(index.get('openai')?.get('gpt-4o-mini-2024-07-18')).toMatchObject({
      inputPicos: 150_000,
      outputPicos: 600_000,
    });
    expect(index.get('anthropic')?.get('claude-3-5-haiku-20241022')).toMatchObject({
      inputPicos: 800_000,
      outputPicos: 4_000_000,
      cachedInputPicos: 80_000,
    });
    expect(index.get('gemini')?.get('gemini-2.0-flash')).toMatchObject({
      inputPicos: 100_000,
      outputPicos: 400_000,
    });
  });

  it('uses the input price for cached tokens and the output price for reasoning when not listed', () => {
    expect(tokenPriceOf({ input: 3, output: 15 })).toEqual({
      inputPicos: 3_000_000,
      outputPicos: 15_000_000,
      cachedInputPicos: 3_000_000,
      reasoningPicos: 15_000_000,
      source: 'table',
    });
    expect(tokenPriceOf({ input: 1, output: 2, reasoning: 3.5 }).reasoningPicos).toBe(3_500_000);
  });
});

describe('picosPerTokenFromPerMillion', () => {
  it('converts six decimal places exactly', () => {
    expect(picosPerTokenFromPerMillion(0.01875)).toBe(18_750);
    expect(picosPerTokenFromPerMillion(0.075)).toBe(75_000);
    expect(picosPerTokenFromPerMillion(0)).toBe(0);
  });

  it('refuses a price finer than a pico-dollar per token', () => {
    expect(() => picosPerTokenFromPerMillion(0.0000001)).toThrow(PriceError);
  });
});

describe('priceTableSchema', () => {
  const valid = {
    unit: 'USD per 1M tokens',
    as_of: '2025-08-15',
    source: 'pricing pages',
    providers: { openai: { pricing_page: 'https://openai.com/api/pricing/', models: {} } },
  };

  it('accepts a minimal table', () => {
    expect(priceTableSchema.safeParse(valid).success).toBe(true);
  });

  it.each([
    ['a negative price', { m: { input: -1, output: 1 } }],
    ['a missing output price', { m: { input: 1 } }],
    ['an unknown field', { m: { input: 1, output: 1, batch: 0.5 } }],
    ['a string price', { m: { input: '1', output: 1 } }],
  ])('refuses %s', (_, models) => {
    const table = {
      ...valid,
      providers: { openai: { pricing_page: 'https://openai.com/api/pricing/', models } },
    };
    expect(priceTableSchema.safeParse(table).success).toBe(false);
  });

  it('refuses a table without a date or with garbage as the date', () => {
    expect(priceTableSchema.safeParse({ ...valid, as_of: undefined }).success).toBe(false);
    expect(priceTableSchema.safeParse({ ...valid, as_of: 'yesterday' }).success).toBe(false);
  });
});
