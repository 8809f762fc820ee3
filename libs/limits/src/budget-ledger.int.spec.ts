import { Redis } from 'ioredis';
import { uniquePrefix } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBudgetLedger } from './budget-ledger';
import type {
  BudgetLedger,
  BudgetLedgerOptions,
  BudgetReservation,
  BudgetScope,
} from './budget-ledger.types';
import { budgetCountedKey, budgetHoldsKey, budgetKey } from './limit-keys';
import { startRedisHarness, type RedisHarness } from './redis-connections.test-support';

const hour = 3_600_000;
/** A fake clock in the middle of an hour-long period. */
const t0 = 1_800_000_000_000 + 1_234_567;

let harness: RedisHarness;
let redis: Redis;

beforeAll(async () => {
  harness = await startRedisHarness();
  redis = harness.connect();
});
afterAll(() => harness?.close());

function setup(label: string, options: Omit<BudgetLedgerOptions, 'keyPrefix'> = {}) {
  const keyPrefix = `${uniquePrefix(label)}:`;
  return { keyPrefix, ledger: createBudgetLedger(redis, { keyPrefix, ...options }) };
}

async function mustReserve(
  ledger: BudgetLedger,
  scopes: readonly BudgetScope[],
  micros: number,
  now?: number,
): Promise<BudgetReservation> {
  const result = await ledger.reserve(scopes, micros, now);
  if (!result.ok) throw new Error(`expected a reservation, got ${JSON.stringify(result)}`);
  return result.reservation;
}

const stored = async (keyPrefix: string, tenant: string, keyId?: string) =>
  redis.hgetall(budgetKey(keyPrefix, tenant, keyId));

