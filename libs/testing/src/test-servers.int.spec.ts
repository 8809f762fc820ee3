import {
  jetstream,
  jetstreamManager,
  AckPolicy,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { isNatsReachable, isRedisReachable } from '@switchyard/local-servers';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNats, startTestRedis, uniquePrefix, type TestServer } from './index';

describe('real NATS and Redis from the test harness', () => {
  let nats: TestServer;
  let redisServer: TestServer;
  let nc: NatsConnection;
  let redis: Redis;

  beforeAll(async () => {
    [nats, redisServer] = await Promise.all([startTestNats(), startTestRedis()]);
    nc = await connect({ servers: nats.url });
    redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
  });

  afterAll(async () => {
    await nc?.close();
    redis?.disconnect();
    await Promise.all([nats?.stop(), redisServer?.stop()]);
  });

  it('deduplicates by Nats-Msg-Id and drains a work-queue stream through a durable pull consumer', async () => {
    const prefix = uniquePrefix('workqueue');
    const stream = `${prefix}_JOBS`;
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({
      name: stream,
      subjects: [`${prefix}.jobs.>`],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
    });
    try {
      const js = jetstream(nc);
      const jobs = ['job-1', 'job-2', 'job-3'];
      for (const id of jobs) {
        const ack = await js.publish(`${prefix}.jobs.default`, `payload of ${id}`, { msgID: id });
        expect(ack.duplicate).toBe(false);
      }
      const again = await js.publish(`${prefix}.jobs.default`, 'payload of job-2, again', {
        msgID: 'job-2',
      });
      expect(again.duplicate).toBe(true);
      expect((await jsm.streams.info(stream)).state.messages).toBe(3);

      await jsm.consumers.add(stream, { durable_name: 'worker', ack_policy: AckPolicy.Explicit });
      const consumer = await js.consumers.get(stream, 'worker');
      const received: { id: string | undefined; payload: string }[] = [];
      for await (const msg of await consumer.fetch({ max_messages: 3, expires: 2_000 })) {
        received.push({ id: msg.headers?.get('Nats-Msg-Id'), payload: msg.string() });
        await msg.ackAck();
      }

      expect(received).toEqual(jobs.map((id) => ({ id, payload: `payload of ${id}` })));
      expect((await jsm.streams.info(stream)).state.messages).toBe(0);
    } finally {
      await jsm.streams.delete(stream);
    }
  });

  it('writes, reads and deletes keys under the test prefix in Redis', async () => {
    const prefix = uniquePrefix('redis');
    await redis.set(`${prefix}:greeting`, 'hello');
    await redis.hset(`${prefix}:usage`, { prompt_tokens: '12', completion_tokens: '30' });

    expect(await redis.get(`${prefix}:greeting`)).toBe('hello');
    expect(await redis.hgetall(`${prefix}:usage`)).toEqual({
      prompt_tokens: '12',
      completion_tokens: '30',
    });
    expect((await redis.keys(`${prefix}:*`)).sort()).toEqual([
      `${prefix}:greeting`,
      `${prefix}:usage`,
    ]);

    expect(await redis.del(`${prefix}:greeting`, `${prefix}:usage`)).toBe(2);
    expect(await redis.keys(`${prefix}:*`)).toEqual([]);
  });
});

describe('servers started by the harness', () => {
  it('are gone after stop(): the port no longer answers', async (context) => {
    const [nats, redis] = await Promise.all([startTestNats(), startTestRedis()]);
    try {
      if (nats.source !== 'binary' || redis.source !== 'binary') {
        return context.skip('needs nats-server and redis-server on PATH');
      }
      expect(await isNatsReachable(nats.url)).toBe(true);
      expect(await isRedisReachable(redis.url)).toBe(true);
    } finally {
      await Promise.all([nats.stop(), redis.stop()]);
    }
    expect(await isNatsReachable(nats.url, 300)).toBe(false);
    expect(await isRedisReachable(redis.url, 300)).toBe(false);
  });

  it('keep JetStream data across a kill() and restart()', async (context) => {
    const nats = await startTestNats();
    try {
      if (nats.kill === undefined || nats.restart === undefined) {
        return context.skip('needs nats-server on PATH');
      }
      const prefix = uniquePrefix('restart');
      let nc = await connect({ servers: nats.url });
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: prefix, subjects: [`${prefix}.>`], storage: StorageType.File });
      await jetstream(nc).publish(`${prefix}.one`, 'kept', { msgID: 'one' });
      await nc.close();

      await nats.kill();
      await nats.restart();

      nc = await connect({ servers: nats.url });
      try {
        const kept = await (await jetstreamManager(nc)).streams.getMessage(prefix, { seq: 1 });
        expect(kept?.string()).toBe('kept');
      } finally {
        await nc.close();
      }
    } finally {
      await nats.stop();
    }
  });
});
