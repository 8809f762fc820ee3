import type { Redis } from 'ioredis';
import { uniquePrefix } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateWindowKey } from './limit-keys';
import { createRateLimiter, rateSlotMs, rateWindowMs } from './rate-limiter';
import type { RateLimitedDeployment, RateLimiter, Reservation } from './rate-limiter.types';
import { startRedisHarness, type RedisHarness } from './redis-connections.test-support';

/** A fake clock well away from slot boundaries, so off-by-one slot errors show. */
const t0 = 1_800_000_000_400;

let harness: RedisHarness;
let redis: Redis;

beforeAll(async () => {
  harness = await startRedisHarness();
  redis = harness.connect();
});
afterAll(() => harness?.close());

function setup(label: string, limits: Omit<RateLimitedDeployment, 'id'>) {
  const keyPrefix = `${uniquePrefix(label)}:`;
  const deployment = { id: `model-${label}/0`, ...limits };
  return { keyPrefix, deployment, limiter: createRateLimiter(redis, { keyPrefix }) };
}

async function mustReserve(
  limiter: RateLimiter,
  deployment: RateLimitedDeployment,
  tokens: number,
  now?: number,
): Promise<Reservation> {
  const result = await limiter.reserve(deployment, tokens, now);
  if (!result.ok)
    throw new Error(`expected a reservation at ${now}, got ${JSON.stringify(result)}`);
  return result.reservation;
}

/** The largest number of times that fall within any window of `windowMs` starting at one of them. */
function busiestWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let busiest = 0;
  let end = 0;
  sorted.forEach((start, index) => {
    while ((sorted[end] ?? Infinity) < start + windowMs) end++;
    busiest = Math.max(busiest, end - index);
  });
  return busiest;
}