describe('budget ledger', () => {
  it('lets 50 concurrent reservations from 5 connections overrun a nearly spent budget by nothing', async () => {
    const { keyPrefix, ledger } = setup('budget-race');
    const tenant: BudgetScope = { tenant: 'acme', maxBudget: 0.01, budgetDurationMs: hour };
    // 9 000 µ$ of 10 000 spent: room for 6 reservations of 150 µ$ (6 × 150 = 900 ≤ 1 000).
    await ledger.reconcile(await mustReserve(ledger, [tenant], 9_000, t0), 9_000, { now: t0 });
    const ledgers = Array.from({ length: 5 }, () =>
      createBudgetLedger(harness.connect(), { keyPrefix }),
    );
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        (ledgers[i % 5] as BudgetLedger).reserve([tenant], 150, t0),
      ),
    );
    const granted = results.flatMap((r) => (r.ok ? [r.reservation] : []));
    expect(granted).toHaveLength(6);
    const refused = results.filter((r) => !r.ok);
    expect(refused[0]).toMatchObject({
      refusal: { scope: tenant, spentMicros: 9_000, maxMicros: 10_000, estimateMicros: 150 },
    });
    // Each call really costs 10 % more than estimated: the overrun stays within one reservation.
    await Promise.all(granted.map((r) => ledger.reconcile(r, 165, { now: t0 })));
    const after = await stored(keyPrefix, 'acme');
    expect(Number(after.spent)).toBe(9_000 + 6 * 165);
    expect(Number(after.spent)).toBeLessThanOrEqual(10_000 + 150);
    expect(Number(after.reserved)).toBe(0);
  });

  it('reserves on the tenant and the key at once, or on neither', async () => {
    const { keyPrefix, ledger } = setup('budget-scopes');
    const tenant: BudgetScope = { tenant: 'acme', maxBudget: 1 };
    const key: BudgetScope = { tenant: 'acme', keyId: 'key_abc', maxBudget: 0.0005 };
    await mustReserve(ledger, [tenant, key], 400);
    const refused = await ledger.reserve([tenant, key], 200);
    expect(refused).toMatchObject({
      ok: false,
      refusal: { scope: key, spentMicros: 0, reservedMicros: 400, maxMicros: 500 },
    });
    expect(Number((await stored(keyPrefix, 'acme')).reserved)).toBe(400);
    expect(Number((await stored(keyPrefix, 'acme', 'key_abc')).reserved)).toBe(400);
  });

  it('reconciles to the real cost up or down, and releases', async () => {
    const { keyPrefix, ledger } = setup('budget-settle');
    const tenant: BudgetScope = { tenant: 't1', maxBudget: 1, budgetDurationMs: hour };
    const a = await mustReserve(ledger, [tenant], 1_000, t0);
    const b = await mustReserve(ledger, [tenant], 1_000, t0);
    const c = await mustReserve(ledger, [tenant], 1_000, t0);
    await ledger.reconcile(a, 400, { now: t0 });
    await ledger.reconcile(b, 2_500, { now: t0 });
    await ledger.release(c, t0);
    expect(await stored(keyPrefix, 't1')).toMatchObject({ spent: '2900', reserved: '0' });
  });

  it('refuses once the budget is full, even a job with no estimate (unknown price)', async () => {
    const { ledger } = setup('budget-full');
    const tenant: BudgetScope = { tenant: 't1', maxBudget: 0.001 };
    await ledger.reconcile(await mustReserve(ledger, [tenant], 0), 1_000);
    expect((await ledger.reserve([tenant], 0)).ok).toBe(false);
    expect((await ledger.reserve([tenant], 1)).ok).toBe(false);
  });

  it('starts a new period with nothing spent; a call from the old period is charged to the new', async () => {
    // Reservations live longer than the period here, so the late one is still held.
    const { keyPrefix, ledger } = setup('budget-rollover', { reservationTtlMs: 2 * hour });
    const tenant: BudgetScope = { tenant: 't1', maxBudget: 0.001, budgetDurationMs: hour };
    const late = await mustReserve(ledger, [tenant], 500, t0);
    await ledger.reconcile(await mustReserve(ledger, [tenant], 500, t0), 500, { now: t0 });
    expect((await ledger.reserve([tenant], 500, t0)).ok).toBe(false);
    const next = Math.floor(t0 / hour + 1) * hour;
    expect((await ledger.reserve([tenant], 500, next - 1)).ok).toBe(false);
    await mustReserve(ledger, [tenant], 500, next);
    await ledger.reconcile(late, 300, { now: next + 10 });
    const after = await stored(keyPrefix, 't1');
    expect(after).toMatchObject({ p: String(next / hour), spent: '300', reserved: '500' });
    const ttl = await redis.pttl(budgetKey(keyPrefix, 't1'));
    expect(ttl).toBeGreaterThan(0);
  });

  it('never expires a budget without a duration', async () => {
    const { keyPrefix, ledger } = setup('budget-forever');
    await mustReserve(ledger, [{ tenant: 't1', maxBudget: 5 }], 10);
    expect(await redis.pttl(budgetKey(keyPrefix, 't1'))).toBe(-1);
  });

  it('reports 80 % and 100 % once per period', async () => {
    const { ledger } = setup('budget-events');
    const tenant: BudgetScope = { tenant: 't1', maxBudget: 0.001, budgetDurationMs: hour };
    const spend = async (micros: number, now = t0) =>
      ledger.reconcile(await mustReserve(ledger, [tenant], 0, now), micros, { now });
    expect(await spend(700)).toEqual([]);
    const periodStart = Math.floor(t0 / hour) * hour;
    expect(await spend(100)).toEqual([
      {
        scope: tenant,
        threshold: 80,
        spentMicros: 800,
        maxMicros: 1_000,
        periodStart,
        periodEnd: periodStart + hour,
      },
    ]);
    expect(await spend(50)).toEqual([]);
    expect((await spend(150)).map((c) => c.threshold)).toEqual([100]);
    const refused = await ledger.reserve([tenant], 10, t0);
    expect(refused.ok || refused.crossings).toEqual([]);
    expect((await spend(900, periodStart + hour)).map((c) => c.threshold)).toEqual([80]);
  });

  it('reports 100 % at the first refusal of a job that would fit an empty budget', async () => {
    const { ledger } = setup('budget-refusal-event');
    const tenant: BudgetScope = { tenant: 't1', maxBudget: 0.001 };
    await mustReserve(ledger, [tenant], 900);
    const huge = await ledger.reserve([tenant], 5_000);
    expect(huge.ok || huge.crossings).toEqual([]);
    const first = await ledger.reserve([tenant], 200);
    expect(first.ok || first.crossings.map((c) => c.threshold)).toEqual([100]);
    const second = await ledger.reserve([tenant], 200);
    expect(second.ok || second.crossings).toEqual([]);
  });

  it('rejects amounts that are not whole micro-dollars, and needs no Redis for no scopes', async () => {
    const { ledger } = setup('budget-bad');
    await expect(ledger.reserve([{ tenant: 't', maxBudget: 1 }], 1.5)).rejects.toThrow(RangeError);
    await expect(ledger.reserve([{ tenant: 't', maxBudget: 1 }], -1)).rejects.toThrow(RangeError);
    const none = await ledger.reserve([], 10);
    expect(none).toEqual({
      ok: true,
      reservation: { scopes: [], micros: 0, id: '', expiresAt: 0 },
    });
    expect(await ledger.reconcile(none.ok ? none.reservation : (undefined as never), 5)).toEqual(
      [],
    );
  });

  it('stops counting a reservation nobody settles once its TTL has passed', async () => {
    const { keyPrefix, ledger } = setup('budget-ttl', { reservationTtlMs: 1_000 });
    const tenant: BudgetScope = { tenant: 't1', maxBudget: 0.001, budgetDurationMs: hour };
    const key: BudgetScope = { tenant: 't1', keyId: 'key_k', maxBudget: 0.001 };
    // The worker holding this reservation dies: it is never settled.
    const orphan = await mustReserve(ledger, [tenant, key], 900, t0);
    expect(orphan.expiresAt).toBe(t0 + 1_000);
    expect((await ledger.reserve([tenant, key], 200, t0 + 999)).ok).toBe(false);
    const after = await mustReserve(ledger, [tenant, key], 200, t0 + 1_000);
    expect(await stored(keyPrefix, 't1')).toMatchObject({ spent: '0', reserved: '200' });
    expect(await stored(keyPrefix, 't1', 'key_k')).toMatchObject({ spent: '0', reserved: '200' });
    // A settlement arriving after the expiry does not take the estimate back a second time.
    await ledger.reconcile(orphan, 300, { now: t0 + 1_500 });
    await ledger.release(after, t0 + 1_500);
    expect(await stored(keyPrefix, 't1')).toMatchObject({ spent: '300', reserved: '0' });
    expect(await stored(keyPrefix, 't1', 'key_k')).toMatchObject({ spent: '300', reserved: '0' });
  });

  it("frees a killed worker's reservation on the server's own clock, with nothing left behind", async () => {
    const keyPrefix = `${uniquePrefix('budget-kill')}:`;
    const reservationTtlMs = 300;
    const tenant: BudgetScope = { tenant: 'acme', maxBudget: 0.001 };
    const worker = new Redis(harness.server.url);
    const dying = createBudgetLedger(worker, { keyPrefix, reservationTtlMs });
    const ledger = createBudgetLedger(redis, { keyPrefix, reservationTtlMs });
    await mustReserve(dying, [tenant], 800);
    worker.disconnect(); // killed: it never settles
    expect((await ledger.reserve([tenant], 500)).ok).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, reservationTtlMs + 100));
    expect(await redis.exists(budgetHoldsKey(keyPrefix, 'acme'))).toBe(0);
    const again = await mustReserve(ledger, [tenant], 500);
    expect(await stored(keyPrefix, 'acme')).toMatchObject({ spent: '0', reserved: '500' });
    await ledger.reconcile(again, 450);
    expect(await stored(keyPrefix, 'acme')).toMatchObject({ spent: '450', reserved: '0' });
  });

  it("counts a usage event's cost once, whether the worker or a replay records it first", async () => {
    const { keyPrefix, ledger } = setup('budget-counted');
    const tenant: BudgetScope = { tenant: 't1', maxBudget: 1, budgetDurationMs: hour };
    const key: BudgetScope = { tenant: 't1', keyId: 'key_k', maxBudget: 1 };
    const scopes = [tenant, key];
    const held = await mustReserve(ledger, scopes, 1_000, t0);
    await ledger.reconcile(held, 400, { now: t0, usageEventId: 'job-1:0:1:d' });
    const replayed = [
      { usageEventId: 'job-1:0:1:d', micros: 400, at: t0 - 5 },
      { usageEventId: 'job-2:0:1:d', micros: 250, at: t0 - 10 },
      { usageEventId: 'job-2:0:1:d', micros: 250, at: t0 - 10 },
      { usageEventId: 'job-0:0:1:d', micros: 700, at: t0 - hour },
    ];
    for (const spend of replayed) await ledger.recordSpend(scopes, spend, t0);
    expect(await stored(keyPrefix, 't1')).toMatchObject({ spent: '650', reserved: '0' });
    // The key's budget never resets, so the older event counts there (once).
    expect(await stored(keyPrefix, 't1', 'key_k')).toMatchObject({ spent: '1350' });
    const marker = budgetCountedKey(keyPrefix, 't1', 'job-2:0:1:d');
    expect(await redis.exists(marker)).toBe(1);
    expect(await redis.pttl(marker)).toBeGreaterThan(0);
    await ledger.reconcile(await mustReserve(ledger, scopes, 100, t0), 100, {
      now: t0,
      usageEventId: 'job-2:0:1:d',
    });
    expect(await stored(keyPrefix, 't1')).toMatchObject({ spent: '650', reserved: '0' });
  });
});
