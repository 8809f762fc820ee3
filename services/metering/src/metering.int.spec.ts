import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { querySpend } from '@switchyard/client';
import type { SwitchyardConfig } from '@switchyard/config';
import {
  createSubjects,
  streamNames,
  usageEventSchema,
  type SwitchyardSubjects,
  type UsageEventInput,
} from '@switchyard/contracts';
import { closeNats, connectNats, publishUsageEvent } from '@switchyard/messaging';
import { createLogger } from '@switchyard/telemetry';
import { startTestNats, startTestRedis, uniquePrefix, type TestServer } from '@switchyard/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METERING_CONSUMER_NAME } from './metering-consumer';
import { meteringConfig, usageEvent } from './metering.test-support';
import { startMetering, type Metering } from './start-metering';
import { createUsageApplier } from './usage-applier';

const logger = createLogger({ name: 'metering-spec', level: 'silent' });

async function waitUntil(check: () => boolean | Promise<boolean>, what: string, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('metering against nats-server and redis-server', () => {
  let nats: TestServer;
  let redisServer: TestServer;
  let nc: NatsConnection;
  let redis: Redis;
  let js: JetStreamClient;

  beforeAll(async () => {
    [nats, redisServer] = await Promise.all([startTestNats(), startTestRedis()]);
    nc = await connectNats({ servers: nats.url, name: 'metering-spec', logger });
    redis = new Redis(redisServer.url);
    js = jetstream(nc);
  });
  afterAll(async () => {
    await closeNats(nc);
    redis.disconnect();
    await Promise.all([nats.stop(), redisServer.stop()]);
  });

  /** A fresh installation: config, subjects, and a counter of settled outcomes. */
  function installation() {
    const prefix = uniquePrefix('metering');
    const config: SwitchyardConfig = meteringConfig(nats.url, redisServer.url, prefix);
    const subjects: SwitchyardSubjects = createSubjects(prefix);
    const settled = { applied: 0, duplicate: 0, invalid: 0 };
    const start = () =>
      startMetering({
        config,
        nc,
        redis,
        logger,
        onSettled: (outcomes) => outcomes.forEach((o) => (settled[o] += 1)),
      });
    const storeTwice = async (event: UsageEventInput) => {
      await publishUsageEvent(js, event, { subjects });
      const valid = usageEventSchema.parse(event);
      // A second stored copy (a republish after the duplicate window).
      await js.publish(subjects.usage(valid.tenant, valid.model), JSON.stringify(valid));
    };
    const spend = (by: 'model' | 'tenant' = 'model') =>
      querySpend(nc, subjects, { by, since: Date.UTC(2026, 0, 1), until: Date.UTC(2026, 1, 1) });
    return { prefix, config, subjects, settled, start, storeTwice, spend };
  }

  it('counts an event stored twice once, and terminates garbage without blocking', async () => {
    const install = installation();
    const metering = await install.start();
    try {
      await install.storeTwice(usageEvent({ tenant: 'acme' }));
      await js.publish(install.subjects.usage('acme', 'm'), 'not json');
      await js.publish(install.subjects.usage('acme', 'm'), JSON.stringify({ v: 1, id: 'x' }));
      await install.storeTwice(usageEvent({ tenant: 'acme', completion_tokens: 4, cost_usd: 0 }));
      await waitUntil(() => install.settled.applied + install.settled.duplicate === 4, 'settling');
      expect(install.settled).toEqual({ applied: 2, duplicate: 2, invalid: 2 });
      const answer = await install.spend();
      expect(answer.rows).toMatchObject([
        { key: 'm', requests: 2, prompt_tokens: 26, completion_tokens: 20 },
      ]);
      const consumer = await js.consumers.get(
        streamNames(install.prefix).usage,
        METERING_CONSUMER_NAME,
      );
      const info = () => consumer.info();
      await waitUntil(async () => (await info()).num_ack_pending === 0, 'every ack');
    } finally {
      await metering.stop();
    }
  });

  it('counts once an event committed by a replica that died before acking it', async () => {
    const install = installation();
    const event = usageEvent({ tenant: 'acme', prompt_tokens: 100 });
    const first = await install.start(); // creates the stream and the durable
    await first.stop();
    await publishUsageEvent(js, event, { subjects: install.subjects });
    // A replica takes the event, commits it, and dies before its ack.
    const consumer = await js.consumers.get(
      streamNames(install.prefix).usage,
      METERING_CONSUMER_NAME,
    );
    const msg = await consumer.next({ expires: 5_000 });
    if (msg === null) throw new Error('the event was not delivered');
    const applier = createUsageApplier(redis, { keyPrefix: `${install.prefix}:` });
    expect(await applier.apply([usageEventSchema.parse(JSON.parse(msg.string()))])).toEqual([
      'applied',
    ]);
    msg.nak(); // what AckWait does to an event whose replica died
    const second = await install.start();
    try {
      await waitUntil(() => install.settled.duplicate === 1, 'the redelivery');
      const answer = await install.spend();
      expect(answer.rows).toMatchObject([{ key: 'm', requests: 1, prompt_tokens: 100 }]);
    } finally {
      await second.stop();
    }
  });

  it('two replicas together count every event once, each copy settled once', async () => {
    const install = installation();
    const replicas: Metering[] = [await install.start(), await install.start()];
    try {
      const events = Array.from({ length: 300 }, (_, i) =>
        usageEvent({ tenant: i % 3 === 0 ? 'acme' : 'beta', prompt_tokens: i + 1 }),
      );
      await Promise.all(
        events.map((event, i) =>
          i % 5 === 0
            ? install.storeTwice(event)
            : publishUsageEvent(js, event, { subjects: install.subjects }),
        ),
      );
      await waitUntil(
        () => install.settled.applied + install.settled.duplicate === 360,
        'every stored copy',
      );
      expect(install.settled).toMatchObject({ applied: 300, duplicate: 60 });
      const answer = await install.spend('tenant');
      const prompt = (tenant: string) =>
        events.filter((e) => e.tenant === tenant).reduce((sum, e) => sum + e.prompt_tokens, 0);
      expect(answer.rows.map((r) => [r.key, r.requests, r.prompt_tokens])).toEqual([
        ['beta', 200, prompt('beta')],
        ['acme', 100, prompt('acme')],
      ]);
    } finally {
      await Promise.all(replicas.map((replica) => replica.stop()));
    }
  });

  it('answers spend queries over NATS, and refuses bad ones with a clear error', async () => {
    const install = installation();
    const metering = await install.start();
    try {
      const ask = async (body: string) =>
        (await nc.request(install.subjects.meteringSpend, body)).json();
      expect(await ask('{"by":"model","since":"7d"}')).toMatchObject({
        ok: true,
        by: 'model',
        rows: [],
      });
      expect(await ask('{not json')).toMatchObject({
        ok: false,
        error: { type: 'bad_request', code: 'malformed_json' },
      });
      const invalid = (await ask('{"by":"colour","since":"yesterday"}')) as {
        error: { message: string };
      };
      expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid_spend_query' } });
      expect(invalid.error.message).toMatch(/by/);
      expect(invalid.error.message).toMatch(/since/);
      await expect(
        querySpend(nc, install.subjects, { by: 'model', since: '1d', until: '2d' }),
      ).rejects.toMatchObject({ type: 'bad_request' });
    } finally {
      await metering.stop();
    }
    await expect(
      querySpend(nc, install.subjects, { by: 'model', since: '1d' }),
    ).rejects.toMatchObject({
      type: 'connection',
    });
  });

  it('exposes spend and tokens as Prometheus metrics', async () => {
    const install = installation();
    const metering = await startMetering({
      config: install.config,
      nc,
      redis,
      logger,
      metricsPort: 0,
      onSettled: (outcomes) => outcomes.forEach((o) => (install.settled[o] += 1)),
    });
    try {
      await publishUsageEvent(js, usageEvent({ tenant: 'acme' }), { subjects: install.subjects });
      await waitUntil(() => install.settled.applied === 1, 'the event');
      const text = await (await fetch(metering.metricsUrl ?? 'no metrics url')).text();
      expect(text).toMatch(/switchyard_usage_tokens_total\{[^}]*kind="prompt"[^}]*\} 13/);
      expect(text).toMatch(/switchyard_spend_usd_total\{[^}]*provider="openai"[^}]*\} 0\.00001155/);
      expect(text).toMatch(/switchyard_metering_events_total\{outcome="applied"[^}]*\} 1/);
    } finally {
      await metering.stop();
    }
  });
});
