import type { CompletionUsage } from '@switchyard/contracts';
import { PICOS_PER_USD, type TokenPrice } from './price-table';

/**
 * The token counts a cost is computed from, as every adapter in libs/providers reports them
 * (OpenAI's convention): `cached_tokens` are part of `prompt_tokens`, `reasoning_tokens` part
 * of `completion_tokens`.
 */
export interface TokenCounts {
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
  reasoning_tokens: number;
}

/** The flat counts of an OpenAI-shaped usage object (absent details are 0). */
export function tokenCountsOf(usage: CompletionUsage): TokenCounts {
  return {
    prompt_tokens: usage.prompt_tokens,
    completion_tokens: usage.completion_tokens,
    cached_tokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
    reasoning_tokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

/**
 * The cost of a call in whole pico-dollars (1e-12 USD), or null when the price is unknown:
 * uncached prompt tokens at the input price, cached ones at the cached-input price,
 * completion tokens other than reasoning at the output price, reasoning tokens at the
 * reasoning price (the output price unless priced apart). Integer arithmetic, so costs add
 * up exactly; a cached or reasoning count above its total is capped at the total.
 */
export function costPicosOf(counts: TokenCounts, price: TokenPrice | undefined): number | null {
  if (price === undefined) return null;
  const cached = Math.min(counts.cached_tokens, counts.prompt_tokens);
  const reasoning = Math.min(counts.reasoning_tokens, counts.completion_tokens);
  return (
    (counts.prompt_tokens - cached) * price.inputPicos +
    cached * price.cachedInputPicos +
    (counts.completion_tokens - reasoning) * price.outputPicos +
    reasoning * price.reasoningPicos
  );
}

/** {@link costPicosOf} in US dollars (null when the price is unknown). */
export function costOf(counts: TokenCounts, price: TokenPrice | undefined): number | null {
  const picos = costPicosOf(counts, price);
  return picos === null ? null : picosToUsd(picos);
}

/** Whole pico-dollars as US dollars. */
export function picosToUsd(picos: number): number {
  return picos / PICOS_PER_USD;
}

/**
 * US dollars as whole pico-dollars. Exact for any cost {@link costOf} produced (below about
 * 1,000 USD per call, where a double still resolves single pico-dollars; checked in tests).
 */
export function usdToPicos(usd: number): number {
  return Math.round(usd * PICOS_PER_USD);
}
