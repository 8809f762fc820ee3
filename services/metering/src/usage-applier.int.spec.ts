import { usageEventSchema, type UsageEvent, type UsageEventInput } from '@switchyard/contracts';
import { startTestRedis, uniquePrefix, type TestServer } from '@switchyard/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usageEvent } from './metering.test-support';
import { readSpend } from './spend-reader';
import { createUsageApplier } from './usage-applier';

const parse = (input: UsageEventInput): UsageEvent => usageEventSchema.parse(input);
const at = Date.UTC(2026, 0, 15, 10, 30);
const window = { since: Date.UTC(2026, 0, 15), until: Date.UTC(2026, 0, 16) };

describe('the usage applier against redis-server', () => {
  let server: TestServer;
  let redis: Redis;

  beforeAll(async () => {
    server = await startTestRedis();
    redis = new Redis(server.url);
  });
  afterAll(async () => {
    redis.disconnect();
    await server.stop();
  });

  it('applies an event once, however often and in however many batches it comes', async () => {
    const keyPrefix = `${uniquePrefix('apply')}:`;
    const applier = createUsageApplier(redis, { keyPrefix });
    const event = parse(usageEvent({ at }));
    expect(await applier.apply([event, event])).toEqual(['applied', 'duplicate']);
    expect(await applier.apply([event])).toEqual(['duplicate']);
    const other = createUsageApplier(redis, { keyPrefix });
    expect(await other.apply([event])).toEqual(['duplicate']);
    const reply = await readSpend(redis, keyPrefix, { by: 'model', ...window }, at);
    expect(reply).toMatchObject({ ok: true, rows: [{ key: 'm', requests: 1, prompt_tokens: 13 }] });
  });

  it('aggregates every dimension, per tenant and across tenants, with exact costs', async () => {
    const keyPrefix = `${uniquePrefix('dims')}:`;
    const applier = createUsageApplier(redis, { keyPrefix });
    const events = [
      usageEvent({ at, tenant: 'acme', key_id: 'sk-a', tags: ['x', 'y'], cached_tokens: 5 }),
      usageEvent({
        at,
        tenant: 'acme',
        tags: [],
        status: 'error',
        error_type: 'rate_limit',
        prompt_tokens: 0,
        completion_tokens: 0,
        cost_usd: 0,
      }),
      usageEvent({
        at,
        tenant: 'beta',
        model: 'n',
        deployment: 'n/0',
        provider: 'anthropic',
        provider_model: 'claude-x',
        cost_usd: null,
        reasoning_tokens: 7,
      }),
      usageEvent({
        at,
        tenant: 'beta',
        status: 'cache_hit',
        prompt_tokens: 0,
        completion_tokens: 0,
        cost_usd: 0,
        cost_saved_usd: 0.0000111,
      }),
    ].map(parse);
    expect(await applier.apply(events)).toEqual(['applied', 'applied', 'applied', 'applied']);
    const ask = (
      by: 'model' | 'tenant' | 'key' | 'tag' | 'deployment' | 'provider',
      tenant?: string,
    ) =>
      readSpend(
        redis,
        keyPrefix,
        { by, ...window, ...(tenant === undefined ? {} : { tenant }) },
        at,
      );
    const perCall = 13 * 150_000 + 16 * 600_000;

    const byTenant = await ask('tenant');
    expect(byTenant.ok && byTenant.rows.map((r) => [r.key, r.requests, r.cost_picos])).toEqual([
      ['acme', 2, String(perCall)],
      ['beta', 2, '0'],
    ]);
    const byModel = await ask('model');
    expect(byModel.ok && byModel.rows).toMatchObject([
      {
        key: 'm',
        requests: 3,
        errors: 1,
        errors_by_type: { rate_limit: 1 },
        cache_hits: 1,
        cost_saved_picos: '11100000',
        cached_tokens: 5,
      },
      { key: 'n', requests: 1, unknown_cost_requests: 1, cost_picos: '0', reasoning_tokens: 7 },
    ]);
    const byTag = await ask('tag', 'acme');
    expect(byTag.ok && byTag.rows.map((r) => [r.key, r.requests])).toEqual([
      ['x', 1],
      ['y', 1],
      ['(none)', 1],
    ]);
    const byKey = await ask('key', 'acme');
    expect(byKey.ok && byKey.rows.map((r) => [r.key, r.requests])).toEqual([
      ['sk-a', 1],
      ['(none)', 1],
    ]);
    const byProvider = await ask('provider', 'beta');
    expect(byProvider.ok && byProvider.rows.map((r) => [r.key, r.requests])).toEqual([
      ['anthropic', 1],
      ['openai', 1],
    ]);
    const byDeployment = await ask('deployment');
    expect(byDeployment.ok && byDeployment.rows.map((r) => r.key)).toEqual(['m/0', 'n/0']);
  });

  it('counts each hour once whether read from hour or day buckets', async () => {
    const keyPrefix = `${uniquePrefix('buckets')}:`;
    const applier = createUsageApplier(redis, { keyPrefix });
    const hours = [0, 5, 23, 24, 30].map((h) => Date.UTC(2026, 0, 14, h, 10));
    await applier.apply(hours.map((time) => parse(usageEvent({ at: time }))));
    const requests = async (since: number, until: number) => {
      const reply = await readSpend(redis, keyPrefix, { by: 'model', since, until }, until);
      return reply.ok ? (reply.rows[0]?.requests ?? 0) : -1;
    };
    expect(await requests(Date.UTC(2026, 0, 14), Date.UTC(2026, 0, 16))).toBe(5);
    expect(await requests(Date.UTC(2026, 0, 14, 5), Date.UTC(2026, 0, 15, 1))).toBe(3);
    expect(await requests(Date.UTC(2026, 0, 14, 23, 30), Date.UTC(2026, 0, 15, 0, 5))).toBe(2);
    expect(await requests(Date.UTC(2026, 0, 14, 1), Date.UTC(2026, 0, 14, 5))).toBe(0);
  });

  it('leaves Redis as applying each event alone would, when a batch sums what events share', async () => {
    const alone = `${uniquePrefix('alone')}:`;
    const together = `${uniquePrefix('together')}:`;
    const events = Array.from({ length: 60 }, (_, n) =>
      parse(
        usageEvent({
          at: at + (n % 3) * 3_600_000,
          tenant: ['acme', 'beta'][n % 2] as string,
          model: ['m', 'n', 'o'][n % 3] as string,
          deployment: `m/${n % 4}`,
          provider: n % 5 === 0 ? 'anthropic' : 'openai',
          tags: n % 7 === 0 ? [] : [`t${n % 3}`, ...(n % 2 === 0 ? ['x'] : [])],
          ...(n % 4 === 0 ? {} : { key_id: `sk-${n % 3}` }),
          ...(n % 11 === 0
            ? { status: 'error' as const, error_type: 'rate_limit' as const, cost_usd: 0 }
            : {}),
          ...(n % 13 === 0 ? { cost_usd: null } : {}),
          prompt_tokens: 10 + n,
          completion_tokens: 3 * n,
          cached_tokens: n % 4,
        }),
      ),
    );
    const earlier = events[5] as UsageEvent;
    const batch = [...events, events[0] as UsageEvent, events[17] as UsageEvent];
    const applyAlone = createUsageApplier(redis, { keyPrefix: alone });
    const applyTogether = createUsageApplier(redis, { keyPrefix: together });
    await applyTogether.apply([earlier]);
    const outcomes = await applyTogether.apply(batch);
    expect(outcomes.filter((outcome) => outcome === 'duplicate')).toHaveLength(3);
    expect(outcomes[5]).toBe('duplicate');
    expect(outcomes.slice(-2)).toEqual(['duplicate', 'duplicate']);
    for (const event of events) await applyAlone.apply([event]);
    const state = await redisState(redis, together);
    expect(state).toEqual(await redisState(redis, alone));
    // Every marker, hash and index set expires (35 days for hours, 400 for days, 8 for ids).
    const withoutTtl = Object.entries(state).filter(([, entry]) => !entry.ttl);
    expect(withoutTtl).toEqual([]);
    // Each of the 60 events marked and counted once, whichever way it was applied.
    expect(Object.keys(state).filter((key) => key.startsWith('meter:seen:'))).toHaveLength(60);
    const byTenant = await readSpend(redis, together, { by: 'tenant', ...window }, at);
    expect(byTenant.ok && byTenant.rows.map((row) => [row.key, row.requests])).toEqual([
      ['acme', 30],
      ['beta', 30],
    ]);
  });

  it('keeps the costs of a batch exact past 2^53 pico-dollars', async () => {
    const keyPrefix = `${uniquePrefix('large')}:`;
    const applier = createUsageApplier(redis, { keyPrefix });
    // 999,999,999,999,999 pico-dollars each: odd, so a sum of them past 2^53 (≈ 9.007e15) in
    // doubles would be rounded (to 19,999,999,999,999,988 for these twenty).
    const events = Array.from({ length: 20 }, () =>
      parse(usageEvent({ at, cost_usd: 999.999999999999 })),
    );
    await applier.apply(events);
    const reply = await readSpend(redis, keyPrefix, { by: 'model', ...window }, at);
    expect(reply).toMatchObject({
      ok: true,
      rows: [{ key: 'm', cost_picos: '19999999999999980' }],
    });
  });

  it('refuses an empty window', async () => {
    const reply = await readSpend(redis, 'x:', { by: 'model', since: at, until: at - 1 }, at);
    expect(reply).toMatchObject({
      ok: false,
      error: { type: 'bad_request', code: 'invalid_spend_query' },
    });
  });
});

/** Every aggregate hash, index set and id marker under `keyPrefix`, without the prefix. */
async function redisState(
  redis: Redis,
  keyPrefix: string,
): Promise<Record<string, { ttl: boolean; [field: string]: unknown }>> {
  const state: Record<string, { ttl: boolean; [field: string]: unknown }> = {};
  for (const key of (await redis.keys(`${keyPrefix}*`)).sort()) {
    const type = await redis.type(key);
    const ttl = await redis.ttl(key);
    const name = key.slice(keyPrefix.length);
    if (type === 'hash') state[name] = { ...(await redis.hgetall(key)), ttl: ttl > 0 };
    else if (type === 'set')
      state[name] = { members: (await redis.smembers(key)).sort(), ttl: ttl > 0 };
    else state[name] = { value: await redis.get(key), ttl: ttl > 0 };
  }
  return state;
}
