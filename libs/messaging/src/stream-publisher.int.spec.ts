import {
  DiscardPolicy,
  JetStreamApiError,
  JetStreamError,
  jetstreamManager,
  StorageType,
} from '@nats-io/jetstream';
import { TimeoutError, type NatsConnection } from '@nats-io/nats-core';
import { createLogger } from '@switchyard/telemetry';
import { startTestNats, uniquePrefix, type TestServer } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorCodes } from './jetstream-api-errors';
import { closeNats, connectNats } from './connection';
import { StreamPublisher } from './stream-publisher';

const logger = createLogger({ name: 'stream-publisher-spec', level: 'silent' });

describe('StreamPublisher against nats-server', () => {
  let server: TestServer;
  let nc: NatsConnection;
  let publisher: StreamPublisher;
  let prefix: string;

  beforeAll(async () => {
    server = await startTestNats();
    nc = await connectNats({ servers: server.url, name: 'stream-publisher-spec', logger });
    prefix = uniquePrefix('streampub');
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({
      name: `${prefix}_STORE`,
      subjects: [`${prefix}.store.>`],
      storage: StorageType.Memory,
    });
    await jsm.streams.add({
      name: `${prefix}_FULL`,
      subjects: [`${prefix}.full.>`],
      storage: StorageType.Memory,
      max_msgs: 1,
      discard: DiscardPolicy.New,
    });
    publisher = new StreamPublisher(nc, { inboxPrefix: '_INBOX_spec', timeoutMs: 2_000 });
  });

  afterAll(async () => {
    publisher?.close();
    if (nc !== undefined) await closeNats(nc);
    await server?.stop();
  });

  it('resolves each publish with its own acknowledgement, a repeated message id as a duplicate', async () => {
    const acks = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        publisher.publish(`${prefix}.store.${i}`, `m${i}`, { msgID: `id-${i}` }),
      ),
    );
    expect(acks.map((ack) => ack.stream)).toEqual(Array(50).fill(`${prefix}_STORE`));
    expect(new Set(acks.map((ack) => ack.seq)).size).toBe(50);
    expect(acks.every((ack) => !ack.duplicate)).toBe(true);

    const again = await publisher.publish(`${prefix}.store.7`, 'm7', { msgID: 'id-7' });
    expect(again).toEqual({ stream: `${prefix}_STORE`, seq: acks[7]?.seq, duplicate: true });
    const jsm = await jetstreamManager(nc);
    expect((await jsm.streams.info(`${prefix}_STORE`)).state.messages).toBe(50);
  });

  it('rejects with the JetStream API error a stream answers (a full stream that discards new)', async () => {
    await publisher.publish(`${prefix}.full.a`, 'first');
    const refused = await publisher
      .publish(`${prefix}.full.b`, 'second')
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(JetStreamApiError);
    expect((refused as JetStreamApiError).code).toBe(ApiErrorCodes.streamStoreFailed);
  });

  it('rejects a subject no stream stores at once, and times out when nobody answers', async () => {
    // The server's "no responders" status, not a timeout (which would be a TimeoutError).
    await expect(
      publisher.publish(`${prefix}.nowhere`, 'x', { timeout: 30_000 }),
    ).rejects.toBeInstanceOf(JetStreamError);

    // A core subscriber that never answers: the server does not say "no responders".
    const silent = nc.subscribe(`${prefix}.silent`);
    await expect(
      publisher.publish(`${prefix}.silent`, 'x', { timeout: 200 }),
    ).rejects.toBeInstanceOf(TimeoutError);
    silent.unsubscribe();
  });

  it('counts an acknowledgement that came while the process was too busy to read it in time', async () => {
    // A process busy for 300 ms (as a worker is when thousands of answers arrive at once):
    // the acknowledgement reaches its socket in time, but the publish's timer is due before
    // the socket is read again. Busy from the next microtask, and from the end of this turn
    // of the event loop (when the publisher writes what was published during the turn).
    const busy = () => {
      const until = Date.now() + 300;
      while (Date.now() < until) {
        // busy
      }
    };
    const soon = publisher.publish(`${prefix}.store.busy-1`, 'x', { timeout: 50 });
    await Promise.resolve();
    busy();
    const later = publisher.publish(`${prefix}.store.busy-2`, 'x', { timeout: 50 });
    await new Promise((resolve) => setImmediate(resolve));
    busy();
    await expect(soon).resolves.toMatchObject({ stream: `${prefix}_STORE` });
    await expect(later).resolves.toMatchObject({ stream: `${prefix}_STORE` });
  });

  it('fails publishes still waiting when it is closed', async () => {
    const own = new StreamPublisher(nc, { inboxPrefix: '_INBOX_spec' });
    const silent = nc.subscribe(`${prefix}.closing`);
    const waiting = own.publish(`${prefix}.closing`, 'x');
    own.close();
    await expect(waiting).rejects.toThrow('the stream publisher was closed');
    silent.unsubscribe();
  });
});
