import {
  AckPolicy,
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { createLogger } from '@switchyard/telemetry';
import { startTestNats, uniquePrefix, type TestServer } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeNats, connectNats } from './connection';
import { waitFor } from './job-fixtures.test-support';
import { deliveryInfo, JobPulls, type PulledJob } from './job-pulls';

const logger = createLogger({ name: 'job-pulls-spec', level: 'silent' });

describe('deliveryInfo', () => {
  it('reads both forms of the ack subject', () => {
    expect(deliveryInfo('$JS.ACK.JOBS.model-a.2.17.9.1796541814545831400.4')).toEqual({
      consumer: 'model-a',
      deliveryCount: 2,
      streamSequence: 17,
      timestampNanos: 1796541814545831400,
      pending: 4,
    });
    expect(
      deliveryInfo('$JS.ACK.hub.ACCHASH.JOBS.model-a.1.5.5.1796541814545831400.0.rnd'),
    ).toEqual({
      consumer: 'model-a',
      deliveryCount: 1,
      streamSequence: 5,
      timestampNanos: 1796541814545831400,
      pending: 0,
    });
  });

  it('is null for any other subject', () => {
    expect(deliveryInfo('_INBOX.abc.1')).toBeNull();
    expect(deliveryInfo('$JS.ACK.JOBS.model-a.x.17.9.1.4')).toBeNull();
    expect(deliveryInfo('$JS.ACK.JOBS.model-a.1.2')).toBeNull();
  });
});

