import type { NatsConnection } from '@nats-io/nats-core';
import { CONTRACT_VERSION, createSubjects } from '@switchyard/contracts';
import { createCooldownTracker } from '@switchyard/limits';
import { closeNats, connectNats } from '@switchyard/messaging';
import { startTestNats, startTestRedis, uniquePrefix, type TestServer } from '@switchyard/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CooldownView } from './cooldown-view';
import { silentLogger, waitUntil } from './worker-harness.test-support';

describe('CooldownView: the shared cooldowns, read from memory, kept current by events', () => {
  let nats: TestServer;
  let redisServer: TestServer;
  let redis: Redis;
  const connections: NatsConnection[] = [];

  beforeAll(async () => {
    [nats, redisServer] = await Promise.all([startTestNats(), startTestRedis()]);
    redis = new Redis(redisServer.url);
  });

  afterAll(async () => {
    for (const nc of connections) await closeNats(nc);
    redis?.disconnect();
    await Promise.all([nats?.stop(), redisServer?.stop()]);
  });

  /** Two worker processes' views of one installation, each on its own connection. */
  async function twoViews(allowedFails: number) {
    const prefix = uniquePrefix('cooldown');
    const subjects = createSubjects(prefix);
    const tracker = createCooldownTracker(redis, {
      keyPrefix: `${prefix}:`,
      allowedFails,
      cooldownMs: 60_000,
    });
    const views: CooldownView[] = [];
    for (const name of ['a', 'b']) {
      const nc = await connectNats({ servers: nats.url, name, logger: silentLogger });
      connections.push(nc);
      views.push(
        await CooldownView.start(tracker, {
          nc,
          subjects,
          deploymentIds: ['d/0'],
          logger: silentLogger,
        }),
      );
    }
    return { tracker, subjects, a: views[0] as CooldownView, b: views[1] as CooldownView };
  }

  it('tells every worker of a cooldown another one started, with no Redis call per job', async () => {
    const { tracker, a, b } = await twoViews(1);
    expect(await b.coolingDownUntil('d/0')).toBeUndefined();
    await a.recordFailure('d/0', 'server');
    const { coolingDownUntil } = await a.recordFailure('d/0', 'server');
    expect(coolingDownUntil).toBeGreaterThan(Date.now());
    expect(await a.coolingDownUntil('d/0')).toBe(coolingDownUntil);
    await waitUntil(async () => (await b.coolingDownUntil('d/0')) === coolingDownUntil);
    expect(await tracker.coolingDownUntil('d/0')).toBe(coolingDownUntil);
    // A worker that starts now reads the running cooldown once.
    const late = await twoViews(1);
    expect(await late.a.coolingDownUntil('d/0')).toBeUndefined();
  });

  it('lets a success reset failures counted by another worker, and skips the reset when none are', async () => {
    const { tracker, a, b } = await twoViews(1);
    await a.recordSuccess('d/0'); // failures from before this process: reset once
    await a.recordFailure('d/0', 'server');
    expect(a.hasFailures('d/0')).toBe(true);
    await waitUntil(() => b.hasFailures('d/0'));
    await b.recordSuccess('d/0');
    expect(b.hasFailures('d/0')).toBe(false);
    await waitUntil(() => !a.hasFailures('d/0'));
    // The shared count was reset by b: one more failure on a does not cool the deployment down.
    expect(await a.recordFailure('d/0', 'server')).toEqual({});
    expect(await tracker.coolingDownUntil('d/0')).toBeUndefined();
  });

  it("skips its own events when NATS echoes them, so a late echo cannot undo another worker's reset", async () => {
    const { a, b, subjects } = await twoViews(5);
    // A connection of the test's own sees every event, and later sends one of a's again: the
    // echo of a's failure arriving after b's reset, as it can when the server handles b's
    // connection first.
    const raw = await connectNats({ servers: nats.url, name: 'raw', logger: silentLogger });
    connections.push(raw);
    const seen: { subject: string; data: Uint8Array; kind: unknown }[] = [];
    raw.subscribe(subjects.cooldownEventsAll, {
      callback: (_error, msg) => {
        seen.push({
          subject: msg.subject,
          data: msg.data,
          kind: msg.json<{ kind: unknown }>().kind,
        });
      },
    });
    await raw.flush();
    await a.recordSuccess('d/0');
    await a.recordFailure('d/0', 'server');
    await waitUntil(() => seen.some((event) => event.kind === 'failed'));
    const aFailed = seen.find((event) => event.kind === 'failed');
    await waitUntil(() => b.hasFailures('d/0'));
    await b.recordSuccess('d/0');
    await waitUntil(() => !a.hasFailures('d/0'));

    raw.publish(aFailed?.subject ?? '', aFailed?.data);
    // A failure of another deployment, sent after the echo on the same connection: once a has it,
    // a has handled the echo too.
    raw.publish(
      subjects.cooldownEvents('d/1'),
      JSON.stringify({
        v: CONTRACT_VERSION,
        deployment: 'd/1',
        kind: 'failed',
        from: 'another-worker',
      }),
    );
    await waitUntil(() => a.hasFailures('d/1'));
    expect(a.hasFailures('d/0')).toBe(false);
  });
});
