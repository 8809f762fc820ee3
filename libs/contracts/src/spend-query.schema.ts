import { z } from 'zod';
import { switchyardErrorSchema } from './error.schema';
import { tenantIdSchema } from './ids.schema';
import { epochMsSchema, tokenCountSchema, usdSchema } from './units.schema';

/** What spend can be grouped by: the dimensions metering aggregates. */
export const SpendDimensions = ['model', 'tenant', 'key', 'tag', 'deployment', 'provider'] as const;
export type SpendDimension = (typeof SpendDimensions)[number];

const relativeUnits = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/**
 * A point in time: epoch milliseconds, or a duration before the moment the query is answered
 * (`30m`, `24h`, `7d`, `2w`).
 */
export const spendTimeSchema = z.union([
  epochMsSchema,
  z.string().regex(/^\d{1,6}[mhdw]$/, 'expected epoch ms or a duration such as 30m, 24h, 7d, 2w'),
]);
export type SpendTime = z.infer<typeof spendTimeSchema>;

/**
 * A spend query, sent as JSON on `<root>.metering.spend` (request-reply). `since` is
 * required; `until` defaults to now. Metering answers with whole hours: `since` is rounded
 * down and `until` up to the hour. With `tenant`, only that tenant's usage is counted.
 */
export const spendQuerySchema = z.strictObject({
  by: z.enum(SpendDimensions),
  since: spendTimeSchema,
  until: spendTimeSchema.optional(),
  tenant: tenantIdSchema.optional(),
});
export type SpendQuery = z.infer<typeof spendQuerySchema>;

/** A SpendTime as epoch ms, relative to `now`. */
export function resolveSpendTime(time: SpendTime, now: number): number {
  if (typeof time === 'number') return time;
  const unit = time.slice(-1) as keyof typeof relativeUnits;
  return now - Number(time.slice(0, -1)) * relativeUnits[unit];
}

/**
 * Usage and spend of one group. `cost_picos` is the exact cost in pico-dollars (1e-12 USD)
 * as a decimal string (it can exceed 2^53); `cost_usd` is the same as a number, for display.
 * `unknown_cost_requests` counts calls of deployments with no known price, whose cost is
 * not in `cost_usd`.
 */
export const spendRowSchema = z.strictObject({
  key: z.string(),
  requests: tokenCountSchema,
  errors: tokenCountSchema,
  errors_by_type: z.record(z.string(), tokenCountSchema),
  cache_hits: tokenCountSchema,
  prompt_tokens: tokenCountSchema,
  completion_tokens: tokenCountSchema,
  cached_tokens: tokenCountSchema,
  reasoning_tokens: tokenCountSchema,
  cost_usd: usdSchema,
  cost_picos: z.string().regex(/^\d+$/),
  cost_saved_usd: usdSchema,
  cost_saved_picos: z.string().regex(/^\d+$/),
  unknown_cost_requests: tokenCountSchema,
});
export type SpendRow = z.infer<typeof spendRowSchema>;

/** The answer to a spend query: rows by descending cost, or why the query was refused. */
export const spendReplySchema = z.discriminatedUnion('ok', [
  z.strictObject({
    ok: z.literal(true),
    by: z.enum(SpendDimensions),
    tenant: tenantIdSchema.optional(),
    /** The window counted, in whole hours (epoch ms). */
    since: epochMsSchema,
    until: epochMsSchema,
    rows: z.array(spendRowSchema),
  }),
  z.strictObject({ ok: z.literal(false), error: switchyardErrorSchema }),
]);
export type SpendReply = z.infer<typeof spendReplySchema>;
