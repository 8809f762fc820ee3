import { describe, expect, it } from 'vitest';
import { budgetEventSchema, decodeBudgetEvent } from './budget-event.schema';

const tenantEvent = {
  v: 1,
  type: 'budget.threshold',
  tenant: 'acme',
  scope: 'tenant',
  threshold: 80,
  spent_usd: 8.25,
  max_budget_usd: 10,
  period_start: 1_800_000_000_000,
  period_end: 1_800_003_600_000,
  at: 1_800_000_100_000,
};

describe('budget events', () => {
  it('decodes a tenant event and a key event from bytes or text', () => {
    expect(decodeBudgetEvent(JSON.stringify(tenantEvent))).toEqual({
      ok: true,
      event: tenantEvent,
    });
    const keyEvent = {
      ...tenantEvent,
      scope: 'key',
      key_id: 'key_0123456789abcdef',
      threshold: 100,
      period_start: 0,
      period_end: undefined,
    };
    const decoded = decodeBudgetEvent(new TextEncoder().encode(JSON.stringify(keyEvent)));
    expect(decoded.ok && decoded.event).toMatchObject({ scope: 'key', threshold: 100 });
  });

  it.each([
    ['a threshold other than 80 or 100', { threshold: 90 }, 'threshold'],
    ['a negative spend', { spent_usd: -1 }, 'spent_usd'],
    ['an invalid tenant', { tenant: 'a.b' }, 'tenant'],
    ['a key scope without key_id', { scope: 'key' }, 'key_id'],
    ['a tenant scope with a key_id', { key_id: 'key_0123456789abcdef' }, 'key_id'],
    ['another type', { type: 'budget.reset' }, 'type'],
    ['another contract version', { v: 2 }, 'v'],
  ])('refuses %s', (_, change, field) => {
    const result = decodeBudgetEvent(JSON.stringify({ ...tenantEvent, ...change }));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(field);
  });

  it('never throws on garbage', () => {
    for (const input of ['', '{', 'null', '[]', '"x"', new Uint8Array([0xff, 0xfe])]) {
      expect(decodeBudgetEvent(input).ok).toBe(false);
    }
    expect(budgetEventSchema.safeParse(undefined).success).toBe(false);
  });
});
