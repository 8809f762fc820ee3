import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { SwitchyardError, querySpend } from '@switchyard/client';
import type { SwitchyardConfig } from '@switchyard/config';
import {
  createSubjects,
  usageEventSchema,
  type SpendDimension,
  type SpendReply,
  type UsageEvent,
} from '@switchyard/contracts';
import { connectRedis } from '@switchyard/entrypoint';
import { VirtualKeyStore, keyStoreOptionsFrom } from '@switchyard/keys';
import { budgetScopesOf, createBudgetLedger, usdToMicros } from '@switchyard/limits';
import { isBinaryOnPath, startRedisServer, type LocalServer } from '@switchyard/local-servers';
import { closeNats, connectNats, publishUsageEvent } from '@switchyard/messaging';
import { createLogger } from '@switchyard/telemetry';
import { startTestNats, uniquePrefix, type TestServer } from '@switchyard/testing';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meteringConfig, usageEvent } from './metering.test-support';
import { startMetering, type Metering } from './start-metering';

const logger = createLogger({ name: 'metering-restart-spec', level: 'silent' });
const day = 86_400_000;
const tenants =
  '  tenants: { acme: { max_budget: 1000, budget_duration: 1d }, beta: { max_budget: 1000 } }';

async function waitUntil(check: () => Promise<boolean>, what: string, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** What the events add up to, per dimension value: requests and cost in pico-dollars. */
function expectedTotals(events: readonly UsageEvent[], by: SpendDimension) {
  const totals = new Map<string, { requests: number; cost_picos: string }>();
  for (const event of events) {
    const value = by === 'tenant' ? event.tenant : by === 'model' ? event.model : event.key_id;
    const key = value ?? '(none)';
    const row = totals.get(key) ?? { requests: 0, cost_picos: '0' };
    const picos = BigInt(Math.round((event.cost_usd ?? 0) * 1e12));
    totals.set(key, {
      requests: row.requests + 1,
      cost_picos: (BigInt(row.cost_picos) + picos).toString(),
    });
  }
  return Object.fromEntries(totals);
}

function totalsOf(reply: Extract<SpendReply, { ok: true }>) {
  return Object.fromEntries(
    reply.rows.map((row) => [row.key, { requests: row.requests, cost_picos: row.cost_picos }]),
  );
}

const hasRedisBinary = await isBinaryOnPath('redis-server');

describe.skipIf(!hasRedisBinary)('metering when its Redis restarts empty', () => {
  let nats: TestServer;
  let redisServer: LocalServer;
  let nc: NatsConnection;
  let redis: Redis;
  let probe: Redis;

  beforeAll(async () => {
    nats = await startTestNats();
    redisServer = await startRedisServer(); // nothing on disk: a restart starts empty
    nc = await connectNats({ servers: nats.url, name: 'metering-restart-spec', logger });
    redis = await connectRedis(redisServer.url, { commandTimeoutMs: 2_000 });
    probe = await connectRedis(redisServer.url, { commandTimeoutMs: 2_000 });
  });
  afterAll(async () => {
    if (nc) await closeNats(nc);
    redis?.disconnect();
    probe?.disconnect();
    await Promise.all([nats?.stop(), redisServer?.stop()]);
  });

  /** An installation with budgets on tenant acme (1 day), beta (forever) and one virtual key. */
  async function installation(label: string, stateCheckIntervalMs?: number) {
    const prefix = uniquePrefix(label);
    const config: SwitchyardConfig = meteringConfig(nats.url, redisServer.url, prefix, [tenants]);
    const subjects = createSubjects(prefix);
    const keys = await VirtualKeyStore.open(nc, keyStoreOptionsFrom(config));
    const { key, secret } = await keys.create({
      tenant: 'acme',
      maxBudget: 500,
      budgetDurationMs: day,
    });
    const metering: Metering = await startMetering({
      config,
      nc,
      redis,
      logger,
      ...(stateCheckIntervalMs === undefined ? {} : { stateCheckIntervalMs }),
    });
    const ledger = createBudgetLedger(probe, { keyPrefix: `${prefix}:` });
    const js = jetstream(nc);
    const events: UsageEvent[] = [];
    /** One provider call as the worker makes it: reserve, settle with the event id, meter. */
    const call = async (i: number) => {
      const event = usageEventSchema.parse(
        usageEvent({
          tenant: i % 2 === 0 ? 'acme' : 'beta',
          model: i % 3 === 0 ? 'm' : 'n',
          ...(i % 4 === 0 ? { key_id: key.id } : {}),
          cost_usd: (i + 1) / 10_000,
          at: Date.now(),
        }),
      );
      const tenant = config.switchyard.tenants[event.tenant];
      const scopes = budgetScopesOf(
        event.tenant,
        tenant,
        event.key_id,
        event.key_id ? key : undefined,
      );
      const micros = usdToMicros(event.cost_usd ?? 0);
      const held = await ledger.reserve(scopes, micros);
      if (!held.ok) throw new Error('the budgets of this spec never run out');
      await ledger.reconcile(held.reservation, micros, { usageEventId: event.id });
      await publishUsageEvent(js, event, { subjects });
      events.push(event);
    };
    const spend = (by: SpendDimension) => querySpend(nc, subjects, { by, since: '2h' });
    /** The budget ledger's `spent` and `reserved` per scope (tenants acme and beta, the key). */
    const budgets = async () => {
      const hashes = {
        acme: await probe.hgetall(`${prefix}:budget:{acme}:tenant`),
        beta: await probe.hgetall(`${prefix}:budget:{beta}:tenant`),
        key: await probe.hgetall(`${prefix}:budget:{acme}:key:${key.id}`),
      };
      const field = (name: string) =>
        Object.fromEntries(Object.entries(hashes).map(([scope, hash]) => [scope, hash[name]]));
      return { spent: field('spent'), reserved: field('reserved') };
    };
    /** The budget spend the events add up to, per scope, in micro-dollars. */
    const expectedBudgets = () => {
      const sum = (pick: (e: UsageEvent) => boolean) =>
        String(events.filter(pick).reduce((s, e) => s + usdToMicros(e.cost_usd ?? 0), 0));
      return {
        acme: sum((e) => e.tenant === 'acme'),
        beta: sum((e) => e.tenant === 'beta'),
        key: sum((e) => e.key_id === key.id),
      };
    };
    /** Until spend queries answer (not "rebuilding") with `count` requests in all. */
    const settled = (count: number) =>
      waitUntil(
        () =>
          spend('tenant').then(
            (reply) => reply.ok && reply.rows.reduce((s, r) => s + r.requests, 0) === count,
            () => false,
          ),
        `${count} events metered`,
      );
    const stop = async () => {
      await metering.stop();
      await keys.close();
    };
    return {
      prefix,
      keys,
      key,
      secret,
      metering,
      call,
      events,
      spend,
      budgets,
      expectedBudgets,
      settled,
      stop,
    };
  }

  it('rebuilds exactly the same aggregates and budget spend, and keys still verify', async () => {
    const install = await installation('restart');
    try {
      const before = 60;
      for (let i = 0; i < before; i++) await install.call(i);
      await install.settled(before);
      for (const by of ['tenant', 'model', 'key'] as const) {
        expect(totalsOf(await install.spend(by))).toEqual(expectedTotals(install.events, by));
      }
      expect((await install.budgets()).spent).toEqual(install.expectedBudgets());

      // Redis dies and comes back on the same port with nothing (it never wrote to disk): the
      // aggregates, dedupe markers, budget spend and metering's marker are all gone.
      await redisServer.kill();
      redisServer = await startRedisServer({ port: redisServer.port });
      await waitUntil(
        () =>
          probe.ping().then(
            () => true,
            () => false,
          ),
        'Redis back',
      );

      // The workers go on while metering rebuilds: these calls settle their budgets now.
      const after = 12;
      for (let i = before; i < before + after; i++) await install.call(i);
      await install.settled(before + after);
      await install.metering.state.idle();

      for (const by of ['tenant', 'model', 'key'] as const) {
        expect(totalsOf(await install.spend(by))).toEqual(expectedTotals(install.events, by));
      }
      const rebuilt = await install.budgets();
      expect(rebuilt.spent).toEqual(install.expectedBudgets());
      expect(rebuilt.reserved).toEqual({ acme: '0', beta: '0', key: '0' });
      // Each event's dedupe marker is back, so a redelivery still counts once.
      const seen = await probe.keys(`${install.prefix}:meter:seen:*`);
      expect(seen).toHaveLength(before + after);
      expect(await probe.hget(`${install.prefix}:meter:state`, 'status')).toBe('ready');

      // Virtual keys were never in Redis.
      expect(await install.keys.verify(install.secret)).toEqual(install.key);
      const config = meteringConfig(nats.url, redisServer.url, install.prefix, [tenants]);
      const fresh = await VirtualKeyStore.open(nc, keyStoreOptionsFrom(config));
      expect(await fresh.verify(install.secret)).toEqual(install.key);
      await fresh.close();
    } finally {
      await install.stop();
    }
  });

  it('answers spend queries "rebuilding" until the state is whole again, never partial numbers', async () => {
    // Nothing looks at the marker on its own here: the spec decides when metering notices.
    const install = await installation('flush', 600_000);
    try {
      for (let i = 0; i < 20; i++) await install.call(i);
      await install.settled(20);
      const totals = totalsOf(await install.spend('model'));
      await probe.flushdb();
      const during = await install.spend('model').catch((error: unknown) => error);
      expect(during).toBeInstanceOf(SwitchyardError);
      expect(during).toMatchObject({
        type: 'server',
        code: 'metering_rebuilding',
        retryable: true,
      });
      await install.metering.state.check();
      await install.metering.state.idle();
      expect(totalsOf(await install.spend('model'))).toEqual(totals);
      expect((await install.budgets()).spent).toEqual(install.expectedBudgets());
    } finally {
      await install.stop();
    }
  });
});
