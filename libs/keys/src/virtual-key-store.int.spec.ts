import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { keysBucketName } from '@switchyard/contracts';
import { startTestNats, startTestRedis, uniquePrefix, type TestServer } from '@switchyard/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordEntry } from './key-entries';
import { KeyInputError } from './key-input.error';
import { VirtualKeyStore, type KeyStoreOptions } from './virtual-key-store';

let nats: TestServer;
let redisServer: TestServer;
let nc: NatsConnection;
let otherNc: NatsConnection;
let redis: Redis;
const stores: VirtualKeyStore[] = [];

beforeAll(async () => {
  [nats, redisServer] = await Promise.all([startTestNats(), startTestRedis()]);
  [nc, otherNc] = await Promise.all([
    connect({ servers: nats.url, name: 'keys-spec' }),
    connect({ servers: nats.url, name: 'keys-spec-other' }),
  ]);
  redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await Promise.all([nc?.close(), otherNc?.close(), redis?.quit()]);
  await Promise.all([nats?.stop(), redisServer?.stop()]);
});

/** Settings of one installation: its own bucket and Redis key prefix. */
function installation(label: string) {
  const prefix = uniquePrefix(label);
  const options: KeyStoreOptions = {
    bucket: { streamPrefix: prefix, replicas: 1, storage: 'file' },
    rateLimit: { redis, keyPrefix: `${prefix}:` },
  };
  const open = async (on: NatsConnection = nc) => {
    const store = await VirtualKeyStore.open(on, options);
    stores.push(store);
    return store;
  };
  return { prefix, options, open, bucket: keysBucketName(prefix) };
}

