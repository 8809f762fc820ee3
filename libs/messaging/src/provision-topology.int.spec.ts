import { jetstream, jetstreamManager, AckPolicy, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { createLogger } from '@switchyard/telemetry';
import { createSubjects, modelConsumerName, streamNames } from '@switchyard/contracts';
import { startTestNats, uniquePrefix, type TestServer } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeNats, connectNats } from './connection';
import { makeJob } from './job-fixtures.test-support';
import { TopologyConflictError } from './messaging.errors';
import { ensureConsumer } from './ensure-consumer';
import { tenantConsumerConfig } from './topology-plan';
import { provisionTopology } from './provision-topology';
import { publishJob } from './publish-job';
import { serverSupports } from './server-version';

const logger = createLogger({ name: 'messaging-spec', level: 'silent' });

/** Settings isolated to one test: its own subject root and stream prefix. */
function isolated(label: string, models: string[] = ['fast-triage-model', 'openai/gpt-4o']) {
  const prefix = uniquePrefix(label);
  return {
    subjectRoot: prefix,
    streamPrefix: prefix.slice(0, 32),
    models,
    ackWaitMs: 60_000,
    logger,
  };
}

describe('provisionTopology against nats-server', () => {
  let server: TestServer;
  let nc: NatsConnection;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    server = await startTestNats();
    nc = await connectNats({ servers: server.url, name: 'messaging-provision-spec', logger });
    jsm = await jetstreamManager(nc);
  });

  afterAll(async () => {
    if (nc) await closeNats(nc);
    await server?.stop();
  });

  it('creates the six streams and one consumer per model, then changes nothing', async () => {
    const settings = isolated('create');
    const first = await provisionTopology(nc, settings);
    const names = streamNames(settings.streamPrefix);
    expect(Object.values(first.streams).map((s) => s.outcome)).toEqual(Array(6).fill('created'));
    expect(first.consumers.map((c) => [c.name, c.outcome])).toEqual([
      ['model-fast-triage-model', 'created'],
      ['model-openai~2Fgpt-4o', 'created'],
    ]);

    const jobs = await jsm.streams.info(names.jobs);
    expect(jobs.config).toMatchObject({
      retention: 'workqueue',
      storage: 'file',
      subjects: [`${settings.subjectRoot}.jobs.>`],
      duplicate_window: 120_000_000_000,
    });
    expect((await jsm.streams.info(names.dlq)).config.retention).toBe('limits');
    expect((await jsm.streams.info(names.usage)).config.retention).toBe('limits');
    const consumer = await jsm.consumers.info(names.jobs, 'model-openai~2Fgpt-4o');
    expect(consumer.config).toMatchObject({
      durable_name: 'model-openai~2Fgpt-4o',
      filter_subject: `${settings.subjectRoot}.jobs.default.openai~2Fgpt-4o`,
      ack_policy: 'explicit',
      deliver_policy: 'all',
      ack_wait: 60_000_000_000,
    });
    // A tenant's batch consumer, as a worker makes it: the server keeps every setting (its
    // idle removal too), so making it again changes nothing.
    const tenantBatch = tenantConsumerConfig(
      consumer.config,
      { tenant: 'acme', model: 'openai/gpt-4o', priority: 'batch' },
      settings.subjectRoot,
    );
    expect(await ensureConsumer(jsm, names.jobs, tenantBatch)).toBe('created');
    expect(await ensureConsumer(jsm, names.jobs, tenantBatch)).toBe('unchanged');
    const batch = await jsm.consumers.info(names.jobs, 'batch-acme~openai~2Fgpt-4o');
    expect(batch.config).toMatchObject({
      filter_subject: `${settings.subjectRoot}.jobs.acme.openai~2Fgpt-4o.batch`,
      inactive_threshold: 25 * 3_600_000 * 1_000_000,
      ack_wait: 60_000_000_000,
    });

    const second = await provisionTopology(nc, settings);
    expect(Object.values(second.streams).map((s) => s.outcome)).toEqual(Array(6).fill('unchanged'));
    expect(second.consumers.map((c) => c.outcome)).toEqual(Array(2).fill('unchanged'));
    expect(second.unknownConsumers).toEqual([]);
  });

  it('is safe to run from three replicas at once', async () => {
    const settings = isolated('concurrent', ['a', 'b', 'c', 'd']);
    const runs = await Promise.all([1, 2, 3].map(() => provisionTopology(nc, settings)));
    for (const run of runs) expect(run.consumers).toHaveLength(4);
    const created = runs.flatMap((run) => run.consumers).filter((c) => c.outcome === 'created');
    expect(created.length).toBeGreaterThanOrEqual(4);
    const names = streamNames(settings.streamPrefix);
    const consumers: string[] = [];
    for await (const info of jsm.consumers.list(names.jobs)) consumers.push(info.name);
    expect(consumers.sort()).toEqual(['a', 'b', 'c', 'd'].map((m) => `model-${m}`));
    const again = await provisionTopology(nc, settings);
    expect(again.consumers.every((c) => c.outcome === 'unchanged')).toBe(true);
  });

  it('updates a consumer whose AckWait or max ack pending changed, keeping its jobs', async () => {
    const settings = isolated('ackwait', ['m']);
    await provisionTopology(nc, settings);
    const subjects = createSubjects(settings.subjectRoot);
    await publishJob(jetstream(nc), makeJob({ model: 'm' }), { subjects });

    const changed = await provisionTopology(nc, {
      ...settings,
      ackWaitMs: 90_000,
      maxAckPending: 7,
    });
    expect(changed.consumers[0]?.outcome).toBe('updated');
    const names = streamNames(settings.streamPrefix);
    const info = await jsm.consumers.info(names.jobs, modelConsumerName('m'));
    expect(info.config.ack_wait).toBe(90_000_000_000);
    expect(info.config.max_ack_pending).toBe(7);
    expect(info.num_pending).toBe(1);
  });

  it('updates a stream whose managed settings changed, keeping its messages', async () => {
    const settings = isolated('streamupdate', ['m']);
    await provisionTopology(nc, settings);
    await jetstream(nc).publish(`${settings.subjectRoot}.results.b1`, 'kept');
    const changed = await provisionTopology(nc, {
      ...settings,
      resultsMaxAgeMs: 3_600_000,
      maxBytes: { results: 1_048_576 },
    });
    expect(changed.streams.results.outcome).toBe('updated');
    expect(changed.streams.jobs.outcome).toBe('unchanged');
    const info = await jsm.streams.info(streamNames(settings.streamPrefix).results);
    expect([info.config.max_age, info.config.max_bytes, info.state.messages]).toEqual([
      3_600_000_000_000, 1_048_576, 1,
    ]);
  });

  it('changes the filter of a same-named consumer only where the server can (2.10+)', async () => {
    const settings = isolated('filter', ['m']);
    const names = streamNames(settings.streamPrefix);
    await provisionTopology(nc, { ...settings, models: [] });
    await jsm.consumers.add(names.jobs, {
      durable_name: modelConsumerName('m'),
      ack_policy: AckPolicy.Explicit,
      filter_subject: `${settings.subjectRoot}.jobs.*.elsewhere`,
    });
    const attempt = provisionTopology(nc, settings);
    const info = () => jsm.consumers.info(names.jobs, modelConsumerName('m'));
    if (serverSupports(nc, 'consumerFilterUpdate')) {
      expect((await attempt).consumers[0]?.outcome).toBe('updated');
      expect((await info()).config.filter_subject).toBe(`${settings.subjectRoot}.jobs.default.m`);
    } else {
      await expect(attempt).rejects.toThrow(/filter_subject: .*does not delete consumers/);
      expect((await info()).config.filter_subject).toBe(`${settings.subjectRoot}.jobs.*.elsewhere`);
    }
  });

  it('replaces a model consumer of every tenant (an earlier version’s) once no job is in flight', async () => {
    const settings = isolated('legacy', ['m']);
    const names = streamNames(settings.streamPrefix);
    await provisionTopology(nc, { ...settings, models: [] });
    await jsm.consumers.add(names.jobs, {
      durable_name: modelConsumerName('m'),
      ack_policy: AckPolicy.Explicit,
      filter_subject: `${settings.subjectRoot}.jobs.*.m`,
    });
    const subjects = createSubjects(settings.subjectRoot);
    const js = jetstream(nc);
    for (const tenant of ['acme', 'default', 'acme']) {
      await publishJob(js, makeJob({ model: 'm', tenant }), { subjects });
    }
    const legacy = await js.consumers.get(names.jobs, modelConsumerName('m'));
    const inFlight = await legacy.next({ expires: 2_000 });
    expect(inFlight).not.toBeNull();
    if (!serverSupports(nc, 'consumerFilterUpdate')) {
      await expect(provisionTopology(nc, settings)).rejects.toThrow(
        /has 1 jobs in flight.*Stop the workers of the earlier version/,
      );
    }
    await inFlight?.ackAck();

    const result = await provisionTopology(nc, settings);
    expect(result.consumers[0]?.filterSubject).toBe(`${settings.subjectRoot}.jobs.default.m`);
    // The stream kept the jobs not acked: default's waits in the new consumer, acme's for its own.
    expect((await jsm.streams.info(names.jobs)).state.messages).toBe(2);
    expect((await jsm.consumers.info(names.jobs, modelConsumerName('m'))).num_pending).toBe(1);
  });

  it('gives models whose names are prefixes of each other their own jobs', async () => {
    const models = ['gpt', 'gpt-4', 'gpt.4', 'gpt/4', 'openai/gpt', 'openai/gpt-4o'];
    const settings = isolated('prefixes', models);
    const result = await provisionTopology(nc, settings);
    expect(result.consumers.map((c) => c.outcome)).toEqual(models.map(() => 'created'));

    const js = jetstream(nc);
    const subjects = createSubjects(settings.subjectRoot);
    for (const model of models) await publishJob(js, makeJob({ model }), { subjects });
    const names = streamNames(settings.streamPrefix);
    for (const model of models) {
      const info = await jsm.consumers.info(names.jobs, modelConsumerName(model));
      expect([model, info.num_pending]).toEqual([model, 1]);
    }
  });

  it('leaves consumers it does not own alone and reports them, but not tenants’ lane consumers', async () => {
    const settings = isolated('unknown', ['kept']);
    const first = await provisionTopology(nc, settings);
    const names = streamNames(settings.streamPrefix);
    await jsm.consumers.add(names.jobs, {
      durable_name: 'operator-made',
      ack_policy: AckPolicy.Explicit,
      filter_subject: `${settings.subjectRoot}.jobs.*.retired-model`,
    });
    const own = await jsm.consumers.info(names.jobs, first.consumers[0]?.name ?? '');
    for (const priority of ['interactive', 'batch'] as const) {
      await jsm.consumers.add(
        names.jobs,
        tenantConsumerConfig(
          own.config,
          { tenant: 'acme', model: 'kept', priority },
          settings.subjectRoot,
        ),
      );
    }
    const again = await provisionTopology(nc, settings);
    expect(again.unknownConsumers).toEqual(['operator-made']);
    expect((await jsm.consumers.info(names.jobs, 'operator-made')).name).toBe('operator-made');
  });

  it('refuses to touch a jobs stream with another retention, and keeps its messages', async () => {
    const settings = isolated('conflict', ['m']);
    const names = streamNames(settings.streamPrefix);
    await jsm.streams.add({ name: names.jobs, subjects: [`${settings.subjectRoot}.jobs.>`] });
    await jetstream(nc).publish(`${settings.subjectRoot}.jobs.default.m`, 'kept');

    const attempt = provisionTopology(nc, settings);
    await expect(attempt).rejects.toBeInstanceOf(TopologyConflictError);
    await expect(attempt).rejects.toThrow(/retention: "limits" → "workqueue"/);
    const info = await jsm.streams.info(names.jobs);
    expect([info.config.retention, info.state.messages]).toEqual(['limits', 1]);
  });
});
