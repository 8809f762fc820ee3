import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { createInbox, type NatsConnection } from '@nats-io/nats-core';
import { ConnectionError, Switchyard, querySpend } from '@switchyard/client';
import { serviceNatsOptions } from '@switchyard/config';
import {
  createSubjects,
  keysBucketName,
  ServiceRoles,
  streamNames,
  tenantInboxPrefix,
  type ServiceRole,
} from '@switchyard/contracts';
import { startBatchRunner, type BatchRunner } from '@switchyard/batch';
import { startFallbackRouter, type FallbackRouter } from '@switchyard/fallback';
import { startGateway, type RunningGateway } from '@switchyard/gateway';
import { startMetering, type Metering } from '@switchyard/metering';
import { findFreePort, startNatsServer, type LocalServer } from '@switchyard/local-servers';
import { closeNats, connectNats, switchyardHeaders } from '@switchyard/messaging';
import { natsAuthConfig, serviceUserName } from '@switchyard/nats-auth';
import { startProviderSim, type ProviderSimHandle } from '@switchyard/provider-sim';
import { startTestRedis, type TestServer } from '@switchyard/testing';
import { startWorker, type RunningWorker } from '@switchyard/worker';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createInstallation,
  directAnswer,
  questionMessages,
  quietLogger,
  type Installation,
  type PipelineServers,
  waitUntil,
} from '../pipeline/pipeline-harness.test-support';
import { readUsageEvents } from '../cluster/usage-events.test-support';
import { trySubscribe, tryPublish, watchServerErrors } from './nats-permissions.test-support';

const passwords = { acme: 'acme "pw" \\ $x', globex: 'globex-pw' } as const;
const rolePassword = (role: ServiceRole) => `${role}-pw`;