describe('createRateLimiter against a real redis-server', () => {
  it('lets no more than rpm reservations through in any 60 s window, across 4 replicas', async () => {
    const keyPrefix = `${uniquePrefix('rpm-replicas')}:`;
    const deployment = { id: 'hammered/0', rpm: 60 };
    const replicas = Array.from({ length: 4 }, () =>
      createRateLimiter(harness.connect(), { keyPrefix }),
    );
    const granted: number[] = [];
    // Ticks of 250 ms starting late in a slot land both sides of every slot boundary.
    const start = t0 + 500;
    for (let now = start; now < start + 190_000; now += 250) {
      const attempts = replicas.flatMap((limiter) =>
        Array.from({ length: 3 }, () => limiter.reserve(deployment, 10, now)),
      );
      for (const result of await Promise.all(attempts)) {
        if (result.ok) granted.push(result.reservation.reservedAt);
      }
    }
    expect(busiestWindow(granted, rateWindowMs)).toBe(60);
    // Three full bursts (at ~0 s, ~61 s, ~122 s, ~183 s): the limit is used, not just respected.
    expect(granted.length).toBe(240);
  });

  it('says how long to wait, and the window slides exactly then', async () => {
    const { deployment, limiter } = setup('slide', { rpm: 3 });
    await mustReserve(limiter, deployment, 1, t0);
    await mustReserve(limiter, deployment, 1, t0 + 10_000);
    await mustReserve(limiter, deployment, 1, t0 + 20_000);
    const refused = await limiter.reserve(deployment, 1, t0 + 30_000);
    expect(refused).toMatchObject({ ok: false, reason: 'rpm' });
    const waitMs = refused.ok ? 0 : refused.waitMs;
    // The first reservation's slot leaves the window 61 slots after it started.
    const slotStart = Math.floor(t0 / rateSlotMs) * rateSlotMs;
    expect(t0 + 30_000 + waitMs).toBe(slotStart + rateWindowMs + rateSlotMs);
    expect((await limiter.reserve(deployment, 1, t0 + 30_000 + waitMs - 1)).ok).toBe(false);
    expect((await limiter.reserve(deployment, 1, t0 + 30_000 + waitMs)).ok).toBe(true);
    expect((await limiter.reserve(deployment, 1, t0 + 30_000 + waitMs)).ok).toBe(false);
  });

  it('holds the estimated tokens against tpm and reconciles them down', async () => {
    const { deployment, limiter } = setup('tpm-down', { tpm: 1_000 });
    const first = await mustReserve(limiter, deployment, 600, t0);
    const refused = await limiter.reserve(deployment, 600, t0 + 1_000);
    expect(refused).toMatchObject({ ok: false, reason: 'tpm' });
    await limiter.reconcile(first, 150);
    await mustReserve(limiter, deployment, 600, t0 + 2_000);
    await mustReserve(limiter, deployment, 250, t0 + 3_000);
    expect((await limiter.reserve(deployment, 1, t0 + 4_000)).ok).toBe(false);
  });

  it('reconciles up when the call used more tokens than estimated', async () => {
    const { deployment, limiter } = setup('tpm-up', { tpm: 1_000 });
    const first = await mustReserve(limiter, deployment, 100, t0);
    await mustReserve(limiter, deployment, 100, t0 + 1_000);
    await limiter.reconcile(first, 850);
    const refused = await limiter.reserve(deployment, 100, t0 + 2_000);
    expect(refused).toMatchObject({ ok: false, reason: 'tpm' });
    // The reconciled tokens leave with the first reservation's slot.
    const waitMs = refused.ok ? 0 : refused.waitMs;
    expect(t0 + 2_000 + waitMs).toBe(Math.floor(t0 / rateSlotMs) * rateSlotMs + 61_000);
  });

  it('gives back the request and its tokens on release', async () => {
    const { deployment, limiter } = setup('release', { rpm: 1, tpm: 500 });
    const first = await mustReserve(limiter, deployment, 400, t0);
    expect((await limiter.reserve(deployment, 10, t0 + 1_000)).ok).toBe(false);
    await limiter.release(first);
    await mustReserve(limiter, deployment, 500, t0 + 2_000);
  });

  it('reports the limit that frees up last when both are full', async () => {
    const { deployment, limiter } = setup('both', { rpm: 2, tpm: 1_000 });
    await mustReserve(limiter, deployment, 900, t0);
    await mustReserve(limiter, deployment, 10, t0 + 20_000);
    const refused = await limiter.reserve(deployment, 200, t0 + 30_000);
    expect(refused).toMatchObject({ ok: false, reason: 'rpm' });
  });

  it('admits a request larger than tpm only into an empty window', async () => {
    const { deployment, limiter } = setup('huge', { tpm: 1_000 });
    await mustReserve(limiter, deployment, 5_000, t0);
    expect(await limiter.reserve(deployment, 5_000, t0 + 1_000)).toMatchObject({ ok: false });
    await mustReserve(limiter, deployment, 5_000, t0 + 62_000);
  });

  it('writes nothing for a deployment without limits', async () => {
    const { keyPrefix, deployment, limiter } = setup('unlimited', {});
    const reservation = await mustReserve(limiter, deployment, 10_000, t0);
    await limiter.reconcile(reservation, 20_000);
    await limiter.release(reservation);
    expect(await harness.keys(keyPrefix)).toEqual([]);
  });

  it('keeps one key per deployment, with a TTL, holding only the live window', async () => {
    const { keyPrefix, deployment, limiter } = setup('ttl', { rpm: 1_000, tpm: 1_000_000 });
    for (let now = t0; now < t0 + 180_000; now += 700) {
      await mustReserve(limiter, deployment, 5, now);
    }
    const key = rateWindowKey(keyPrefix, deployment.id);
    expect(await harness.keys(keyPrefix)).toEqual([key]);
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(rateWindowMs + 2 * rateSlotMs);
    // 61 counted slots at most, each with a request and a token field.
    expect(await redis.hlen(key)).toBeLessThanOrEqual(2 * 61);
  });

  it('does not recreate a window that expired before reconcile', async () => {
    const { keyPrefix, deployment, limiter } = setup('late', { rpm: 10 });
    const reservation = await mustReserve(limiter, deployment, 100, t0);
    await redis.del(rateWindowKey(keyPrefix, deployment.id));
    await limiter.reconcile(reservation, 300);
    await limiter.release(reservation);
    expect(await harness.keys(keyPrefix)).toEqual([]);
  });

  it('loads its script again after the server forgot it (EVALSHA falls back to EVAL)', async () => {
    const { deployment, limiter } = setup('noscript', { rpm: 1 });
    await redis.script('FLUSH');
    await mustReserve(limiter, deployment, 1, t0);
    await redis.script('FLUSH');
    expect(await limiter.reserve(deployment, 1, t0 + 1)).toMatchObject({
      ok: false,
      reason: 'rpm',
    });
  });

  it("uses the Redis server's clock when no time is passed", async () => {
    const { deployment, limiter } = setup('server-clock', { rpm: 1 });
    const [seconds] = await redis.time();
    const reservation = await mustReserve(limiter, deployment, 1);
    expect(Math.abs(reservation.reservedAt - Number(seconds) * 1000)).toBeLessThan(5_000);
    const refused = await limiter.reserve(deployment, 1);
    expect(refused).toMatchObject({ ok: false, reason: 'rpm' });
    if (!refused.ok) expect(refused.waitMs).toBeLessThanOrEqual(rateWindowMs + rateSlotMs);
  });

  it('rejects negative or non-finite token counts', async () => {
    const { deployment, limiter } = setup('invalid', { rpm: 1 });
    await expect(limiter.reserve(deployment, -1, t0)).rejects.toThrow(RangeError);
    const reservation = await mustReserve(limiter, deployment, 1, t0);
    await expect(limiter.reconcile(reservation, Number.NaN)).rejects.toThrow(RangeError);
  });
});
