import { uniquePrefix } from '@switchyard/testing';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireLease } from './redis-lease';
import { startRedisHarness, type RedisHarness } from './redis-connections.test-support';

let harness: RedisHarness;
let redis: Redis;

beforeAll(async () => {
  harness = await startRedisHarness();
  redis = harness.connect();
});
afterAll(() => harness?.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('acquireLease against a real redis-server', () => {
  it('gives a key to one holder, keeps it past its TTL while held, and frees it on release', async () => {
    const key = `${uniquePrefix('lease')}:lock`;
    const lease = await acquireLease(redis, key, 200);
    expect(lease).toBeDefined();
    expect(await acquireLease(harness.connect(), key, 200)).toBeUndefined();
    await sleep(700); // more than three TTLs: only the renewals keep it
    expect(await redis.get(key)).toBe(lease?.token);
    expect(lease?.lost.aborted).toBe(false);
    await lease?.release();
    expect(await redis.exists(key)).toBe(0);
    const next = await acquireLease(redis, key, 200);
    expect(next).toBeDefined();
    await next?.release();
  });

  it('says the lease is lost when someone else holds the key, and never deletes theirs', async () => {
    const key = `${uniquePrefix('lease-lost')}:lock`;
    const lease = await acquireLease(redis, key, 150);
    await redis.set(key, 'someone-else', 'PX', 10_000);
    await sleep(200);
    expect(lease?.lost.aborted).toBe(true);
    await lease?.release();
    expect(await redis.get(key)).toBe('someone-else');
  });
});
