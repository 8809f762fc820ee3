import { jetstream } from '@nats-io/jetstream';
import { makeErrorReply } from '@switchyard/contracts';
import {
  consumeJobs,
  provisionTopology,
  publishAnswerRecord,
  switchyardHeaders,
} from '@switchyard/messaging';
import { topologyOf } from '@switchyard/config';
import { VirtualKeyStore, keyStoreOptionsFrom } from '@switchyard/keys';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type RunningWorker } from './start-worker';
import {
  createInstallation,
  makeJob,
  silentLogger,
  startServers,
  waitUntil,
  type Installation,
  type Servers,
} from './worker-harness.test-support';

const models = {
  huge: 'openai',
  recorded: 'openai',
  'cancelled-early': 'openai',
  'slow-stream': 'openai',
  poison: 'openai',
  keyed: 'openai',
  'same-id': 'openai',
  // Its rpm limit lives in Redis: a worker whose Redis does not answer fails it before any call.
  stuck: [{ provider: 'openai', params: 'rpm: 100000' }],
} as const;

const streaming = (model: string, content: string) =>
  makeJob(model, { request: { messages: [{ role: 'user', content }], stream: true } });

describe('how the worker settles jobs: exactly one answer, every call billed once', () => {
  let servers: Servers;
  let install: Installation;
  let worker: RunningWorker | undefined;
  const start = () =>
    startWorker({
      config: install.config,
      provider: 'openai',
      nc: install.nc,
      redis: install.redis,
      logger: silentLogger,
      pullExpiresMs: 1_000,
    });
  const eventsOf = (jobId: string) => install.usageEvents().filter((e) => e.job_id === jobId);

  beforeAll(async () => {
    servers = await startServers();
    install = await createInstallation(servers, 'settle', models);
    await provisionTopology(install.nc, { ...topologyOf(install.config), logger: silentLogger });
  });

  afterAll(async () => {
    await worker?.stop(0);
    await install?.close();
    await servers?.stop();
  });

  it('drops a job cancelled before any worker ran, even a worker that starts later', async () => {
    const job = makeJob('cancelled-early');
    install.nc.publish(install.subjects.cancel(job.tenant, job.id));
    await install.nc.flush();
    const inbox = await install.submit(job);
    worker = await start();
    expect(await inbox.final()).toMatchObject({ object: 'error', error: { type: 'cancelled' } });
    expect(await servers.sim.requests(install.simName('cancelled-early'))).toBe(0);
    expect(eventsOf(job.id)).toEqual([]);
  });

  it('answers a result too large for a NATS message with result_too_large, billed once, never retried', async () => {
    // ≈ 300k tokens of text: well over the 1 MiB a NATS message carries.
    await servers.sim.configure(install.simName('huge'), { replyTokens: 300_000 });
    const job = makeJob('huge');
    const inbox = await install.submit(job);
    expect(await inbox.final(20_000)).toMatchObject({
      object: 'error',
      error: { type: 'bad_request', code: 'result_too_large' },
      switchyard: { job_id: job.id },
    });
    await waitUntil(() => eventsOf(job.id).length === 1);
    expect(eventsOf(job.id)).toMatchObject([{ status: 'success', completion_tokens: 300_000 }]);
    await waitUntil(async () => (await install.jobsWaiting()) === 0);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await servers.sim.requests(install.simName('huge'))).toBe(1);
    expect(inbox.messages).toHaveLength(1);
    expect(eventsOf(job.id)).toHaveLength(1);
  });

  it('answers a redelivered job from the record its dead worker left, without calling the provider', async () => {
    await worker?.stop(0);
    worker = undefined;
    const job = makeJob('recorded');
    const recordedReply = makeErrorReply(
      {
        type: 'server',
        code: 'recorded',
        message: 'the recorded answer',
        status: 502,
        retryable: true,
        deployments_tried: [],
      },
      job.id,
    );
    const usage = {
      v: 1 as const,
      id: `default.${job.id}:0:1:00000000000000aa`,
      job_id: job.id,
      tenant: 'default',
      model: 'recorded',
      deployment: 'recorded/0',
      provider: 'openai',
      provider_model: 'gpt-4o-mini',
      status: 'error' as const,
      error_type: 'server' as const,
      prompt_tokens: 0,
      completion_tokens: 0,
      cached_tokens: 0,
      reasoning_tokens: 0,
      cost_usd: 0,
      cost_saved_usd: 0,
      queue_ms: 1,
      provider_ms: 1,
      total_ms: 2,
      attempt: 1,
      fallback_depth: 0,
      at: Date.now(),
    };
    const inbox = await install.submit(job);
    // A worker that records its answer and dies before its ack: the job comes back.
    let recorded = false;
    const dying = await consumeJobs(install.nc, {
      model: 'recorded',
      concurrency: 1,
      streamPrefix: install.prefix,
      subjects: install.subjects,
      logger: silentLogger,
      handler: async (delivery) => {
        await publishAnswerRecord(
          jetstream(install.nc),
          {
            v: 1,
            job_id: job.id,
            tenant: 'default',
            hop: 0,
            outcome: 'answered',
            reply: recordedReply,
            usage: [usage],
            at: Date.now(),
          },
          { subjects: install.subjects },
        );
        recorded = true;
        delivery.control.nak();
      },
    });
    // The job waits from its submission on: stop the dying worker once its record is stored.
    await waitUntil(() => recorded);
    await dying.stop({ graceMs: 0 });
    worker = await start();
    expect(await inbox.final()).toEqual(recordedReply);
    await waitUntil(async () => (await install.jobsWaiting()) === 0);
    expect(await servers.sim.requests(install.simName('recorded'))).toBe(0);
    await waitUntil(() => eventsOf(job.id).length === 1);
    expect(eventsOf(job.id).map((e) => e.id)).toEqual([usage.id]);
  });

  it('bills a stream cancelled midway for the tokens it had produced', async () => {
    await servers.sim.setLatency(install.simName('slow-stream'), { ttftMs: 100, perTokenMs: 300 });
    const job = streaming('slow-stream', 'Where is the slow train going?');
    const inbox = await install.submit(job);
    await waitUntil(() => inbox.messages.length >= 4, 10_000);
    install.nc.publish(install.subjects.cancel(job.tenant, job.id));
    expect(await inbox.final()).toMatchObject({ object: 'error', error: { type: 'cancelled' } });
    await waitUntil(() => eventsOf(job.id).length === 1);
    const [event] = eventsOf(job.id);
    expect(event).toMatchObject({ status: 'error', error_type: 'cancelled', estimated: true });
    expect(event?.prompt_tokens).toBeGreaterThan(0);
    expect(event?.completion_tokens).toBeGreaterThanOrEqual(3);
  });

  it('ends a stream under way with stream_cut when its worker stops, and never runs it again', async () => {
    const job = streaming('slow-stream', 'Where is the night train going?');
    const before = await servers.sim.requests(install.simName('slow-stream'));
    const inbox = await install.submit(job);
    await waitUntil(() => inbox.messages.length >= 3, 10_000);
    const stopping = worker;
    worker = undefined;
    expect(await stopping?.stop(0)).toEqual({ finished: 1, handedBack: 0 });
    expect(await inbox.final(100)).toMatchObject({
      object: 'error',
      error: { type: 'server', code: 'stream_cut' },
    });
    expect(await install.jobsWaiting()).toBe(0);
    worker = await start();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await servers.sim.requests(install.simName('slow-stream'))).toBe(before + 1);
    expect(inbox.messages.filter((m) => m['object'] === 'error')).toHaveLength(1);
    await waitUntil(() => eventsOf(job.id).length === 1);
    expect(eventsOf(job.id)).toMatchObject([{ status: 'error', estimated: true }]);
  });

  it('refuses a job naming a virtual key of another tenant or no key at all, and serves its own', async () => {
    const store = await VirtualKeyStore.open(install.nc, keyStoreOptionsFrom(install.config));
    try {
      const own = (await store.create({ tenant: 'acme', models: [] })).key;
      const other = (await store.create({ tenant: 'globex', models: [] })).key;
      const replyOf = async (keyId: string) =>
        (await install.submit(makeJob('keyed', { tenant: 'acme', key_id: keyId }))).final(5_000);
      expect(await replyOf(other.id)).toMatchObject({
        object: 'error',
        error: { type: 'invalid_job', code: 'key_not_of_tenant', param: 'key_id' },
      });
      expect(await replyOf('key_0000000000000000')).toMatchObject({
        object: 'error',
        error: { type: 'invalid_job', code: 'unknown_key' },
      });
      expect(await servers.sim.requests(install.simName('keyed'))).toBe(0);
      expect(await replyOf(own.id)).toMatchObject({ object: 'chat.completion' });
      expect(await servers.sim.requests(install.simName('keyed'))).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('serves and bills the same job id of two tenants as two jobs', async () => {
    const id = `shared-${Date.now()}`;
    const [a, b] = await Promise.all(
      ['acme', 'globex'].map(async (tenant) =>
        (await install.submit(makeJob('same-id', { id, tenant }))).final(),
      ),
    );
    expect([a?.['object'], b?.['object']]).toEqual(['chat.completion', 'chat.completion']);
    expect(await servers.sim.requests(install.simName('same-id'))).toBe(2);
    await waitUntil(() => eventsOf(id).length === 2);
    expect(eventsOf(id).map((e) => e.status)).toEqual(['success', 'success']);
  });

  it('answers a job its handler keeps failing on handler_failed after 5 tries, backing off', async () => {
    // A worker whose Redis does not answer fails every job of a rate-limited model before
    // any provider call (jobs of models without limits it still serves: nothing per job asks
    // Redis then).
    const deadRedis = new Redis({
      port: 1,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
    });
    const failing = await startWorker({
      config: install.config,
      provider: 'openai',
      nc: install.nc,
      redis: deadRedis,
      logger: silentLogger,
      pullExpiresMs: 1_000,
      handlerRetryMs: 100,
    });
    try {
      await worker?.stop(0);
      worker = undefined;
      const job = makeJob('stuck');
      const startedAt = Date.now();
      const inbox = await install.submit(job);
      expect(await inbox.final(20_000)).toMatchObject({
        object: 'error',
        error: { type: 'server', code: 'handler_failed' },
      });
      // 100 + 200 + 400 + 800 + 1600 ms of backoff between the five failures.
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(3_000);
      expect(await servers.sim.requests(install.simName('stuck'))).toBe(0);
      await waitUntil(async () => (await install.jobsWaiting()) === 0);
    } finally {
      await failing.stop(0);
      deadRedis.disconnect();
      worker = await start();
    }
  });

  it('answers poison at once and never calls the provider: max_tokens beyond any model, JSON nested 4,000 deep', async () => {
    const subject = install.subjects.jobs('default', 'poison');
    const bodies = [
      JSON.stringify({
        ...makeJob('poison', { id: 'poison-tokens' }),
        request: { messages: [{ role: 'user', content: 'x' }], max_tokens: 2e15 },
      }),
      `{"v":1,"id":"poison-deep","tenant":"default","model":"poison","submitted_at":1,"request":{"messages":[{"role":"user","content":"x"}],"extra":${'['.repeat(4_000)}${']'.repeat(4_000)}}}`,
    ];
    const codes: string[] = [];
    for (const [i, body] of bodies.entries()) {
      const inbox = `_INBOX.default.${install.prefix}-poison-${i}`;
      const replies: { error?: { code: string } }[] = [];
      install.nc.subscribe(inbox, { callback: (_e, msg) => void replies.push(msg.json()) });
      await install.nc.flush();
      await install.js.publish(subject, body, { headers: switchyardHeaders({ replyTo: inbox }) });
      await waitUntil(() => replies.length > 0);
      codes.push(replies[0]?.error?.code ?? '');
    }
    expect(codes).toEqual(['schema_mismatch', 'too_deeply_nested']);
    await waitUntil(async () => (await install.jobsWaiting()) === 0);
    expect(await servers.sim.requests(install.simName('poison'))).toBe(0);
  });
});