describe('tenant isolation with the generated NATS authorization config', () => {
  let dataDir: string;
  let nats: LocalServer;
  let redisServer: TestServer;
  let sim: ProviderSimHandle;
  let install: Installation;
  let servers: PipelineServers;
  let service: NatsConnection;
  let workerNc: NatsConnection;
  let fallbackNc: NatsConnection;
  let gatewayNc: NatsConnection;
  let meteringNc: NatsConnection;
  let batchNc: NatsConnection;
  let batchRunner: BatchRunner;
  let gateway: RunningGateway;
  let metering: Metering;
  let redis: Redis;
  let worker: RunningWorker;
  let router: FallbackRouter;
  let acme: NatsConnection;
  let acmeErrors: string[];
  let globex: NatsConnection;

  const connectTenant = (tenant: keyof typeof passwords) =>
    connectNats({
      servers: nats.url,
      name: `tenant-${tenant}`,
      user: tenant,
      pass: passwords[tenant],
      inboxPrefix: tenantInboxPrefix(tenant),
      logger: quietLogger,
    });
  /** A connection as a service role logs in: its user, its password, its inbox prefix. */
  const connectRole = (role: ServiceRole) =>
    connectNats({
      ...serviceNatsOptions(install.config, role),
      user: serviceUserName(role),
      pass: rolePassword(role),
      name: `switchyard-${role}`,
      logger: quietLogger,
    });
  const clientOf = (nc: NatsConnection, tenant: string) =>
    new Switchyard({
      nc,
      tenant,
      subjectRoot: install.prefix,
      streamPrefix: install.prefix,
      timeoutMs: 20_000,
    });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'switchyard-tenancy-'));
    const port = await findFreePort();
    [redisServer, sim] = await Promise.all([startTestRedis(), startProviderSim({ port: 0 })]);
    const url = `nats://127.0.0.1:${port}`;
    servers = {
      nats: { url, source: 'binary', stop: () => Promise.resolve() },
      redis: redisServer,
      sim,
      stop: () => Promise.resolve(),
    };
    // `idle` is served by no running worker (no gemini pool here): its jobs wait in the queue.
    install = createInstallation(servers, 'tenancy', {
      models: {
        chat: 'openai',
        embed: [{ provider: 'openai', model: 'text-embedding-3-small' }],
        idle: 'gemini',
      },
    });
    const configPath = join(dataDir, 'auth.conf');
    await writeFile(
      configPath,
      natsAuthConfig({
        subjectRoot: install.prefix,
        streamPrefix: install.prefix,
        services: Object.fromEntries(
          ServiceRoles.map((role) => [role, { password: rolePassword(role) }]),
        ),
        tenants: [
          { tenant: 'acme', password: passwords.acme },
          { tenant: 'globex', password: passwords.globex },
        ],
      }),
    );
    nats = await startNatsServer({
      port,
      dataDir: join(dataDir, 'js'),
      extraArgs: ['-c', configPath],
    });
    // The test's own reads (stream state, usage) use the admin user; every service runs as its
    // own role's user, as deploy/ runs them.
    service = await connectRole('admin');
    [workerNc, fallbackNc, gatewayNc, meteringNc, batchNc] = await Promise.all([
      connectRole('worker'),
      connectRole('fallback'),
      connectRole('gateway'),
      connectRole('metering'),
      connectRole('batch'),
    ]);
    redis = new Redis(redisServer.url);
    worker = await startWorker({
      config: install.config,
      provider: 'openai',
      nc: workerNc,
      redis,
      logger: quietLogger,
    });
    router = await startFallbackRouter({
      config: install.config,
      nc: fallbackNc,
      logger: quietLogger,
    });
    metering = await startMetering({ config: install.config, nc: meteringNc, redis });
    gateway = await startGateway({ config: install.config, nc: gatewayNc, redis, port: 0 });
    batchRunner = await startBatchRunner({
      config: install.config,
      nc: batchNc,
      logger: quietLogger,
      progressEveryMs: 100,
    });
    acme = await connectTenant('acme');
    acmeErrors = watchServerErrors(acme);
    globex = await connectTenant('globex');
  });

  afterAll(async () => {
    await worker?.stop(0);
    await router?.stop();
    await gateway?.close(0);
    await metering?.stop();
    await batchRunner?.stop();
    for (const nc of [
      acme,
      globex,
      service,
      workerNc,
      fallbackNc,
      gatewayNc,
      meteringNc,
      batchNc,
    ]) {
      if (nc !== undefined) await closeNats(nc);
    }
    redis?.disconnect();
    await Promise.all([nats?.stop(), redisServer?.stop(), sim?.stop()]);
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  });

  it('serves a tenant’s own job end to end, metered under that tenant', async () => {
    const expected = await directAnswer(servers, 'openai');
    const result = await clientOf(acme, 'acme').chat.completions.create({
      model: 'chat',
      messages: questionMessages,
    });
    expect(result.choices[0]?.message.content).toBe(expected);
    const stream = await clientOf(globex, 'globex').chat.completions.create({
      model: 'chat',
      messages: questionMessages,
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe(expected);
    await waitUntil(
      async () => (await readUsageEvents(service, install.prefix)).events.length >= 2,
    );
    const usage = await readUsageEvents(service, install.prefix);
    expect(usage.events.map((e) => [e.tenant, e.job_id]).sort()).toEqual([
      ['acme', result.switchyard.job_id],
      ['globex', stream.jobId],
    ]);
  });

  it('serves an HTTP request through the gateway and meters it, every service as its own role', async () => {
    const expected = await directAnswer(servers, 'openai');
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'chat', messages: questionMessages }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { choices: { message: { content: string } }[] };
    expect(body.choices[0]?.message.content).toBe(expected);
    const subjects = createSubjects(install.prefix);
    await waitUntil(async () => {
      const spend = await querySpend(service, subjects, { by: 'tenant', since: '1h' });
      return spend.rows.some((row) => row.key === 'default' && row.requests === 1);
    }, 20_000);
  });

  it('runs a batch uploaded over HTTP, the gateway and the batch runner each as its own role', async () => {
    const expected = await directAnswer(servers, 'openai');
    const lines = ['a', 'b', 'c'].map((id) =>
      JSON.stringify({
        custom_id: id,
        method: 'POST',
        url: '/v1/chat/completions',
        body: { model: 'chat', messages: questionMessages },
      }),
    );
    const form = new FormData();
    form.append('purpose', 'batch');
    form.append('file', new Blob([lines.join('\n')]), 'input.jsonl');
    const upload = await fetch(`${gateway.url}/v1/files`, { method: 'POST', body: form });
    expect(upload.status).toBe(200);
    const file = (await upload.json()) as { id: string };
    const created = await fetch(`${gateway.url}/v1/batches`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        input_file_id: file.id,
        endpoint: '/v1/chat/completions',
        completion_window: '24h',
      }),
    });
    const { id } = (await created.json()) as { id: string };
    let batch: { status: string; output_file_id: string | null } = {
      status: '',
      output_file_id: null,
    };
    await waitUntil(async () => {
      batch = (await (await fetch(`${gateway.url}/v1/batches/${id}`)).json()) as typeof batch;
      return batch.status === 'completed';
    }, 30_000);
    const output = await (
      await fetch(`${gateway.url}/v1/files/${batch.output_file_id}/content`)
    ).text();
    const answers = output
      .trim()
      .split('\n')
      .map(
        (text) =>
          JSON.parse(text) as {
            response: { body: { choices: { message: { content: string } }[] } };
          },
      );
    expect(answers.map((a) => a.response.body.choices[0]?.message.content)).toEqual([
      expected,
      expected,
      expected,
    ]);
  });

  it('answers a tenant’s plain NATS chat request on its own subject, streamed too, and refuses another tenant’s', async () => {
    const subjects = createSubjects(install.prefix);
    const expected = await directAnswer(servers, 'openai');
    const answer = await acme.request(
      subjects.chat('acme', 'chat'),
      JSON.stringify({ messages: questionMessages }),
      { timeout: 20_000 },
    );
    expect(answer.headers).toBeUndefined();
    const result = answer.json<{ choices: { message: { content: string } }[] }>();
    expect(result.choices[0]?.message.content).toBe(expected);

    // A stream is many messages on the tenant's inbox: more than allow_responses would let pass.
    const inbox = `${tenantInboxPrefix('acme')}.chat-stream`;
    const sub = acme.subscribe(inbox, { timeout: 20_000 });
    acme.publish(
      subjects.chat('acme', 'chat'),
      JSON.stringify({ messages: questionMessages, stream: true }),
      { reply: inbox },
    );
    let text = '';
    for await (const msg of sub) {
      if (msg.data.length === 0) {
        expect(msg.headers?.get('Switchyard-Stream')).toBe('end');
        break;
      }
      text +=
        msg.json<{ choices: { delta: { content?: string } }[] }>().choices[0]?.delta.content ?? '';
    }
    expect(text).toBe(expected);

    expect(await tryPublish(acme, acmeErrors, subjects.chat('globex', 'chat'))).toBe('denied');
  });

  it('answers a tenant’s plain NATS embeddings request on its own subject, and refuses another tenant’s', async () => {
    const subjects = createSubjects(install.prefix);
    const answer = await acme.request(
      subjects.embeddings('acme', 'embed'),
      JSON.stringify({ input: 'acme embeds this', dimensions: 8 }),
      { timeout: 20_000 },
    );
    expect(answer.headers).toBeUndefined();
    const list = answer.json<{ object: string; data: { embedding: number[] }[] }>();
    expect(list.object).toBe('list');
    expect(list.data[0]?.embedding).toHaveLength(8);
    expect(sim.calls({ key: 'acme embeds this' })).toHaveLength(1);
    expect(await tryPublish(acme, acmeErrors, subjects.embeddings('globex', 'embed'))).toBe(
      'denied',
    );
  });

  it('runs a tenant’s batch end to end: its results land in, and are read from, its own subjects', async () => {
    const client = clientOf(acme, 'acme');
    const submitted = await client.batches.submit('acme-batch', [
      { model: 'chat', messages: questionMessages, switchyard: { job_id: 'acme-batch-1' } },
    ]);
    expect(submitted.subject).toBe(createSubjects(install.prefix).results('acme', 'acme-batch'));
    for await (const result of client.batches.results('acme-batch')) {
      expect(result).toMatchObject({ jobId: 'acme-batch-1', reply: { object: 'chat.completion' } });
      break;
    }
  });

  it('refuses a job tenant A submits as tenant B, and stores nothing for B', async () => {
    const before = sim.stats().deployments[install.simName('chat')]?.requests ?? 0;
    const asGlobex = clientOf(acme, 'globex');
    const refused = asGlobex.chat.completions.create({ model: 'chat', messages: questionMessages });
    await expect(refused).rejects.toBeInstanceOf(ConnectionError);
    await expect(refused).rejects.toThrow(
      /Permissions Violation for Publish to ".*\.jobs\.globex\.chat"/,
    );
    const subjects = createSubjects(install.prefix);
    expect(await tryPublish(acme, acmeErrors, subjects.jobs('globex', 'chat'))).toBe('denied');
    const jsm = await jetstreamManager(service);
    const info = await jsm.streams.info(streamNames(install.prefix).jobs, {
      subjects_filter: subjects.jobsForTenant('globex'),
    });
    expect(Object.keys(info.state.subjects ?? {})).toEqual([]);
    expect(sim.stats().deployments[install.simName('chat')]?.requests ?? 0).toBe(before);
  });

  it('does not let tenant A read B’s answers, batch results or budget events', async () => {
    const subjects = createSubjects(install.prefix);
    expect(await trySubscribe(acme, `${tenantInboxPrefix('globex')}.>`)).toBe('denied');
    expect(await trySubscribe(acme, '_INBOX.>')).toBe('denied');
    expect(await trySubscribe(acme, '_INBOX.*.>')).toBe('denied');
    expect(await trySubscribe(acme, '>')).toBe('denied');
    expect(await trySubscribe(acme, subjects.streamSubjects.results)).toBe('denied');
    expect(await trySubscribe(acme, subjects.budgetEvents('globex'))).toBe('denied');
    const names = streamNames(install.prefix);
    await expect(
      jetstream(acme).consumers.get(names.results, {
        filter_subjects: subjects.results('globex', 'their-batch'),
      }),
    ).rejects.toThrow(/Permissions Violation for Publish to "\$JS\.API\.CONSUMER\.CREATE/);
    // Its own inboxes, batch results and budget events it may read.
    const own = clientOf(acme, 'acme').batches.results('own-batch', { follow: false });
    expect(await own.next()).toEqual({ done: true, value: undefined });
    expect(await trySubscribe(acme, `${tenantInboxPrefix('acme')}.>`)).toBe('allowed');
    expect(await trySubscribe(acme, subjects.budgetEvents('acme'))).toBe('allowed');
  });

  it("does not let a tenant read usage, use the JetStream API or cancel another tenant's jobs", async () => {
    const subjects = createSubjects(install.prefix);
    const names = streamNames(install.prefix);
    expect(await trySubscribe(acme, subjects.streamSubjects.usage)).toBe('denied');
    expect(await trySubscribe(acme, subjects.usage('globex', 'chat'))).toBe('denied');
    await expect(jetstream(acme).consumers.get(names.usage)).rejects.toThrow(
      /Permissions Violation for Publish to "\$JS\.API\.(STREAM\.INFO|CONSUMER\.CREATE)/,
    );
    const jsm = await jetstreamManager(acme, { checkAPI: false });
    await expect(jsm.streams.info(names.jobs)).rejects.toThrow(/Permissions Violation/);
    expect(await tryPublish(acme, acmeErrors, subjects.cancel('globex', 'some-job'))).toBe(
      'denied',
    );
    expect(await tryPublish(acme, acmeErrors, subjects.cancel('acme', 'own-job'))).toBe('allowed');
    expect(await tryPublish(acme, acmeErrors, subjects.meteringSpend)).toBe('denied');
    // Nor the virtual keys: no read of the keys bucket, no write into it.
    const bucket = keysBucketName(install.prefix);
    await expect(jsm.streams.info(`KV_${bucket}`)).rejects.toThrow(/Permissions Violation/);
    expect(await tryPublish(acme, acmeErrors, `$KV.${bucket}.key.key_forged`)).toBe('denied');
    // The connection survives the refusals.
    expect(acme.isClosed()).toBe(false);
  });

  it('never lets a job’s reply subject make a service publish outside the job’s tenant', async () => {
    const subjects = createSubjects(install.prefix);
    const names = streamNames(install.prefix);
    const jsm = await jetstreamManager(service);
    /** Messages stored in `stream`, or on the subjects `filter` matches. */
    const stored = async (stream: string, filter?: string) => {
      if (filter === undefined) return (await jsm.streams.info(stream)).state.messages;
      const info = await jsm.streams.info(stream, { subjects_filter: filter });
      return Object.values(info.state.subjects ?? {}).reduce((sum, n) => sum + n, 0);
    };
    const jobOf = (tenant: string, model: string, id: string) => ({
      v: 1 as const,
      id,
      tenant,
      model,
      request: { model, messages: questionMessages },
      submitted_at: Date.now(),
    });
    const publishAs = async (
      nc: NatsConnection,
      tenant: string,
      model: string,
      id: string,
      replyTo: string,
    ) =>
      jetstream(nc).publish(
        subjects.jobs(tenant, model),
        JSON.stringify(jobOf(tenant, model, id)),
        {
          msgID: `${tenant}.${id}`,
          headers: switchyardHeaders({ replyTo }),
        },
      );

    // Three of globex's jobs wait in the queue; globex listens on all its inboxes and results.
    for (const n of [1, 2, 3]) {
      await publishAs(
        globex,
        'globex',
        'idle',
        `waiting-${n}`,
        createInbox(tenantInboxPrefix('globex')),
      );
    }
    const globexHeard: string[] = [];
    for (const subject of [`${tenantInboxPrefix('globex')}.>`, subjects.budgetEvents('globex')]) {
      globex.subscribe(subject, { callback: (_error, msg) => void globexHeard.push(msg.subject) });
    }
    await globex.flush();
    const queuedBefore = await stored(names.jobs, subjects.jobsForTenant('globex'));
    expect(queuedBefore).toBe(3);
    const usageBefore = await stored(names.usage);
    const dlqBefore = await stored(names.dlq);
    const served = sim.stats().deployments[install.simName('chat')]?.requests ?? 0;

    // acme names every subject a deputy must never publish to, for a served and an unknown model.
    const hostile = [
      `$JS.API.STREAM.PURGE.${names.jobs}`,
      `$JS.API.STREAM.PURGE.${names.usage}`,
      `$JS.API.STREAM.DELETE.${names.jobs}`,
      `$JS.API.CONSUMER.DELETE.${names.jobs}.x`,
      '_INBOX.globex.stolen',
      '_INBOX.stolen',
      subjects.results('globex', 'their-batch'),
      subjects.jobs('globex', 'idle'),
      subjects.budgetEvents('globex'),
    ];
    for (const [i, replyTo] of hostile.entries()) {
      await publishAs(acme, 'acme', 'chat', `hostile-${i}`, replyTo);
      await publishAs(acme, 'acme', 'not-configured', `hostile-unknown-${i}`, replyTo);
    }
    // Every hostile job was read and settled: the served model's consumer has nothing pending,
    // and the unknown model's jobs were purged by the fallback router.
    await waitUntil(async () => {
      const consumer = await jsm.consumers.info(names.jobs, `model-chat`);
      return consumer.num_pending === 0 && consumer.num_ack_pending === 0;
    }, 20_000);
    await waitUntil(
      async () => (await stored(names.jobs, subjects.jobs('acme', 'not-configured'))) === 0,
      20_000,
    );

    expect(await stored(names.jobs, subjects.jobsForTenant('globex'))).toBe(queuedBefore);
    expect(await stored(names.usage)).toBe(usageBefore);
    expect(await stored(names.dlq)).toBe(dlqBefore);
    expect(await stored(names.results, subjects.resultsForTenant('globex'))).toBe(0);
    expect((await jsm.consumers.info(names.jobs, 'model-chat')).name).toBe('model-chat');
    expect(sim.stats().deployments[install.simName('chat')]?.requests ?? 0).toBe(served);
    await globex.flush();
    expect(globexHeard).toEqual([]);
  });

  it('limits each service role to what its process does', async () => {
    const subjects = createSubjects(install.prefix);
    const names = streamNames(install.prefix);
    for (const role of ['gateway', 'worker', 'fallback', 'metering'] as const) {
      const nc = await connectRole(role);
      try {
        const jsm = await jetstreamManager(nc, { checkAPI: false });
        for (const stream of Object.values(names)) {
          await expect(jsm.streams.delete(stream), `${role} delete ${stream}`).rejects.toThrow(
            /Permissions Violation/,
          );
          if (role === 'fallback' && stream === names.jobs) continue;
          await expect(jsm.streams.purge(stream), `${role} purge ${stream}`).rejects.toThrow(
            /Permissions Violation/,
          );
        }
        expect(await trySubscribe(nc, '_INBOX.>'), role).toBe('denied');
        expect(await trySubscribe(nc, '>'), role).toBe('denied');
        expect(await trySubscribe(nc, subjects.streamSubjects.usage), role).toBe('denied');
        const errors = watchServerErrors(nc);
        const notTheirs: Record<typeof role, string[]> = {
          // The gateway answers plain chat requests on tenant inboxes (streams are many messages).
          gateway: [
            subjects.usage('acme', 'chat'),
            subjects.dlq('acme', 'chat'),
            subjects.results('acme', 'b'),
          ],
          worker: [subjects.jobs('acme', 'chat'), subjects.cancel('acme', 'j')],
          fallback: [subjects.usage('acme', 'chat'), subjects.cancel('acme', 'j')],
          metering: ['_INBOX.acme.x', subjects.jobs('acme', 'chat'), subjects.results('acme', 'b')],
        };
        for (const subject of notTheirs[role]) {
          expect(await tryPublish(nc, errors, subject), `${role} → ${subject}`).toBe('denied');
        }
      } finally {
        await closeNats(nc);
      }
    }
  });

  it('refuses a wrong password and an unknown user', async () => {
    await expect(
      connectNats({
        servers: nats.url,
        name: 'bad',
        user: 'acme',
        pass: 'wrong',
        logger: quietLogger,
      }),
    ).rejects.toThrow(/Authorization Violation/i);
    await expect(
      connectNats({
        servers: nats.url,
        name: 'bad',
        user: 'nobody',
        pass: 'x',
        logger: quietLogger,
      }),
    ).rejects.toThrow(/Authorization Violation/i);
    await expect(
      connectNats({ servers: nats.url, name: 'anon', logger: quietLogger }),
    ).rejects.toThrow(/Authorization Violation/i);
  });
});
