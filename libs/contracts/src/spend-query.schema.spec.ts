import { describe, expect, it } from 'vitest';
import { resolveSpendTime, spendQuerySchema, spendReplySchema } from './spend-query.schema';

describe('spendQuerySchema', () => {
  it('accepts each dimension with epoch or relative times and an optional tenant', () => {
    for (const by of ['model', 'tenant', 'key', 'tag', 'deployment', 'provider']) {
      expect(spendQuerySchema.safeParse({ by, since: '7d' }).success).toBe(true);
    }
    expect(
      spendQuerySchema.parse({
        by: 'model',
        since: 1_700_000_000_000,
        until: '1h',
        tenant: 'acme',
      }),
    ).toEqual({ by: 'model', since: 1_700_000_000_000, until: '1h', tenant: 'acme' });
  });

  it.each([
    ['an unknown dimension', { by: 'colour', since: '7d' }],
    ['a missing since', { by: 'model' }],
    ['a garbage duration', { by: 'model', since: 'last week' }],
    ['seconds as a unit', { by: 'model', since: '30s' }],
    ['a negative time', { by: 'model', since: -5 }],
    ['a fractional time', { by: 'model', since: 1.5 }],
    ['an invalid tenant', { by: 'model', since: '1d', tenant: 'a.b' }],
    ['an unknown field', { by: 'model', since: '1d', limit: 3 }],
    ['not an object', ['model']],
  ])('refuses %s', (_, query) => {
    expect(spendQuerySchema.safeParse(query).success).toBe(false);
  });
});

describe('resolveSpendTime', () => {
  it('reads durations back from now and keeps epoch times', () => {
    const now = 10 * 86_400_000;
    expect(resolveSpendTime('7d', now)).toBe(3 * 86_400_000);
    expect(resolveSpendTime('2w', now + 4 * 86_400_000)).toBe(0);
    expect(resolveSpendTime('90m', now)).toBe(now - 5_400_000);
    expect(resolveSpendTime('3h', now)).toBe(now - 10_800_000);
    expect(resolveSpendTime(12_345, now)).toBe(12_345);
  });
});

describe('spendReplySchema', () => {
  it('accepts an error reply and refuses a row with a fractional cost string', () => {
    const error = {
      type: 'bad_request',
      code: 'invalid_spend_query',
      message: 'by: invalid',
      status: 400,
      retryable: false,
      deployments_tried: [],
    };
    expect(spendReplySchema.safeParse({ ok: false, error }).success).toBe(true);
    const row = {
      key: 'm',
      requests: 1,
      errors: 0,
      errors_by_type: {},
      cache_hits: 0,
      prompt_tokens: 1,
      completion_tokens: 1,
      cached_tokens: 0,
      reasoning_tokens: 0,
      cost_usd: 0.1,
      cost_picos: '0.5',
      cost_saved_usd: 0,
      cost_saved_picos: '0',
      unknown_cost_requests: 0,
    };
    const reply = { ok: true, by: 'model', since: 0, until: 1, rows: [row] };
    expect(spendReplySchema.safeParse(reply).success).toBe(false);
    row.cost_picos = '100000000000';
    expect(spendReplySchema.safeParse(reply).success).toBe(true);
  });
});