describe('JobPulls against nats-server', () => {
  let server: TestServer;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    server = await startTestNats();
    nc = await connectNats({ servers: server.url, name: 'job-pulls-spec', logger });
    js = jetstream(nc);
    jsm = await jetstreamManager(nc);
  });

  afterAll(async () => {
    if (nc) await closeNats(nc);
    await server?.stop();
  });

  /** A work-queue stream with one durable pull consumer, `queued` messages in it. */
  async function setUp(queued: number) {
    const stream = uniquePrefix('pulls');
    await jsm.streams.add({ name: stream, subjects: [`${stream}.>`], retention: 'workqueue' });
    await jsm.consumers.add(stream, {
      durable_name: 'worker',
      ack_policy: AckPolicy.Explicit,
      ack_wait: 30_000_000_000,
    });
    for (let i = 0; i < queued; i += 1) await js.publish(`${stream}.job`, `job ${i}`);
    const pulls = new JobPulls(nc, stream, { inboxPrefix: '_INBOX', logger });
    const pending = async () => (await jsm.consumers.info(stream, 'worker')).num_pending;
    return { stream, pulls, pending };
  }

  it('delivers up to its size, each job with its delivery info, and ends there', async () => {
    const { pulls, pending } = await setUp(5);
    const jobs: PulledJob[] = [];
    const delivered = await pulls.pull('worker', 3, 5_000, (job) => jobs.push(job)).done;
    expect(delivered).toBe(3);
    expect(jobs.map((job) => new TextDecoder().decode(job.data))).toEqual([
      'job 0',
      'job 1',
      'job 2',
    ]);
    expect(
      jobs.map((job) => [job.info.consumer, job.info.streamSequence, job.info.pending]),
    ).toEqual([
      ['worker', 1, 4],
      ['worker', 2, 3],
      ['worker', 3, 2],
    ]);
    expect(jobs[0]?.info.deliveryCount).toBe(1);
    expect(await pending()).toBe(2);
    pulls.close();
  });

  it('ends with what came when the server lets it expire', async () => {
    const { pulls } = await setUp(2);
    const started = Date.now();
    expect(await pulls.pull('worker', 10, 1_000, () => undefined).done).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    pulls.close();
  });

  it('settles with ack, nak and term as JetStream reads them', async () => {
    const { stream, pulls } = await setUp(3);
    const jobs: PulledJob[] = [];
    await pulls.pull('worker', 3, 5_000, (job) => jobs.push(job)).done;
    const [acked, naked, termed] = jobs as [PulledJob, PulledJob, PulledJob];
    acked.ack();
    naked.nak();
    // A reason needs nats-server 2.11 (see serverSupports); this one may be older.
    termed.term();
    const again: PulledJob[] = [];
    await pulls.pull('worker', 5, 1_000, (job) => again.push(job)).done;
    expect(again.map((job) => [job.info.streamSequence, job.info.deliveryCount])).toEqual([[2, 2]]);
    again[0]?.ack();
    await nc.flush();
    await waitFor(async () => {
      const info = await jsm.consumers.info(stream, 'worker');
      return info.num_pending === 0 && info.num_ack_pending === 0;
    });
    pulls.close();
  });

  it('refuses a second pull on a consumer that has one open', async () => {
    const { pulls } = await setUp(0);
    const open = pulls.pull('worker', 1, 1_000, () => undefined);
    expect(() => pulls.pull('worker', 1, 1_000, () => undefined)).toThrow(/already has a pull/);
    open.close();
    expect(await open.done).toBe(0);
    pulls.close();
  });

  it('rejects when the consumer is deleted under an open pull', async () => {
    const { stream, pulls } = await setUp(0);
    const open = pulls.pull('worker', 1, 10_000, () => undefined);
    const refused = expect(open.done).rejects.toThrow(/409 Consumer Deleted/);
    await nc.flush();
    await jsm.consumers.delete(stream, 'worker');
    await refused;
    pulls.close();
  });

  it('rejects a pull that goes silent (a consumer that does not exist) once two heartbeats are missing, whatever else arrives', async () => {
    const { pulls } = await setUp(0);
    // Another subscription's traffic on the connection does not keep a silent pull alive.
    const chatter = nc.subscribe(uniquePrefix('chatter'));
    const talking = setInterval(() => nc.publish(chatter.getSubject()), 100);
    const started = Date.now();
    try {
      // Expiry 1 s: a heartbeat every 500 ms.
      await expect(pulls.pull('nobody', 1, 1_000, () => undefined).done).rejects.toThrow(
        /went silent/,
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    } finally {
      clearInterval(talking);
      chatter.unsubscribe();
      pulls.close();
    }
  });

  it('does not take a pull for lost while its heartbeats wait in the socket', async () => {
    const { pulls } = await setUp(0);
    // Expiry 4 s: a heartbeat every 2 s, the check due at 4 s.
    const pull = pulls.pull('worker', 1, 4_000, () => undefined);
    await nc.flush();
    // A worker busy with a burst: nothing is read for longer than the check waits.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 4_500);
    expect(await pull.done).toBe(0);
    pulls.close();
  });

  it('hands back at once a job delivered for a pull closed here', async () => {
    const { stream, pulls } = await setUp(0);
    const closed = pulls.pull('worker', 1, 5_000, () => {
      throw new Error('a closed pull took a job');
    });
    await nc.flush();
    closed.close();
    // The server still holds the closed pull and delivers to it: the hand-back is a -NAK.
    const settlements = nc.subscribe(`$JS.ACK.${stream}.worker.>`, { max: 1 });
    await js.publish(`${stream}.job`, 'late');
    for await (const settlement of settlements) expect(settlement.string()).toBe('-NAK');
    const jobs: PulledJob[] = [];
    await pulls.pull('worker', 1, 5_000, (job) => jobs.push(job)).done;
    expect(jobs.map((job) => job.info.deliveryCount)).toEqual([2]);
    jobs[0]?.ack();
    pulls.close();
  });

  it('hands back a job that arrives in the same read as the close, instead of leaving it to AckWait', async () => {
    const { stream, pulls } = await setUp(0);
    const sender = await connectNats({ servers: server.url, name: 'job-pulls-sender', logger });
    const settlements = nc.subscribe(`$JS.ACK.${stream}.worker.>`, { max: 1 });
    const closeSignal = `${stream}-close`;
    nc.subscribe(closeSignal, { max: 1, callback: () => pulls.close() });
    pulls.pull('worker', 1, 5_000, () => {
      throw new Error('a closed pull took a job');
    });
    await nc.flush();
    // The close signal and the job reach this process while its event loop is busy, so both
    // are read in one chunk: the job is delivered to the subscription just closed.
    sender.publish(closeSignal);
    sender.publish(`${stream}.job`, 'in flight');
    await Promise.resolve();
    const busyUntil = Date.now() + 300;
    while (Date.now() < busyUntil) {
      // the event loop waits; the server sends both
    }
    for await (const settlement of settlements) expect(settlement.string()).toBe('-NAK');
    const next = new JobPulls(nc, stream, { inboxPrefix: '_INBOX', logger });
    const jobs: PulledJob[] = [];
    await next.pull('worker', 1, 5_000, (job) => jobs.push(job)).done;
    expect(jobs.map((job) => job.info.deliveryCount)).toEqual([2]);
    jobs[0]?.ack();
    next.close();
    await closeNats(sender);
  });
});

describe('JobPulls across a server restart', () => {
  it('ends the pulls the restarted server lost once the connection is back, and pulls again', async (context) => {
    const server = await startTestNats();
    if (server.kill === undefined || server.restart === undefined) {
      await server.stop();
      return context.skip('needs nats-server on PATH');
    }
    const nc = await connectNats({
      servers: server.url,
      name: 'job-pulls-restart-spec',
      logger,
    });
    try {
      const stream = uniquePrefix('restart');
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: stream, subjects: [`${stream}.>`], retention: 'workqueue' });
      await jsm.consumers.add(stream, { durable_name: 'worker', ack_policy: AckPolicy.Explicit });
      const pulls = new JobPulls(nc, stream, { inboxPrefix: '_INBOX', logger });
      // Far longer than the test may run: only the reconnect can end it without an error.
      const lost = pulls.pull('worker', 1, 600_000, () => undefined);
      await nc.flush();
      await server.kill();
      await server.restart();
      expect(await lost.done).toBe(0);

      await jetstream(nc).publish(`${stream}.job`, 'after the restart');
      const jobs: PulledJob[] = [];
      expect(await pulls.pull('worker', 1, 5_000, (job) => jobs.push(job)).done).toBe(1);
      expect(new TextDecoder().decode(jobs[0]?.data)).toBe('after the restart');
      jobs[0]?.ack();
      pulls.close();
    } finally {
      await closeNats(nc);
      await server.stop();
    }
  });
});
