import { z } from 'zod';
import table from './prices.json' with { type: 'json' };

/** Pico-dollars (1e-12 USD) in one US dollar: the unit costs are computed in, as integers. */
export const PICOS_PER_USD = 1_000_000_000_000;

const perMillion = z.number().nonnegative().finite();

/** One model's prices in the data file, USD per million tokens. */
export const modelPriceSchema = z.strictObject({
  input: perMillion,
  output: perMillion,
  /** Prompt tokens read from the provider's prompt cache; absent means the input price. */
  cached_input: perMillion.optional(),
  /** Reasoning tokens, only where a provider prices them apart; absent means the output price. */
  reasoning: perMillion.optional(),
  /** Other names of the same model at the same price (dated snapshots, `-latest`). */
  aliases: z.array(z.string().min(1)).optional(),
  /** Anything a reader of the price should know (a free tier, an embeddings-only price). */
  note: z.string().min(1).optional(),
});
export type ModelPrice = z.infer<typeof modelPriceSchema>;

/** The shape of prices.json. */
export const priceTableSchema = z.strictObject({
  unit: z.literal('USD per 1M tokens'),
  as_of: z.iso.date(),
  source: z.string().min(1),
  providers: z.record(
    z.string(),
    z.strictObject({
      pricing_page: z.url(),
      models: z.record(z.string(), modelPriceSchema),
    }),
  ),
});
export type PriceTable = z.infer<typeof priceTableSchema>;

/** Prices of one model per token, in whole pico-dollars, and where they came from. */
export interface TokenPrice {
  readonly inputPicos: number;
  readonly outputPicos: number;
  readonly cachedInputPicos: number;
  readonly reasoningPicos: number;
  /** `table` (prices.json, with its date) or `config` (the deployment's own override). */
  readonly source: 'table' | 'config';
}

/** Thrown when a price cannot be represented as whole pico-dollars per token. */
export class PriceError extends Error {
  override readonly name = 'PriceError';
}

/** USD per million tokens → whole pico-dollars per token (exact for 6 decimal places). */
export function picosPerTokenFromPerMillion(usdPerMillion: number): number {
  const picos = usdPerMillion * 1_000_000;
  const whole = Math.round(picos);
  if (Math.abs(picos - whole) > 1e-6 || !Number.isSafeInteger(whole)) {
    throw new PriceError(
      `${usdPerMillion} USD per 1M tokens is not a whole number of pico-dollars`,
    );
  }
  return whole;
}

/** One data-file entry as per-token pico-dollar prices. */
export function tokenPriceOf(price: ModelPrice): TokenPrice {
  const input = picosPerTokenFromPerMillion(price.input);
  const output = picosPerTokenFromPerMillion(price.output);
  return {
    inputPicos: input,
    outputPicos: output,
    cachedInputPicos:
      price.cached_input === undefined ? input : picosPerTokenFromPerMillion(price.cached_input),
    reasoningPicos:
      price.reasoning === undefined ? output : picosPerTokenFromPerMillion(price.reasoning),
    source: 'table',
  };
}

/** The built-in table (prices.json), validated once. */
export const priceTable: PriceTable = priceTableSchema.parse(table);

/** Index of a table: provider → model name or alias → price. */
export function indexPriceTable(
  data: PriceTable,
): ReadonlyMap<string, ReadonlyMap<string, TokenPrice>> {
  const index = new Map<string, Map<string, TokenPrice>>();
  for (const [provider, { models }] of Object.entries(data.providers)) {
    const byName = new Map<string, TokenPrice>();
    for (const [name, price] of Object.entries(models)) {
      const tokenPrice = tokenPriceOf(price);
      for (const alias of [name, ...(price.aliases ?? [])]) byName.set(alias, tokenPrice);
    }
    index.set(provider, byName);
  }
  return index;
}
