import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { ConnectionError, Switchyard } from '@switchyard/client';
import { createSubjects, keysBucketName, streamNames } from '@switchyard/contracts';
import { findFreePort, startNatsServer, type LocalServer } from '@switchyard/local-servers';
import { closeNats, connectNats } from '@switchyard/messaging';
import { natsAuthConfig, tenantInboxPrefix } from '@switchyard/nats-auth';
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

const servicePassword = 'service-pw';
const passwords = { acme: 'acme "pw" \\ $x', globex: 'globex-pw' } as const;

describe('tenant isolation with the generated NATS authorization config', () => {
  let dataDir: string;
  let nats: LocalServer;
  let redisServer: TestServer;
  let sim: ProviderSimHandle;
  let install: Installation;
  let servers: PipelineServers;
  let service: NatsConnection;
  let redis: Redis;
  let worker: RunningWorker;
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
  const clientOf = (nc: NatsConnection, tenant: string, inboxOf = tenant) =>
    new Switchyard({
      nc,
      tenant,
      subjectRoot: install.prefix,
      streamPrefix: install.prefix,
      inboxPrefix: tenantInboxPrefix(inboxOf),
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
    install = createInstallation(servers, 'tenancy', { models: { chat: 'openai' } });
    const configPath = join(dataDir, 'auth.conf');
    await writeFile(
      configPath,
      natsAuthConfig({
        subjectRoot: install.prefix,
        streamPrefix: install.prefix,
        service: { password: servicePassword },
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
    service = await connectNats({
      servers: url,
      name: 'switchyard-service',
      user: 'switchyard',
      pass: servicePassword,
      logger: quietLogger,
    });
    redis = new Redis(redisServer.url);
    worker = await startWorker({
      config: install.config,
      provider: 'openai',
      nc: service,
      redis,
      logger: quietLogger,
    });
    acme = await connectTenant('acme');
    acmeErrors = watchServerErrors(acme);
    globex = await connectTenant('globex');
  });

  afterAll(async () => {
    await worker?.stop(0);
    for (const nc of [acme, globex, service]) if (nc !== undefined) await closeNats(nc);
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
    const asGlobex = clientOf(acme, 'globex', 'acme');
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
