import { Redis } from 'ioredis';
import { startTestRedis, uniquePrefix, type TestServer } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyInputError } from './key-input.error';
import { VirtualKeyStore } from './virtual-key-store';

let server: TestServer;
let redis: Redis;
let other: Redis;

beforeAll(async () => {
  server = await startTestRedis();
  redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
  other = new Redis(server.url, { maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  await Promise.all([redis?.quit(), other?.quit()]);
  await server?.stop();
});

function newStore(label: string) {
  const keyPrefix = `${uniquePrefix(label)}:`;
  return { keyPrefix, store: new VirtualKeyStore(redis, keyPrefix) };
}

/** Every string stored under `prefix`, as one text (keys, hash fields and values). */
async function everythingStored(prefix: string): Promise<string> {
  const keys = await redis.keys(`${prefix}*`);
  const parts: string[] = [...keys];
  for (const key of keys) {
    if ((await redis.type(key)) === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
  }
  return parts.join('\n');
}

describe('VirtualKeyStore against a real redis-server', () => {
  it('creates a key, verifies its secret, and never stores the secret', async () => {
    const { keyPrefix, store } = newStore('create');
    const { key, secret } = await store.create({
      tenant: 'acme',
      alias: 'search',
      models: ['fast'],
      rpm: 5,
      maxBudget: 10,
      budgetDurationMs: 86_400_000,
    });
    expect(secret).toMatch(/^sk-sy-[A-Za-z0-9_-]{43}$/);
    expect(key).toMatchObject({ alias: 'search', tenant: 'acme', models: ['fast'], rpm: 5 });
    expect(key.hint).toBe(`${secret.slice(0, 8)}…${secret.slice(-4)}`);
    expect(await store.verify(secret)).toEqual(key);
    expect(await store.get(key.id)).toEqual(key);
    expect(await new VirtualKeyStore(other, keyPrefix).verify(secret)).toEqual(key);

    const stored = await everythingStored(keyPrefix);
    expect(stored).toContain(key.id);
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(secret.slice(6));
    expect(
      (await redis.keys(`${keyPrefix}*`)).every((k) => k.startsWith(`${keyPrefix}keys:`)),
    ).toBe(true);
  });

  it('verifies nothing for unknown, malformed or other stores’ secrets', async () => {
    const { store } = newStore('verify');
    const { secret } = await store.create({});
    expect(await store.verify(`sk-sy-${'A'.repeat(43)}`)).toBeUndefined();
    expect(await store.verify('garbage')).toBeUndefined();
    expect(await store.verify('')).toBeUndefined();
    expect(await store.verify(`${secret}x`)).toBeUndefined();
    expect(await newStore('verify-other').store.verify(secret)).toBeUndefined();
  });

  it('revokes by id or alias, idempotently, and a revoked key no longer verifies', async () => {
    const { store } = newStore('revoke');
    const a = await store.create({ alias: 'first' });
    const b = await store.create({});
    const revoked = await store.revoke('first');
    expect(revoked).toMatchObject({ id: a.key.id });
    expect(revoked?.revokedAt).toBeGreaterThan(0);
    expect(await store.verify(a.secret)).toBeUndefined();
    expect(await store.revoke(a.key.id)).toEqual(revoked);
    expect(await store.revoke('first')).toEqual(revoked);
    expect(await store.revoke('nope')).toBeUndefined();
    expect(await store.revoke('')).toBeUndefined();
    expect((await store.revoke(b.key.id))?.id).toBe(b.key.id);
    expect(await store.get(a.key.id)).toEqual(revoked);
    expect(await store.get('key_unknown')).toBeUndefined();
    expect(await store.verify(b.secret)).toBeUndefined();
  });

  it('lists live keys oldest first, per tenant, and revoked ones on request', async () => {
    const { store } = newStore('list');
    // A millisecond apart, so createdAt orders them (keys created in one ms sort by id).
    const pause = () => new Promise((resolve) => setTimeout(resolve, 2));
    const a = await store.create({ tenant: 't1' });
    await pause();
    const b = await store.create({ tenant: 't2' });
    await pause();
    const c = await store.create({ tenant: 't1' });
    await store.revoke(c.key.id);
    expect((await store.list()).map((k) => k.id)).toEqual([a.key.id, b.key.id]);
    expect((await store.list({ tenant: 't1' })).map((k) => k.id)).toEqual([a.key.id]);
    const all = await store.list({ tenant: 't1', includeRevoked: true });
    expect(all.map((k) => k.id)).toEqual([a.key.id, c.key.id]);
    expect(all[1]?.revokedAt).toBeGreaterThan(0);
    expect(await newStore('list-empty').store.list()).toEqual([]);
  });

  it('gives an alias to exactly one of many concurrent creates, and frees it on revoke', async () => {
    const { keyPrefix, store } = newStore('alias');
    const stores = [store, new VirtualKeyStore(other, keyPrefix)];
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => (stores[i % 2] ?? store).create({ alias: 'shared' })),
    );
    const created = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(created).toHaveLength(1);
    expect(refused).toHaveLength(19);
    for (const r of refused) {
      expect(r.reason).toBeInstanceOf(KeyInputError);
      expect((r.reason as Error).message).toBe('alias "shared" is taken by a live key');
    }
    await store.revoke('shared');
    const again = await store.create({ alias: 'shared' });
    expect((await store.revoke('shared'))?.id).toBe(again.key.id);
  });

  it('refuses invalid input before touching Redis', async () => {
    const { keyPrefix, store } = newStore('invalid');
    await expect(store.create({ tenant: 'a b' })).rejects.toBeInstanceOf(KeyInputError);
    await expect(store.create({ rpm: -3 })).rejects.toThrow(/rpm must be a whole number/);
    expect(await redis.keys(`${keyPrefix}*`)).toEqual([]);
  });

  it('treats a corrupted record as no key', async () => {
    const { keyPrefix, store } = newStore('corrupt');
    const { key, secret } = await store.create({});
    await redis.hset(`${keyPrefix}keys:{registry}:records`, key.id, '{not json');
    expect(await store.verify(secret)).toBeUndefined();
    expect(await store.list()).toEqual([]);
  });

  it('allows rpm requests per fixed 60 s window, atomically across connections', async () => {
    const { keyPrefix, store } = newStore('rpm');
    const { key } = await store.create({ rpm: 10 });
    const stores = [store, new VirtualKeyStore(other, keyPrefix)];
    const t0 = 1_800_000_000_000 + 15_000;
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (stores[i % 2] ?? store).takeRequest(key, t0 + i)),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    const refused = results.find((r) => !r.allowed);
    expect(refused).toMatchObject({ allowed: false });
    const retry = (refused as { retryAfterMs: number }).retryAfterMs;
    expect(retry).toBeGreaterThan(44_900);
    expect(retry).toBeLessThanOrEqual(45_000);
    expect(await store.takeRequest(key, t0 + 45_000)).toEqual({ allowed: true });
    const ttl = await redis.pttl(`${keyPrefix}keys:{${key.id}}:rpm`);
    expect(ttl).toBeGreaterThan(0);
  });

  it('uses the Redis clock when no time is given, and never limits keys without rpm', async () => {
    const { keyPrefix, store } = newStore('rpm-clock');
    const limited = (await store.create({ rpm: 2 })).key;
    const free = (await store.create({})).key;
    const taken = await Promise.all([1, 2, 3].map(() => store.takeRequest(limited)));
    // Two fit unless the calls straddle a minute boundary, when all three may.
    expect(taken.filter((r) => r.allowed).length).toBeGreaterThanOrEqual(2);
    for (let i = 0; i < 50; i++) expect(await store.takeRequest(free)).toEqual({ allowed: true });
    expect(await redis.exists(`${keyPrefix}keys:{${free.id}}:rpm`)).toBe(0);
  });
});
