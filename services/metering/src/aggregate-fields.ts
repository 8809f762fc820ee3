import type { UsageEvent } from '@switchyard/contracts';

/** Hash fields of an aggregate; errors add one `error:<type>` field per error type. */
export const AggregateFields = {
  requests: 'requests',
  errors: 'errors',
  cacheHits: 'cache_hits',
  promptTokens: 'prompt_tokens',
  completionTokens: 'completion_tokens',
  cachedTokens: 'cached_tokens',
  reasoningTokens: 'reasoning_tokens',
  costPicos: 'cost_picos',
  costSavedPicos: 'cost_saved_picos',
  unknownCost: 'unknown_cost',
} as const;

/** The field counting errors of one type. */
export const errorField = (type: string) => `error:${type}`;

const PICOS_PER_USD = 1_000_000_000_000;

/**
 * A dollar amount of an event as whole pico-dollars. Exact for the costs @switchyard/pricing
 * computes (whole pico-dollars divided by 1e12, below 1,000 USD per call).
 */
export function usdToPicos(usd: number): number {
  return Math.round(usd * PICOS_PER_USD);
}

/** The integer increments one event adds to each of its aggregates (zero ones left out). */
export function aggregateIncrements(event: UsageEvent): [string, number][] {
  const F = AggregateFields;
  const all: [string, number][] = [
    [F.requests, 1],
    [F.errors, event.status === 'error' ? 1 : 0],
    [errorField(event.error_type ?? ''), event.error_type === undefined ? 0 : 1],
    [F.cacheHits, event.status === 'cache_hit' ? 1 : 0],
    [F.promptTokens, event.prompt_tokens],
    [F.completionTokens, event.completion_tokens],
    [F.cachedTokens, event.cached_tokens],
    [F.reasoningTokens, event.reasoning_tokens],
    [F.costPicos, event.cost_usd === null ? 0 : usdToPicos(event.cost_usd)],
    [F.costSavedPicos, usdToPicos(event.cost_saved_usd)],
    [F.unknownCost, event.cost_usd === null ? 1 : 0],
  ];
  return all.filter(([, increment]) => increment !== 0);
}
