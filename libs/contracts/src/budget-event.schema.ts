import { z } from 'zod';
import { keyIdSchema, tenantIdSchema } from './ids.schema';
import { epochMsSchema, usdSchema } from './units.schema';
import { contractVersionSchema } from './version';

/** Whose budget an event is about: the tenant's own, or one of its virtual keys'. */
export const budgetScopeKindSchema = z.enum(['tenant', 'key']);
export type BudgetScopeKind = z.infer<typeof budgetScopeKindSchema>;

/**
 * A budget crossing a threshold, published (core NATS, not stored) on
 * `<root>.events.budget.<tenant>` at most once per scope, threshold and budget period.
 * - `threshold` 80: the period's spend reached 80 % of `max_budget_usd`. 100: the spend
 *   reached the budget, or the first job of the period was refused for want of room.
 * - `scope` `key` events carry the virtual key's `key_id`.
 * - `period_start` / `period_end`: the budget period (epoch ms); a budget that never resets
 *   has `period_start` 0 and no `period_end`.
 * - `at`: when the worker saw the crossing.
 */
export const budgetEventSchema = z
  .object({
    v: contractVersionSchema,
    type: z.literal('budget.threshold'),
    tenant: tenantIdSchema,
    scope: budgetScopeKindSchema,
    key_id: keyIdSchema.optional(),
    threshold: z.union([z.literal(80), z.literal(100)]),
    spent_usd: usdSchema,
    max_budget_usd: usdSchema,
    period_start: epochMsSchema,
    period_end: epochMsSchema.optional(),
    at: epochMsSchema,
  })
  .refine((event) => (event.scope === 'key') === (event.key_id !== undefined), {
    message: 'key_id is required for scope "key" and not allowed for scope "tenant"',
    path: ['key_id'],
  })
  .meta({ description: 'A budget crossing 80 % or 100 % of its limit' });
export type BudgetEvent = z.infer<typeof budgetEventSchema>;

/** The outcome of decodeBudgetEvent. */
export type DecodeBudgetEventResult =
  { ok: true; event: BudgetEvent } | { ok: false; reason: string };

/** Reads a budget event from the bytes (or text) of a message. Never throws. */
export function decodeBudgetEvent(input: Uint8Array | string): DecodeBudgetEventResult {
  let value: unknown;
  try {
    value = JSON.parse(typeof input === 'string' ? input : new TextDecoder().decode(input));
  } catch (error) {
    return { ok: false, reason: `malformed JSON: ${(error as Error).message}` };
  }
  const parsed = budgetEventSchema.safeParse(value);
  if (parsed.success) return { ok: true, event: parsed.data };
  const reason = parsed.error.issues
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
  return { ok: false, reason: `invalid budget event: ${reason}` };
}