/** Every message of the bucket's stream, as one text. */
async function everythingStored(bucket: string): Promise<string> {
  const kv = await new Kvm(nc).open(bucket);
  const parts: string[] = [];
  for await (const entry of await kv.history()) parts.push(entry.key, entry.string());
  return parts.join('\n');
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('VirtualKeyStore on a JetStream KV bucket', () => {
  it('creates a key, verifies its secret in every replica, and never stores the secret', async () => {
    const { open, bucket, prefix } = installation('create');
    const store = await open();
    const replica = await open(otherNc);
    const { key, secret } = await store.create({
      tenant: 'acme',
      alias: 'search.v2',
      models: ['fast'],
      rpm: 5,
      maxBudget: 10,
      budgetDurationMs: 86_400_000,
    });
    expect(secret).toMatch(/^sk-sy-[A-Za-z0-9_-]{43}$/);
    expect(key).toMatchObject({ alias: 'search.v2', tenant: 'acme', models: ['fast'], rpm: 5 });
    expect(key.hint).toBe(`${secret.slice(0, 8)}…${secret.slice(-4)}`);
    expect(await store.verify(secret)).toEqual(key);
    expect(await store.get(key.id)).toEqual(key);
    await waitUntil(async () => (await replica.verify(secret)) !== undefined);
    expect(await replica.verify(secret)).toEqual(key);

    const stored = await everythingStored(bucket);
    expect(stored).toContain(key.id);
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(secret.slice(6));
    expect(await redis.keys(`${prefix}:*`)).toEqual([]);
    const info = await (await jetstreamManager(nc)).streams.info(`KV_${bucket}`);
    expect(info.config).toMatchObject({
      num_replicas: 1,
      storage: 'file',
      max_msgs_per_subject: 1,
    });
  });

  it('verifies nothing for unknown, malformed or other installations’ secrets', async () => {
    const store = await installation('verify').open();
    const { secret } = await store.create({});
    expect(await store.verify(`sk-sy-${'A'.repeat(43)}`)).toBeUndefined();
    expect(await store.verify('garbage')).toBeUndefined();
    expect(await store.verify('')).toBeUndefined();
    expect(await store.verify(`${secret}x`)).toBeUndefined();
    expect(await (await installation('verify-other').open()).verify(secret)).toBeUndefined();
  });

  it('revokes by id or alias, idempotently, and every replica stops verifying the key', async () => {
    const { open } = installation('revoke');
    const store = await open();
    const replica = await open(otherNc);
    const a = await store.create({ alias: 'first' });
    const b = await store.create({});
    await waitUntil(async () => (await replica.verify(a.secret)) !== undefined);
    const revoked = await store.revoke('first');
    expect(revoked).toMatchObject({ id: a.key.id });
    expect(revoked?.revokedAt).toBeGreaterThan(0);
    expect(await store.verify(a.secret)).toBeUndefined();
    await waitUntil(async () => (await replica.verify(a.secret)) === undefined);
    expect(await replica.revoke(a.key.id)).toEqual(revoked);
    expect(await store.revoke('first')).toEqual(revoked);
    expect(await store.revoke('nope')).toBeUndefined();
    expect(await store.revoke('key_unknown0000000')).toBeUndefined();
    expect(await store.revoke('')).toBeUndefined();
    expect((await store.revoke(b.key.id))?.id).toBe(b.key.id);
    expect(await store.get(a.key.id)).toEqual(revoked);
    expect(await store.get('key_unknown')).toBeUndefined();
    expect(await store.verify(b.secret)).toBeUndefined();
  });

  it('lists live keys oldest first, per tenant, and revoked ones on request', async () => {
    const store = await installation('list').open();
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
    expect(await (await installation('list-empty').open()).list()).toEqual([]);
  });

  it('gives an alias to exactly one of many concurrent creates, and frees it on revoke', async () => {
    const { open } = installation('alias');
    const both = [await open(), await open(otherNc)];
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        (both[i % 2] as VirtualKeyStore).create({ alias: 'shared' }),
      ),
    );
    const created = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(created).toHaveLength(1);
    expect(refused).toHaveLength(19);
    for (const r of refused) {
      expect(r.reason).toBeInstanceOf(KeyInputError);
      expect((r.reason as Error).message).toBe('alias "shared" is taken by a live key');
    }
    const store = both[0] as VirtualKeyStore;
    // The refused creates left no key behind.
    await waitUntil(async () => (await store.list({ includeRevoked: true })).length === 1);
    await store.revoke('shared');
    const again = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        (both[i % 2] as VirtualKeyStore).create({ alias: 'shared' }),
      ),
    );
    const winners = again.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(winners).toHaveLength(1);
    expect((await store.revoke('shared'))?.id).toBe(winners[0]?.key.id);
  });

  it('refuses invalid input before writing anything', async () => {
    const { open, bucket } = installation('invalid');
    const store = await open();
    await expect(store.create({ tenant: 'a b' })).rejects.toBeInstanceOf(KeyInputError);
    await expect(store.create({ rpm: -3 })).rejects.toThrow(/rpm must be a whole number/);
    const info = await (await jetstreamManager(nc)).streams.info(`KV_${bucket}`);
    expect(info.state.messages).toBe(0);
  });

  it('treats a corrupted record as no key', async () => {
    const { open, bucket } = installation('corrupt');
    const store = await open();
    const { key, secret } = await store.create({});
    const kv = await new Kvm(nc).open(bucket);
    const revision = await kv.put(recordEntry(key.id), '{not json');
    await waitUntil(async () => (await store.verify(secret)) === undefined);
    expect(revision).toBeGreaterThan(0);
    expect(await store.list()).toEqual([]);
    expect(await store.revoke(key.id)).toBeUndefined();
  });

  it('keeps every key across a store reopening and a nats-server restart', async () => {
    const { open } = installation('durable');
    const store = await open();
    const live = await store.create({ alias: 'stays', tenant: 'acme' });
    const gone = await store.create({});
    await store.revoke(gone.key.id);
    await store.close();
    await nats.restart?.();
    // Both connections are back before the next test uses either.
    await waitUntil(
      () =>
        Promise.all([nc.flush(), otherNc.flush()]).then(
          () => true,
          () => false,
        ),
      15_000,
    );
    const reopened = await open();
    expect(await reopened.verify(live.secret)).toEqual(live.key);
    expect(await reopened.verify(gone.secret)).toBeUndefined();
    expect((await reopened.list({ includeRevoked: true })).map((k) => k.id).sort()).toEqual(
      [live.key.id, gone.key.id].sort(),
    );
  });

  it('allows rpm requests per fixed 60 s window, atomically across stores', async () => {
    const { open, prefix } = installation('rpm');
    const both = [await open(), await open(otherNc)];
    const { key } = await (both[0] as VirtualKeyStore).create({ rpm: 10 });
    const t0 = 1_800_000_000_000 + 15_000;
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        (both[i % 2] as VirtualKeyStore).takeRequest(key, t0 + i),
      ),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    const refused = results.find((r) => !r.allowed);
    expect(refused).toMatchObject({ allowed: false });
    const retry = (refused as { retryAfterMs: number }).retryAfterMs;
    expect(retry).toBeGreaterThan(44_900);
    expect(retry).toBeLessThanOrEqual(45_000);
    expect(await (both[1] as VirtualKeyStore).takeRequest(key, t0 + 45_000)).toEqual({
      allowed: true,
    });
    expect(await redis.pttl(`${prefix}:keys:{${key.id}}:rpm`)).toBeGreaterThan(0);
  });

  it('uses the Redis clock when no time is given, and never limits keys without rpm', async () => {
    const { open, prefix, options } = installation('rpm-clock');
    const store = await open();
    const limited = (await store.create({ rpm: 2 })).key;
    const free = (await store.create({})).key;
    const taken = await Promise.all([1, 2, 3].map(() => store.takeRequest(limited)));
    // Two fit unless the calls straddle a minute boundary, when all three may.
    expect(taken.filter((r) => r.allowed).length).toBeGreaterThanOrEqual(2);
    for (let i = 0; i < 50; i++) expect(await store.takeRequest(free)).toEqual({ allowed: true });
    expect(await redis.exists(`${prefix}:keys:{${free.id}}:rpm`)).toBe(0);
    const withoutRedis = await VirtualKeyStore.open(nc, { bucket: options.bucket });
    stores.push(withoutRedis);
    await expect(withoutRedis.takeRequest(limited)).rejects.toThrow(/without a Redis/);
  });
});
