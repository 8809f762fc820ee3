import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { uniquePrefix } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCooldownTracker, type CooldownOptions } from './cooldown-tracker';
import { cooldownKey, failuresKey } from './limit-keys';
import { startRedisHarness, type RedisHarness } from './redis-connections.test-support';

let harness: RedisHarness;
let replicaA: Redis;
let replicaB: Redis;

beforeAll(async () => {
  harness = await startRedisHarness();
  replicaA = harness.connect();
  replicaB = harness.connect();
});
afterAll(() => harness?.close());

function setup(label: string, options: Omit<CooldownOptions, 'keyPrefix'>) {
  const keyPrefix = `${uniquePrefix(label)}:`;
  return {
    keyPrefix,
    a: createCooldownTracker(replicaA, { keyPrefix, ...options }),
    b: createCooldownTracker(replicaB, { keyPrefix, ...options }),
  };
}

async function serverNow(): Promise<number> {
  const [seconds, micros] = await replicaA.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

describe('createCooldownTracker against a real redis-server', () => {
  it('cools a deployment down after more than allowedFails failures, seen by every replica', async () => {
    const { a, b } = setup('two-replicas', { allowedFails: 2, cooldownMs: 5_000 });
    expect(await a.recordFailure('d/0', 'rate_limit')).toEqual({});
    expect(await b.recordFailure('d/0', 'server')).toEqual({});
    expect(await a.coolingDownUntil('d/0')).toBeUndefined();
    const before = await serverNow();
    const { coolingDownUntil } = await b.recordFailure('d/0', 'timeout');
    expect(coolingDownUntil).toBeGreaterThanOrEqual(before + 5_000);
    expect(coolingDownUntil).toBeLessThan(before + 6_000);
    expect(await a.coolingDownUntil('d/0')).toBe(coolingDownUntil);
    expect(await b.coolingDownUntil('d/0')).toBe(coolingDownUntil);
    // Failures during the cooldown report it and do not extend it.
    expect(await a.recordFailure('d/0', 'overloaded')).toEqual({ coolingDownUntil });
    expect(await a.coolingDownUntil('d/1')).toBeUndefined();
  });

  it('counts concurrent failures from two replicas exactly once each', async () => {
    const { a, b } = setup('concurrent', { allowedFails: 5, cooldownMs: 5_000 });
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).recordFailure('d/0', 'connection')),
    );
    const uncooled = replies.filter((reply) => reply.coolingDownUntil === undefined);
    expect(uncooled).toHaveLength(5);
    const ends = new Set(replies.map((reply) => reply.coolingDownUntil).filter(Boolean));
    expect(ends.size).toBe(1);
  });

  it('never counts failures caused by the request', async () => {
    const { keyPrefix, a } = setup('not-counted', { allowedFails: 0, cooldownMs: 5_000 });
    for (const type of [
      'bad_request',
      'context_window_exceeded',
      'content_policy',
      'invalid_job',
      'deadline_exceeded',
      'budget_exceeded',
    ] as const) {
      expect(await a.recordFailure('d/0', type)).toEqual({});
    }
    expect(await harness.keys(keyPrefix)).toEqual([]);
    expect(await a.recordFailure('d/0', 'auth')).toHaveProperty('coolingDownUntil');
    expect(await a.recordFailure('d/0', 'bad_request')).toHaveProperty('coolingDownUntil');
  });

  it('forgets the failures before a success', async () => {
    const { a, b } = setup('success', { allowedFails: 1, cooldownMs: 5_000 });
    await a.recordFailure('d/0', 'server');
    await b.recordSuccess('d/0');
    expect(await a.recordFailure('d/0', 'server')).toEqual({});
    expect(await b.recordFailure('d/0', 'server')).toHaveProperty('coolingDownUntil');
    await a.recordSuccess('d/0');
    expect(await b.coolingDownUntil('d/0')).toBeDefined();
  });

  it('ends the cooldown after cooldownMs, with a fresh allowance', async () => {
    const { a, b } = setup('expiry', { allowedFails: 1, cooldownMs: 300 });
    await a.recordFailure('d/0', 'overloaded');
    expect(await b.recordFailure('d/0', 'overloaded')).toHaveProperty('coolingDownUntil');
    await sleep(400);
    expect(await a.coolingDownUntil('d/0')).toBeUndefined();
    expect(await b.recordFailure('d/0', 'overloaded')).toEqual({});
    expect(await a.recordFailure('d/0', 'overloaded')).toHaveProperty('coolingDownUntil');
  });

  it('counts only the failures within the sliding window', async () => {
    const { a } = setup('window', { allowedFails: 1, cooldownMs: 5_000, windowMs: 300 });
    await a.recordFailure('d/0', 'timeout');
    await sleep(400);
    expect(await a.recordFailure('d/0', 'timeout')).toEqual({});
    expect(await a.recordFailure('d/0', 'timeout')).toHaveProperty('coolingDownUntil');
  });

  it('gives every key it writes a TTL', async () => {
    const { keyPrefix, a } = setup('ttl', { allowedFails: 3, cooldownMs: 2_000, windowMs: 10_000 });
    await a.recordFailure('d/0', 'server');
    const fails = failuresKey(keyPrefix, 'd/0');
    expect(await harness.keys(keyPrefix)).toEqual([fails]);
    expect(await replicaA.pttl(fails)).toBeGreaterThan(0);
    expect(await replicaA.pttl(fails)).toBeLessThanOrEqual(10_000);
    for (let i = 0; i < 3; i++) await a.recordFailure('d/0', 'server');
    const cooldown = cooldownKey(keyPrefix, 'd/0');
    expect(await harness.keys(keyPrefix)).toEqual([cooldown]);
    expect(await replicaA.pttl(cooldown)).toBeGreaterThan(0);
    expect(await replicaA.pttl(cooldown)).toBeLessThanOrEqual(2_000);
  });

  it('never cools down when cooldownMs is 0', async () => {
    const { keyPrefix, a } = setup('disabled', { allowedFails: 0, cooldownMs: 0 });
    expect(await a.recordFailure('d/0', 'rate_limit')).toEqual({});
    expect(await harness.keys(keyPrefix)).toEqual([]);
  });
});
