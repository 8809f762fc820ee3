import {
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import {
  createSubjects,
  modelConsumerName,
  streamNames,
  tenantConsumerName,
  type JobPriority,
  type SwitchyardSubjects,
} from '@switchyard/contracts';
import { createLogger } from '@switchyard/telemetry';
import { startTestNats, uniquePrefix, type TestServer } from '@switchyard/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeNats, connectNats } from './connection';
import { consumeJobs, type ConsumeJobsOptions, type JobConsumer } from './consume-jobs';
import { makeJob, waitFor } from './job-fixtures.test-support';
import { provisionTopology } from './provision-topology';
import { publishJob } from './publish-job';
import { tenantConsumerConfig } from './topology-plan';

const logger = createLogger({ name: 'messaging-spec', level: 'silent' });
const model = 'fast-triage-model';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('consumeJobs against nats-server', () => {
  let server: TestServer;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  const consumers: JobConsumer[] = [];

  beforeAll(async () => {
    server = await startTestNats();
    nc = await connectNats({ servers: server.url, name: 'messaging-consume-spec', logger });
    js = jetstream(nc);
    jsm = await jetstreamManager(nc);
  });

  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.stop({ graceMs: 0 })));
  });

  afterAll(async () => {
    if (nc) await closeNats(nc);
    await server?.stop();
  });

  /** A fresh topology with `count` jobs queued, and a way to start consumers on it. */
  async function setUp(label: string, count: number, ackWaitMs = 30_000) {
    const prefix = uniquePrefix(label);
    const subjects: SwitchyardSubjects = createSubjects(prefix);
    await provisionTopology(nc, {
      subjectRoot: prefix,
      streamPrefix: prefix,
      models: [model],
      ackWaitMs,
      logger,
    });
    for (let i = 0; i < count; i += 1) await publishJob(js, makeJob({ model }), { subjects });
    const names = streamNames(prefix);
    const start = async (
      options: Pick<ConsumeJobsOptions, 'handler' | 'concurrency'> & Partial<ConsumeJobsOptions>,
    ) => {
      const consumer = await consumeJobs(nc, {
        model,
        streamPrefix: prefix,
        subjects,
        pullExpiresMs: 1_000,
        tenantScanMs: 100,
        logger,
        ...options,
      });
      consumers.push(consumer);
      return consumer;
    };
    /** Starts a consumer that acks every job; resolves the tenants of the jobs it took, in order. */
    const startTakingTenants = async (
      options: Pick<ConsumeJobsOptions, 'concurrency'> & Partial<ConsumeJobsOptions>,
    ) => {
      const taken: string[] = [];
      await start({
        ...options,
        handler: async (delivery) => {
          taken.push(delivery.ok ? delivery.job.tenant : 'invalid');
          await delivery.control.ack();
        },
      });
      return taken;
    };
    const queued = async () => (await jsm.streams.info(names.jobs)).state.messages;
    const info = () => jsm.consumers.info(names.jobs, modelConsumerName(model));
    const publish = (priority: JobPriority = 'interactive', tenant = 'default') =>
      publishJob(js, { ...makeJob({ model, tenant }), priority }, { subjects });
    /**
     * Removes the model's consumer and gives back a function that makes it again with its
     * settings: the new consumer hands out its jobs again as first deliveries, as a consumer
     * does whose leader died before its followers stored the deliveries it had made.
     */
    const removeConsumer = async () => {
      const { config } = await info();
      await jsm.consumers.delete(names.jobs, modelConsumerName(model));
      return async () => {
        await jsm.consumers.add(names.jobs, config);
      };
    };
    /** Makes a tenant's consumer of a lane, as a worker that found the tenant's jobs would. */
    const addTenantConsumer = async (tenant: string, priority: JobPriority, idleMs?: number) => {
      const { config } = await info();
      await jsm.consumers.add(
        names.jobs,
        tenantConsumerConfig(config, { tenant, model, priority }, prefix, idleMs),
      );
    };
    const tenantIdleMs = async (tenant: string, priority: JobPriority) => {
      const name = tenantConsumerName(tenant, model, priority);
      const { config } = await jsm.consumers.info(names.jobs, name);
      return (config.inactive_threshold ?? 0) / 1_000_000;
    };
    /** Records the size of every pull request sent to the model's own consumer from now on. */
    const watchPulls = async () => {
      const sizes: number[] = [];
      const sub = nc.subscribe(
        `$JS.API.CONSUMER.MSG.NEXT.${names.jobs}.${modelConsumerName(model)}`,
        {
          callback: (_error, msg) => {
            sizes.push(msg.json<{ batch: number }>().batch);
          },
        },
      );
      await nc.flush();
      return { sizes, stop: () => sub.unsubscribe() };
    };
    return {
      start,
      startTakingTenants,
      queued,
      info,
      publish,
      removeConsumer,
      addTenantConsumer,
      tenantIdleMs,
      watchPulls,
    };
  }

  it('never runs more jobs at once than its concurrency', async () => {
    const { start, queued } = await setUp('bounded', 10);
    let running = 0;
    let peak = 0;
    let done = 0;
    await start({
      concurrency: 3,
      handler: async ({ control }) => {
        running += 1;
        peak = Math.max(peak, running);
        await sleep(60);
        running -= 1;
        done += 1;
        await control.ack();
      },
    });
    await waitFor(() => done === 10, 5_000, 'all ten jobs');
    expect(peak).toBe(3);
    await waitFor(async () => (await queued()) === 0);
  });

  it('takes a steady trickle of jobs with a doorbell that grows: a pull request per 16 jobs, not per job', async () => {
    const { start, publish, watchPulls, queued } = await setUp('trickle', 0);
    const pulls = await watchPulls();
    let done = 0;
    // Long pulls, so that none expires short while the jobs trickle in on a busy machine.
    await start({
      concurrency: 64,
      pullExpiresMs: 30_000,
      handler: async ({ control }) => {
        await control.ack();
        done += 1;
      },
    });
    for (let i = 1; i <= 40; i += 1) {
      await publish();
      await waitFor(() => done === i, 3_000, `job ${i}`);
    }
    await waitFor(async () => (await queued()) === 0, 3_000, 'every job acked');
    pulls.stop();
    // 1 + 2 + 4 + 8 + 16 = 31 jobs in five pulls; the sixth, open now, took the other nine.
    expect(pulls.sizes).toEqual([1, 2, 4, 8, 16, 16]);
  });

  it('keeps its concurrency when jobs land on a grown doorbell while a batch runs', async () => {
    const { start, publish, watchPulls, queued } = await setUp('grown-doorbell', 0);
    const pulls = await watchPulls();
    let running = 0;
    let peak = 0;
    let done = 0;
    let holdMs = 0;
    await start({
      concurrency: 6,
      pullExpiresMs: 30_000,
      handler: async ({ control }) => {
        running += 1;
        peak = Math.max(peak, running);
        await sleep(holdMs);
        running -= 1;
        await control.ack();
        done += 1;
      },
    });
    // Jobs one at a time until the doorbell open is a grown one: at most half the free slots,
    // 2 or 3 as the last job is or is not still running when it opens (sizes, not jobs).
    let published = 0;
    while ((pulls.sizes.at(-1) ?? 1) < 2 && published < 20) {
      published += 1;
      await publish();
      await waitFor(() => done === published, 3_000, `job ${published}`);
      await sleep(20);
    }
    expect(pulls.sizes.at(-1)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...pulls.sizes)).toBeLessThanOrEqual(3);
    // A batch fills the slots the doorbell leaves, then interactive jobs land on the doorbell.
    holdMs = 300;
    for (let i = 0; i < 20; i += 1) await publish('batch');
    await waitFor(() => running > 0, 3_000, 'the batch to start');
    await sleep(100);
    for (let i = 0; i < 20; i += 1) await publish();
    await waitFor(() => done === published + 40, 10_000, 'both bursts');
    await waitFor(async () => (await queued()) === 0, 3_000, 'every job acked');
    pulls.stop();
    expect(done).toBe(published + 40);
    // The batch lane counted the doorbell's other slots as taken: one job beyond the limit at
    // most (the doorbell's own slot), not the whole doorbell.
    expect(peak).toBe(7);
  });

  it('pulls nothing while paused and resumes where it stopped', async () => {
    const { start, queued, publish } = await setUp('pause', 0);
    let handled = 0;
    const consumer = await start({
      concurrency: 2,
      startPaused: true,
      handler: async ({ control }) => {
        handled += 1;
        await control.ack();
      },
    });
    await publish();
    await sleep(1_300);
    expect([consumer.paused, handled, await queued()]).toEqual([true, 0, 1]);
    consumer.resume();
    await waitFor(() => handled === 1, 3_000, 'the job after resume');

    consumer.pause(2_000);
    await sleep(1_200); // let the pull that was waiting expire
    await publish();
    await sleep(200);
    expect(handled).toBe(1);
    await waitFor(() => !consumer.paused && handled === 2, 3_000, 'the timed pause to end');
  });

  it('stops gracefully: no new pulls, and the job in flight finishes and is acked', async () => {
    const { start, queued, publish } = await setUp('stop', 1);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    const consumer = await start({
      concurrency: 2,
      handler: async ({ control }) => {
        started += 1;
        await gate;
        await control.ack();
      },
    });
    await waitFor(() => started === 1, 3_000, 'the job to start');
    const stopping = consumer.stop();
    await sleep(100);
    release();
    expect(await stopping).toEqual({ finished: 1, handedBack: 0 });
    await consumer.closed;
    await publish();
    await sleep(300);
    expect([started, await queued()]).toEqual([1, 1]);
  });

  it('hands jobs still running after the grace back to another worker at once', async () => {
    const { start } = await setUp('grace', 1);
    let aborted = false;
    const stuck = await start({
      concurrency: 1,
      handler: ({ signal }) =>
        new Promise<void>((resolve) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            resolve();
          });
        }),
    });
    await waitFor(() => stuck.inFlight === 1, 3_000, 'the job to start');
    expect(await stuck.stop({ graceMs: 200 })).toEqual({ finished: 0, handedBack: 1 });
    expect(aborted).toBe(true);

    const attempts: number[] = [];
    await start({
      concurrency: 1,
      handler: async ({ attempt, control }) => {
        attempts.push(attempt);
        await control.ack();
      },
    });
    await waitFor(() => attempts.length === 1, 3_000, 'the handed-back job');
    expect(attempts).toEqual([2]);
  });

  it('marks a first delivery behind one it already had as delivered before (its consumer lost deliveries)', async () => {
    const { start, queued, removeConsumer } = await setUp('lost-deliveries', 2);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const seen: { seq: number; attempt: number; deliveredBefore: boolean }[] = [];
    const consumer = await start({
      concurrency: 2,
      handler: async ({ streamSequence, attempt, deliveredBefore, control }) => {
        seen.push({ seq: streamSequence, attempt, deliveredBefore });
        if (seen.length === 1) await gate;
        await control.ack();
      },
    });
    await waitFor(() => seen.length === 2 && consumer.inFlight === 1, 3_000, 'both jobs');
    const addBack = await removeConsumer();
    release(); // the first job's ack goes to no consumer: it is lost
    await waitFor(() => consumer.inFlight === 0, 3_000, 'the first job to finish');
    await addBack();
    await waitFor(async () => (await queued()) === 0, 10_000, 'the lost job to be acked');
    const [first, second] = seen;
    expect(seen).toEqual([
      { seq: first?.seq, attempt: 1, deliveredBefore: false },
      { seq: second?.seq, attempt: 1, deliveredBefore: false },
      { seq: first?.seq, attempt: 1, deliveredBefore: true },
    ]);
    expect(second?.seq).toBeGreaterThan(first?.seq ?? Infinity);
  });

  it('leaves a job delivered again while it is handled here to the first delivery', async () => {
    const { start, queued, info, removeConsumer } = await setUp('in-flight-again', 1);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let handled = 0;
    await start({
      concurrency: 2,
      handler: async ({ control }) => {
        handled += 1;
        await gate;
        await control.ack();
      },
    });
    await waitFor(() => handled === 1, 3_000, 'the job to start');
    await (
      await removeConsumer()
    )();
    await waitFor(async () => (await info()).num_ack_pending === 1, 10_000, 'the second delivery');
    await sleep(300); // the second delivery reaches the consumer
    release();
    // The first delivery's ack settles the message: the server matches it by stream sequence.
    await waitFor(async () => (await queued()) === 0, 3_000, 'the job to be acked');
    expect(handled).toBe(1);
  });

  it('naks a job whose handler throws or leaves it unsettled', async () => {
    const { start, queued } = await setUp('unsettled', 2);
    const attemptsById = new Map<string, number[]>();
    await start({
      concurrency: 2,
      unsettledNakDelayMs: 200,
      handler: async (delivery) => {
        const id = delivery.ok ? delivery.job.id : 'invalid';
        const attempts = [...(attemptsById.get(id) ?? []), delivery.attempt];
        attemptsById.set(id, attempts);
        if (delivery.attempt > 1) return delivery.control.ack();
        if (attemptsById.size === 1) throw new Error('handler bug');
      },
    });
    await waitFor(
      () => [...attemptsById.values()].every((a) => a.length === 2) && attemptsById.size === 2,
      5_000,
      'both jobs to be redelivered',
    );
    expect([...attemptsById.values()]).toEqual([
      [1, 2],
      [1, 2],
    ]);
    await waitFor(async () => (await queued()) === 0);
  });

  it('counts the handler failures of a message and backs off twice as long after each', async () => {
    const { start, queued } = await setUp('backoff', 1);
    const seen: { failures: number; at: number }[] = [];
    await start({
      concurrency: 1,
      unsettledNakDelayMs: 200,
      handler: async (delivery) => {
        seen.push({ failures: delivery.handlerFailures, at: Date.now() });
        if (delivery.handlerFailures < 3) throw new Error('handler bug');
        await delivery.control.ack();
      },
    });
    await waitFor(() => seen.length === 4, 8_000, 'three failures and a success');
    expect(seen.map((s) => s.failures)).toEqual([0, 1, 2, 3]);
    const gaps = seen.slice(1).map((s, i) => s.at - (seen[i]?.at ?? 0));
    expect(gaps[0]).toBeGreaterThanOrEqual(200 - 20);
    expect(gaps[1]).toBeGreaterThanOrEqual(400 - 20);
    expect(gaps[2]).toBeGreaterThanOrEqual(800 - 20);
    await waitFor(async () => (await queued()) === 0);
  });

  it('lets a handler settle its job itself once the grace ran out, and hands back the rest', async () => {
    const { start, queued } = await setUp('settle-on-stop', 2);
    const acked: number[] = [];
    let started = 0;
    const stopping = await start({
      concurrency: 2,
      handBackWaitMs: 1_000,
      handler: ({ control, signal, streamSequence }) => {
        started += 1;
        const settlesItself = started === 1;
        return new Promise<void>((resolve) => {
          signal.addEventListener('abort', () => {
            if (!settlesItself) return resolve();
            void control.ack().then(() => {
              acked.push(streamSequence);
              resolve();
            });
          });
        });
      },
    });
    await waitFor(() => stopping.inFlight === 2, 3_000, 'both jobs to start');
    expect(await stopping.stop({ graceMs: 100 })).toEqual({ finished: 1, handedBack: 1 });
    expect(acked).toHaveLength(1);
    await waitFor(async () => (await queued()) === 1, 3_000, 'only the handed-back job');
  });

  it('keeps a long job from being redelivered by sending working() while it runs', async () => {
    const { start, info } = await setUp('progress', 1, 1_000);
    let runs = 0;
    let acked = false;
    // A second slot keeps a pull open, to which an expired AckWait would redeliver the job.
    await start({
      concurrency: 2,
      handler: async ({ control }) => {
        runs += 1;
        await sleep(2_500);
        await control.ack();
        acked = true;
      },
    });
    await waitFor(() => acked, 5_000, 'the ack');
    // The server takes the ack in its own time; a redelivery would be a second consumer sequence.
    await waitFor(async () => (await info()).num_ack_pending === 0, 3_000, 'the ack to land');
    expect([runs, (await info()).delivered.consumer_seq]).toEqual([1, 1]);
  });

  it('serves interactive jobs before a batch backlog, keeping batch its share', async () => {
    const lanes = await setUp('lanes', 0);
    for (let i = 0; i < 40; i += 1) await lanes.publish('batch');
    const order: string[] = [];
    const release: (() => void)[] = [];
    const consumer = await lanes.start({
      concurrency: 10,
      handler: async ({ priority, control }) => {
        order.push(priority);
        await new Promise<void>((resolve) => release.push(resolve));
        await control.ack();
      },
    });
    await waitFor(() => order.length === 10, 3_000, 'the batch to fill every slot');
    expect(consumer.consumerName).toBe(modelConsumerName(model));
    expect(consumer.tenantConsumerNames).toEqual([tenantConsumerName('default', model, 'batch')]);
    for (let i = 0; i < 20; i += 1) await lanes.publish('interactive');
    // The first interactive job starts at once (its lane's own open pull); the rest wait for slots.
    await waitFor(() => order.length === 11, 3_000, 'the first interactive job');
    const deadline = Date.now() + 15_000;
    while (order.length < 60 && Date.now() < deadline) {
      release.shift()?.();
      await sleep(5);
    }
    while (release.length > 0) release.shift()?.();
    expect(order).toHaveLength(60);
    expect(order.slice(0, 10)).toEqual(Array(10).fill('batch'));
    expect(order[10]).toBe('interactive');
    // Slots freed while interactive jobs waited went to them, but for batch's share (1 of 10).
    const lastInteractive = order.lastIndexOf('interactive');
    const batchMeanwhile = order.slice(11, lastInteractive).filter((p) => p === 'batch').length;
    expect(batchMeanwhile).toBeGreaterThanOrEqual(1);
    expect(batchMeanwhile).toBeLessThanOrEqual(3);
  });

  it('takes turns between tenants in the batch lane: a second tenant does not wait for the first’s backlog', async () => {
    const lanes = await setUp('tenant-turns', 0);
    for (let i = 0; i < 60; i += 1) await lanes.publish('batch', 'deep');
    const order: string[] = [];
    const consumer = await lanes.start({
      concurrency: 2,
      handler: async (delivery) => {
        order.push(delivery.ok ? delivery.job.tenant : 'invalid');
        const { control } = delivery;
        await sleep(15);
        await control.ack();
      },
    });
    await waitFor(() => order.length >= 5, 3_000, 'the first tenant’s jobs to start');
    for (let i = 0; i < 10; i += 1) await lanes.publish('batch', 'light');
    await waitFor(() => order.length === 70, 15_000, 'both tenants’ jobs');
    expect(order.filter((tenant) => tenant === 'light')).toHaveLength(10);
    // In one queue the second tenant's jobs would come last (positions 60-69); in turns they
    // are done while most of the first tenant's backlog still waits.
    expect(order.lastIndexOf('light')).toBeLessThan(45);
    expect(consumer.tenantConsumerNames).toEqual([
      tenantConsumerName('default', model, 'batch'),
      tenantConsumerName('deep', model, 'batch'),
      tenantConsumerName('light', model, 'batch'),
    ]);
    await waitFor(async () => (await lanes.queued()) === 0, 3_000, 'every job acked');
  });

  it('takes turns between tenants in the interactive lane too', async () => {
    const lanes = await setUp('interactive-turns', 0);
    for (let i = 0; i < 60; i += 1) await lanes.publish('interactive', 'deep');
    const order: string[] = [];
    const consumer = await lanes.start({
      concurrency: 2,
      handler: async (delivery) => {
        order.push(delivery.ok ? delivery.job.tenant : 'invalid');
        await sleep(15);
        await delivery.control.ack();
      },
    });
    await waitFor(() => order.length >= 5, 3_000, 'the first tenant’s jobs to start');
    for (let i = 0; i < 10; i += 1) await lanes.publish('interactive', 'light');
    for (let i = 0; i < 10; i += 1) await lanes.publish('interactive', 'default');
    await waitFor(() => order.length === 80, 15_000, 'every tenant’s jobs');
    // In one queue the later tenants' jobs would come last (positions 60-79); in turns they
    // are done while most of the first tenant's backlog still waits.
    for (const tenant of ['light', 'default']) {
      expect(order.filter((t) => t === tenant)).toHaveLength(10);
      expect(order.lastIndexOf(tenant)).toBeLessThan(55);
    }
    expect(consumer.tenantConsumerNames).toEqual([
      tenantConsumerName('deep', model, 'interactive'),
      tenantConsumerName('light', model, 'interactive'),
      tenantConsumerName('default', model, 'batch'),
    ]);
    await waitFor(async () => (await lanes.queued()) === 0, 3_000, 'every job acked');
  });

  it('keeps a pull open on each tenant’s interactive consumer: a job is taken without waiting for the scan', async () => {
    const lanes = await setUp('doorbells', 0);
    for (const tenant of ['acme', 'beta']) await lanes.addTenantConsumer(tenant, 'interactive');
    const taken = await lanes.startTakingTenants({ concurrency: 4, tenantScanMs: 60_000 });
    await sleep(300);
    for (const tenant of ['beta', 'acme', 'default', 'acme']) {
      await lanes.publish('interactive', tenant);
      await sleep(20);
    }
    // The scan runs once a minute here: only the consumers' open pulls can take these.
    await waitFor(() => taken.length === 4, 3_000, 'the jobs of every known consumer');
    expect([...taken].sort()).toEqual(['acme', 'acme', 'beta', 'default']);
  });

  it("makes tenant default's batch consumer at start: a batch's first job does not wait for the scan", async () => {
    const lanes = await setUp('default-batch', 0);
    const taken: string[] = [];
    const consumer = await lanes.start({
      concurrency: 4,
      tenantScanMs: 60_000,
      handler: async (delivery) => {
        taken.push(delivery.ok ? `${delivery.job.tenant} ${delivery.job.priority}` : 'invalid');
        await delivery.control.ack();
      },
    });
    expect(consumer.tenantConsumerNames).toEqual([tenantConsumerName('default', model, 'batch')]);
    await sleep(300);
    await lanes.publish('batch');
    // The scan runs once a minute here: only the pull kept open on the consumer can take it.
    await waitFor(() => taken.length === 1, 3_000, "tenant default's batch job");
    expect(taken).toEqual(['default batch']);
  });

  it("takes an interactive job at once while the batch consumer's doorbell holds a slot", async () => {
    const lanes = await setUp('doorbell-slots', 0);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const taken: string[] = [];
    await lanes.start({
      concurrency: 2,
      // Neither the scan nor an expiring pull can take the second job within the wait below.
      tenantScanMs: 60_000,
      pullExpiresMs: 60_000,
      handler: async (delivery) => {
        taken.push(delivery.priority);
        await gate;
        await delivery.control.ack();
      },
    });
    await sleep(300); // both consumers' doorbells are open
    await lanes.publish('interactive');
    await waitFor(() => taken.length === 1, 3_000, 'the first interactive job');
    // One slot runs the first job and the batch doorbell holds the other: the model's own
    // doorbell opens again all the same, interactive first.
    await lanes.publish('interactive');
    await waitFor(() => taken.length === 2, 3_000, 'the second interactive job');
    expect(taken).toEqual(['interactive', 'interactive']);
    release();
    await waitFor(async () => (await lanes.queued()) === 0, 3_000, 'both jobs acked');
  });

  it("keeps tenants' consumers an hour longer than the answers, also those an earlier version made", async () => {
    const lanes = await setUp('idle-limit', 0);
    // As made before: removed after an hour without a pull, unacknowledged deliveries and all.
    await lanes.addTenantConsumer('acme', 'interactive', 3_600_000);
    const taken = await lanes.startTakingTenants({ concurrency: 4, answersMaxAgeMs: 7_200_000 });
    expect(await lanes.tenantIdleMs('acme', 'interactive')).toBe(3 * 3_600_000);
    await lanes.publish('batch', 'beta');
    await lanes.publish('interactive', 'acme');
    await waitFor(() => taken.length === 2, 5_000, "both tenants' jobs");
    expect(await lanes.tenantIdleMs('beta', 'batch')).toBe(3 * 3_600_000);
  });
});
